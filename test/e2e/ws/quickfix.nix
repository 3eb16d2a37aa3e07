{ pkgs, ... }:
{
  nixpkgs.config.allowUnfree = true;
  hardware.opengl.enable = true;
  services.xserver.videoDrivers = [ "nvidia" ];
  environment.etc."models/tiny.gguf".source = pkgs.fetchurl { url = "https://example.invalid/tiny.gguf"; };
}
