let
  # the value follows a carriage returny = 1;
  z = 2;
in y + z
