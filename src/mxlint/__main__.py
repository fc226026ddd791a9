"""``python -m mxlint``."""

from mxlint.cli import main

if __name__ == "__main__":
    main()
