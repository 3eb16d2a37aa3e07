let a = 1; b = 2; c = true; in a < b == c
