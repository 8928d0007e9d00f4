a = { b = 1, c = { d = "e" } }
x "y" "z" {
  inner = { k = [1, { m = 2 }] }
  deep { deeper { deepest = true } }
}
"quoted key" = 1
"quoted" "block" {}
