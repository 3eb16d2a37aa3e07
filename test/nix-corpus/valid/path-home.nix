~/projects/flake
