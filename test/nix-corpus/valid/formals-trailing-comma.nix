{ lib, pkgs, }:
lib.id pkgs
