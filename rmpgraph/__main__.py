"""`python -m rmpgraph` runs the CLI."""

from rmpgraph.cli import main

if __name__ == "__main__":
    main()
