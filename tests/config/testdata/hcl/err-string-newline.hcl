a = "ab
c"