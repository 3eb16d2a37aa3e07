# Inlay hints: the locked revision after the input's url comes from flake.lock beside this file.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";
  outputs = { self, nixpkgs }: { };
}
