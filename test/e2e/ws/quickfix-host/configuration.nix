# The host quickfix.nix belongs to. Nothing imports this file, so it is the root of a whole
# configuration, and "hardware.nvidia.open is set in no module" can be answered.
{ ... }:
{
  imports = [ ../quickfix.nix ];
}
