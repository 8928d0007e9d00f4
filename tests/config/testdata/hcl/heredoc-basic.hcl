a = <<EOF
hello
  world
EOF
b = 1
