{
  pkgs ? import <nixpkgs> { },
}:
pkgs.mkShell {
  packages = [ pkgs.python3 ];
  shellHook = ''
    export CUDA_PATH=${pkgs.cudaPackages.cudatoolkit}
  '';
}
