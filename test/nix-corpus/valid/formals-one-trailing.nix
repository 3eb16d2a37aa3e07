{ pkgs, }: pkgs
