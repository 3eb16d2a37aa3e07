let a = { }; in a.let
