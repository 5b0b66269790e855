"""Command line: a thin layer over the Python API.

Each sub-command lives in its own module of this package and only parses options,
calls one API function and prints; no RDF logic lives here. The parser is built in
`main()`, not at import time.
"""

from __future__ import annotations

import importlib

import click

from .. import __version__

__all__ = ["main", "cli"]

# module -> attribute holding the click command/group; one line per sub-command
COMMANDS: dict[str, str] = {
    "build": "command",
}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rmpgraph")
def cli() -> None:
    """rmpgraph: EU Risk Management Plan summaries as a knowledge graph."""


def _register() -> None:
    for module, attr in COMMANDS.items():
        mod = importlib.import_module(f"{__name__}.{module}")
        cli.add_command(getattr(mod, attr))


def main(argv: list[str] | None = None) -> None:
    """Console entry point (`rmpgraph`, `python -m rmpgraph`)."""
    _register()
    cli.main(args=argv, prog_name="rmpgraph")
