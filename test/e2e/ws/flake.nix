{
  description = "A GPU workstation: NVIDIA driver, CUDA and a local LLM service";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";
  };

  outputs =
    {
      self,
      nixpkgs,
      ...
    }:
    let
      system = "x86_64-linux";
    in
    {
      nixosConfigurations.gpu-box = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [ ./configuration.nix ];
      };

      devShells.${system}.default =
        let
          pkgs = import nixpkgs {
            inherit system;
            config = {
              allowUnfree = true;
              cudaSupport = true;
            };
          };
        in
        pkgs.mkShell {
          packages = [
            pkgs.cudaPackages.cudatoolkit
            (pkgs.python3.withPackages (ps: [ ps.torch ]))
          ];
          shellHook = ''
            export CUDA_PATH=${pkgs.cudaPackages.cudatoolkit}
          '';
        };
    };
}
