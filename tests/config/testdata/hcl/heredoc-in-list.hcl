a = [<<EOF
one
EOF
, "two"]
