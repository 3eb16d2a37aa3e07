inputs@{
  self,
  nixpkgs,
}:
inputs
