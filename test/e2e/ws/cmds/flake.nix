# The commands' test flake: no inputs, so real nix can list, check and enter it offline.
{
  outputs =
    { self }:
    let
      system = "x86_64-linux";
      # A dev shell without nixpkgs: nix develop wants a builder named bash and explicit outputs.
      shell =
        greeting:
        derivation {
          name = "cmds-shell";
          inherit system;
          builder = "/bin/bash";
          args = [ "-c" "echo > $out" ];
          outputs = [ "out" ];
          GREETING = greeting;
        };
      # Enough of a NixOS configuration for nix flake check: a toplevel derivation.
      host = {
        config.system.build.toplevel = derivation {
          name = "toplevel";
          inherit system;
          builder = "/bin/sh";
          args = [ "-c" "echo > $out" ];
        };
      };
    in
    {
      nixosConfigurations = {
        gpu-box = host;
        laptop = host;
      };
      devShells.${system} = {
        default = shell "from-devshell";
        rocm = shell "from-rocm";
      };
      checks.${system}.ok = derivation {
        name = "ok";
        inherit system;
        builder = "/bin/sh";
        args = [ "-c" "echo ok > $out" ];
      };
    };
}
