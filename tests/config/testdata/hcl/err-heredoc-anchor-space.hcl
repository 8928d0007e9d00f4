a = <<EOF  
x
EOF
