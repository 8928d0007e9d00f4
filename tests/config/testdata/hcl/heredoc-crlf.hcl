a = <<EOF
x
EOF
b = "y"
