let a = "x"; b = "y"; in "outer ${a + "inner ${b} end"} done"
