"""docs/cli.md must name every command, like sqlite-utils' documentation test."""

from pathlib import Path

import click
import typer

from steerco.cli.app import cli

DOC = (Path(__file__).parents[2] / "docs" / "cli.md").read_text()


def _commands(group: click.Group, prefix: str = "steerco") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            names.extend(_commands(command, path))
        else:
            names.append(path)
    return names


def test_every_command_is_documented():
    commands = _commands(typer.main.get_command(cli))
    assert len(commands) >= 10
    missing = [c for c in commands if f"`{c}" not in DOC]
    assert not missing, f"undocumented in docs/cli.md: {missing}"
