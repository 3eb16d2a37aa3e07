let f = x: x; in f 01.5
