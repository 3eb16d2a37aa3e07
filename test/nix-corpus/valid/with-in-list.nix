let s = { a = 1; }; in [ (with s; a) ]
