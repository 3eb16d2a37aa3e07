[ <nixpkgs> <nixpkgs/nixos> <nixos-config> ]
