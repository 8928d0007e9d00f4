a = <<-EOF
x
EOF
