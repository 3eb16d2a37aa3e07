{ pkgs, ... }:
let
  cuda = pkgs.cudaPackages;
in
{
  nixpkgs.config.allowUnfree = true;
  hardware.opengl.enable = true;
  hardware.nvidia.open = true;
  services.xserver.videoDrivers = [ "nvidia" ];
  environment.systemPackages = [ cuda.cudatoolkit ];
}
