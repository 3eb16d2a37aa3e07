let a = 1; in if a == 1 then if a > 0 then 1 else 2 else 3
