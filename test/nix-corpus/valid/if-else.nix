let a = true; in if a then "yes" else "no"
