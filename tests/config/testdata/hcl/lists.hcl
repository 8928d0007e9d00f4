a = []
b = [1, "two", 3.0, true]
c = [[1] [2]]
d = [,1,,2,]
e = [{ x = 1 }, { y = 2 }]
f = [
  "multi",
  "line", # comment
]
