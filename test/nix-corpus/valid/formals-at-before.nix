args@{ pkgs, lib, ... }: args
