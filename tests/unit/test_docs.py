"""docs/cli.md must name every command, like sqlite-utils' documentation test."""

from pathlib import Path

import typer

from steerco.cli.app import cli

DOC = (Path(__file__).parents[2] / "docs" / "cli.md").read_text()


def _commands(group, prefix: str = "steerco") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):  # a group (typer vendors its own click)
            names.extend(_commands(command, path))
        else:
            names.append(path)
    return names


def test_every_command_is_documented():
    commands = _commands(typer.main.get_command(cli))
    assert len(commands) >= 14
    assert "steerco project create" in commands
    missing = [c for c in commands if f"`{c}" not in DOC]
    assert not missing, f"undocumented in docs/cli.md: {missing}"
