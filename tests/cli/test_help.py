"""Every command and every option of the CLIs says what it does (``--help``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crawler.cli import build_parser
from crawler.monitors import build_parser as build_monitors_parser

PARSERS = {"python -m crawler": build_parser, "python -m crawler.monitors": build_monitors_parser}


def walk(parser: argparse.ArgumentParser, path: str) -> Iterator[tuple[str, argparse.Action]]:
    """(where, action) for every argument and every sub-command, recursively."""
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if isinstance(action, argparse._SubParsersAction):
            # a sub-command's line in the list exists only when it was given help=
            listed = {choice.dest: choice for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield f"{path} {name}", listed.get(name, argparse.Action([], name))
                yield from walk(sub, f"{path} {name}")
            continue
        yield f"{path} {'/'.join(action.option_strings) or action.dest}", action


def command_names(parser: argparse.ArgumentParser) -> list[str]:
    """The parser's sub-command names."""
    assert parser._subparsers is not None, parser.prog
    choices = parser._subparsers._group_actions[0].choices
    assert choices is not None, parser.prog
    return list(choices)


def undocumented(build: Callable[[], argparse.ArgumentParser]) -> list[str]:
    root = build()
    return [
        where
        for where, action in walk(root, root.prog)
        if not action.help or action.help == argparse.SUPPRESS or not action.help.strip()
    ]


@pytest.mark.parametrize("name", PARSERS)
def test_every_option_and_command_has_help(name: str) -> None:
    assert undocumented(PARSERS[name]) == []


def test_the_walk_finds_what_it_must_check() -> None:
    """A parser the walk cannot see into would pass the test above vacuously."""
    root = build_parser()
    seen = {where for where, _ in walk(root, root.prog)}
    for expected in (
        "python -m crawler serve",
        "python -m crawler serve --port-base",
        "python -m crawler export --format",
        "python -m crawler sites --province",
        "python -m crawler crawl sites",
        "python -m crawler report --out",
    ):
        assert expected in seen
    bare = argparse.ArgumentParser(prog="x")
    bare.add_subparsers().add_parser("y").add_argument("--z")
    assert undocumented(lambda: bare) == ["x y", "x y --z"]


@pytest.mark.parametrize("command", sorted(command_names(build_parser())))
def test_help_of_each_command_prints_and_exits_0(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([command, "--help"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("usage: python -m crawler " + command)


def test_the_readme_commands_table_lists_every_command() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Commands") : readme.index("### Exit codes")]
    for prog, build in PARSERS.items():
        names = command_names(build())
        missing = [n for n in names if f"| `{prog} {n}" not in table]
        assert missing == [], f"README Commands table lacks {prog} {missing}"
