[ https://example.org/a?b=c&d=e http://x.y/z.tar.gz git+ssh://git@host/repo ]
