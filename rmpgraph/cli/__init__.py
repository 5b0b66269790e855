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

# (module, attribute holding the click command or group); one line per sub-command
COMMANDS: tuple[tuple[str, str], ...] = (
    ("build", "command"),
    ("validate", "command"),
    ("query", "group"),
    ("sparql", "command"),
    ("link", "group"),
    ("store", "load"),
    ("store", "remove"),
    ("store", "list_"),
    ("store", "push"),
    ("report", "command"),
    ("diff", "command"),
    ("docs", "command"),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rmpgraph")
def cli() -> None:
    """rmpgraph: EU Risk Management Plan summaries as a knowledge graph."""


def _register() -> None:
    for module, attr in COMMANDS:
        mod = importlib.import_module(f"{__name__}.{module}")
        cli.add_command(getattr(mod, attr))


def main(argv: list[str] | None = None) -> None:
    """Console entry point (`rmpgraph`, `python -m rmpgraph`)."""
    _register()
    cli.main(args=argv, prog_name="rmpgraph")
