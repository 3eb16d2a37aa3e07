let s = { }; in s.a.b or "default"
