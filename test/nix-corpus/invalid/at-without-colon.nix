{ a }@args
