let n = "name"; in { ${n} = 1; "${n}2" = 2; "quoted" = 3; }
