let
  # a carriage return ends this commentx = ;
in 1
