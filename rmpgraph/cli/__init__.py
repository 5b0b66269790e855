"""Command line: a thin layer over the Python API (`rmpgraph.api`).

Each sub-command lives in its own module of this package and only parses options,
calls `rmpgraph.api` and prints; no RDF logic lives here, and no module imports a
stage directly (tests/test_api_cli.py). Sub-commands are imported only when
invoked, so `rmpgraph build` does not pay for the report templates or the MedDRA
linker.
"""

from __future__ import annotations

import importlib

import click

from rmpgraph import __version__

__all__ = ["main", "cli", "COMMANDS"]

# command name -> (module of this package, attribute holding the click command/group)
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("build", "command"),
    "validate": ("validate", "command"),
    "query": ("query", "group"),
    "sparql": ("query", "sparql"),
    "link": ("link", "group"),
    "load": ("store", "load"),
    "remove": ("store", "remove"),
    "list": ("store", "list_"),
    "push": ("store", "push"),
    "check-store": ("store", "check_store"),
    "report": ("report", "command"),
    "diff": ("diff", "command"),
    "docs": ("docs", "command"),
    "cohort": ("cohort", "command"),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
        assert isinstance(command, click.Command) and command.name == cmd_name
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rmpgraph")
def cli() -> None:
    """rmpgraph: EU Risk Management Plan summaries as a knowledge graph.

    \b
    Examples:
      rmpgraph build data/rmp/lemtrada.txt -o out/lemtrada.ttl
      rmpgraph validate out/lemtrada.ttl
      rmpgraph query run concerns-without-additional-rmm out/lemtrada.ttl
      rmpgraph COMMAND --help
    """


def main(argv: list[str] | None = None) -> None:
    """Console entry point (`rmpgraph`, `python -m rmpgraph`)."""
    cli.main(args=argv, prog_name="rmpgraph")
