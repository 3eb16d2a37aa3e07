let b = "x"; in ./a/${b}/
