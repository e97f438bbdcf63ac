"""``python -m classifier``: the command-line face of the same engine the app and API use."""

from classifier.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
