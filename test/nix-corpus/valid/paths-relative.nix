[ ./a.nix ../b/c.nix ./. ../. ]
