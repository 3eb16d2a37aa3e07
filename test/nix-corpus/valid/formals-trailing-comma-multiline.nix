{
  config,
  lib,
  pkgs,
  ...
}:
{
  imports = [ ];
}
