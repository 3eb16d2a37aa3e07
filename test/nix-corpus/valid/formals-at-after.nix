{ pkgs, lib, ... } @ args: args
