a = "\xc3\xa9"
b = "\xff"
c = "\ud800"
