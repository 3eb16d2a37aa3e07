# Deliberate mistakes, so `nix-ai check examples/` has something to report.
{ pkgs, lib, }:
{
  hardware.graphics.enable = true
  services.xserver.videoDrivers = [ "nvidia" ];

  # a binding defined twice
  hardware.nvidia.open = true;
  hardware.nvidia.open = false;

  # paths cannot end with a slash
  boot.loader.grub.configurationLimit = 10;
  imports = [ ./hardware/ ];

  # comparisons do not chain
  assertions = [ { assertion = 1 < 2 < 3; message = "chained"; } ];

  inherit ;
}
