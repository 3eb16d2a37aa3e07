let a = true; in if a then 1
