let
  set = { x = 1; y = 2; };
  inherit (set) x y;
in
x + y
