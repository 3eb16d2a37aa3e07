let b = "x"; in [ ./a/${b}.nix ./${b} ./dir/${b}/file ]
