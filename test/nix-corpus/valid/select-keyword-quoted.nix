let s = { "in" = 1; }; in s."in"
