a.b = 1
a-b = 2
_x = 3
é = 4
k8s.io-x_y = 5
