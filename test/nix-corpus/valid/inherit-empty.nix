{ inherit ; }
