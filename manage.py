#!/usr/bin/env python
from codedrill.cli import main

if __name__ == "__main__":
    main()
