let x = "a"; in let "${x}" = 1; in 1
