{ inherit_ = 1; iff = 2; letter = 3; in' = 4; rec-x = 5; }
