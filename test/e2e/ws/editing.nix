# Rename and links in the editor.
let
  release = "github:NixOS/nixpkgs/nixos-25.11";
  broken = ./broken.nix;
in
{
  inherit release;
  files = [ broken ];
}
