{ a, in }: 1
