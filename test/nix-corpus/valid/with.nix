let pkgs = { hello = 1; }; in with pkgs; hello
