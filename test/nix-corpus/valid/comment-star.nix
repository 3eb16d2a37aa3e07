/** doc comment */
x: x /* a * b */
