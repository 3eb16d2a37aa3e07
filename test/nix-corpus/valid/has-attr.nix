let s = { a.b = 1; }; in [ (s ? a) (s ? a.b) (s ? "a") (s ? ${"a"}) ]
