"tab\tnewline\n quote\" dollar \${notinterp} backslash\\"
