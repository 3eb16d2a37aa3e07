{
  hardware.graphics.enable = true
  services.xserver.videoDrivers = [ "nvidia" ];
}
