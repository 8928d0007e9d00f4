a = <<EOF
  x
  EOF
