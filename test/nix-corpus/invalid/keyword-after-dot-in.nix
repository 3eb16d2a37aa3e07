let a = { }; in a.in
