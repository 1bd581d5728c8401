"""The docs cannot drift from the commands: every command line of the README's ```sh blocks runs,
in order, as a newcomer copies it (one working folder beside `examples/`), and so does every
block of docs/*.md marked `<!-- runnable -->`; a ```console block's output is what the command
prints now. A command line here is the doc's own text: the test reads it, never a copy.

Each line exits 0 (or the status its doc says), and every file it names as output exists after
it. The few lines a test cannot run are named below with the reason; a trial runs at most
`TRIAL_PATIENTS` patients (`--patients`, as the README's quick looks do). Every option any
`itbtwin ...` of the docs names (synopses and prose too) is an option of that command, and every
```python block marked runnable runs as copied.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import typer.main

import itbtwin.cli
from itbtwin.cli._app import EXIT_INPUT_ERROR, one_line
from itbtwin.cli._lazy import load_all
from itbtwin.errors import ItbError

ROOT = Path(__file__).parents[1]
RUNNABLE = "<!-- runnable"
"""The mark of a docs/*.md block this test runs, the line before its fence: `<!-- runnable -->`,
or `<!-- runnable after the README quickstart -->` for a block that works on its clinic."""
AFTER_QUICKSTART = "<!-- runnable after the README quickstart -->"

NOT_RUN = {
    "make ": "the Makefile's targets build .venv and run the suite: `make` is the test runner",
    "itbtwin serve": "a web server that runs until stopped: tests/web starts its app",
    "--scheduler tcp://host": "a Dask cluster at an example address: tests/scale runs one",
    "--workers ": "a local Dask cluster of worker processes: tests/scale runs one",
}
"""Line fragments a test does not run, with the reason."""

BLOCKED = re.compile(r"\bblock\b")
"""A line whose comment says it is blocked exits 1, as the README says a block does."""

TRIAL_PATIENTS = 2000
"""At most this many patients per trial line (the files say 20,000-100,000)."""

OUTPUT_OPTIONS = ("--report", "--pdf", "--plot", "--sheet", "--nonmem", "--fhir", "--out")
"""Options whose value is a file (or folder) the command writes."""


@dataclass
class Line:
    """One command line of a doc: its words, its comment and, in a console block, its output."""

    words: list[str]
    comment: str
    output: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return shlex.join(self.words)


def _lines(block: str) -> list[Line]:
    """The command lines of an ```sh block (continuations joined, comments kept apart)."""
    lines = []
    for line in block.replace("\\\n", " ").splitlines():
        if words := shlex.split(line, comments=True):
            comment = line.split("  #", 1)[1].strip() if "  #" in line else ""
            lines.append(Line(words, comment))
    return lines


def _console(block: str) -> list[Line]:
    """The `$ ` commands of a ```console block, each with the output lines printed under it."""
    lines: list[Line] = []
    for raw in block.replace("\\\n", " ").splitlines():
        if raw.startswith("$ "):
            lines.extend(_lines(raw[2:]))
        elif lines:
            lines[-1].output.append(raw)
    return lines


def _blocks(text: str, *, marked: bool) -> list[list[Line]]:
    """The runnable blocks of a document, in order (``marked``: only those after RUNNABLE)."""
    found = []
    for match in re.finditer(r"(?m)^```(sh|console)\n(.*?)^```", text, re.DOTALL):
        if marked and RUNNABLE not in text[: match.start()].rstrip().rsplit("\n", 1)[-1]:
            continue
        block = match.group(2)
        found.append(_console(block) if match.group(1) == "console" else _lines(block))
    return found


def _readme() -> list[Line]:
    return [line for block in _blocks(_text("README.md"), marked=False) for line in block]


def _text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


DOCS = sorted(
    p.name for p in (ROOT / "docs").glob("*.md") if _blocks(_text(f"docs/{p.name}"), marked=True)
)
"""The docs with a runnable command block (their python blocks run in their own test)."""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty working folder beside the shipped examples; no clinic chosen yet."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(work)
    return work


def _not_run(line: Line) -> str | None:
    return next((why for part, why in NOT_RUN.items() if part in line.text + " "), None)


def _outputs(words: list[str]) -> list[str]:
    """The files a command line names as what it writes."""
    named = [words[i + 1] for i, w in enumerate(words[:-1]) if w in OUTPUT_OPTIONS]
    if words[1:2] == ["export"] and not words[2].startswith("-"):
        named.append(words[2])
    if words[1:3] == ["db", "backup"]:
        named.append(words[3])
    return named


def _walk(cli, monkeypatch, lines: list[Line]) -> list[str]:
    """Run each line in order; returns why each line left out was left out."""
    left_out, status = [], 0
    for line in lines:
        words = line.words
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            monkeypatch.setenv(name, value)
            continue
        if words == ["echo", "$?"]:
            assert [s for s in line.output if s.strip()] == [str(status)], line.output
            continue
        if why := _not_run(line):
            left_out.append(why)
            continue
        assert words[0] == "itbtwin", f"the docs run only itbtwin: {line.text}"
        if words[1:3] == ["trial", "run"] and "--patients" not in words:
            words = [*words, "--patients", str(TRIAL_PATIENTS)]
        result = cli(*words[1:])
        status, printed = result.exit_code, result.output
        if isinstance(result.exception, ItbError):  # as `main` shows it: one line, status 2
            status, printed = EXIT_INPUT_ERROR, f"{printed}error: {one_line(str(result.exception))}"
        if not line.output:  # a console block shows its status with `echo $?`
            expected = 1 if BLOCKED.search(line.comment) else 0
            assert status == expected, (line.text, printed, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit | ItbError)
        for written in _outputs(words):
            assert Path(written).exists(), f"{line.text} did not write {written}"
        _same_output(line, printed)
    return left_out


def _plain(lines: list[str]) -> str:
    """Text lines (not table rows) in single spaces, schema revisions as NNNN (they move on)."""
    text = " ".join(s for s in lines if s.strip() and s.lstrip()[0] not in "┏┃┡│└")
    return re.sub(r"\b00\d\d\b", "NNNN", " ".join(text.split()))


def _same_output(line: Line, output: str) -> None:
    """Each paragraph a console block shows is in what the command printed (an ending "…"
    stands for the rest of the line)."""
    printed = _plain(output.splitlines())
    paragraph: list[str] = []
    for shown in [*line.output, ""]:
        if shown.strip() and shown.lstrip()[0] not in "┏┃┡│└":
            paragraph.append(shown)
            continue
        expected = _plain(paragraph).removesuffix("…").rstrip()
        assert expected in printed, f"{line.text}\nthe doc shows: {expected}\nprinted: {printed}"
        paragraph = []


def test_every_readme_command_runs_in_order_as_written(cli, folder, monkeypatch):
    """The quickstart's clinic is what the later lines work on (they name NGP001 and P001);
    the records section starts its own clinic, as it says."""
    left_out = _walk(cli, monkeypatch, _readme())
    assert set(left_out) == set(NOT_RUN.values())  # each reason still names a README line
    assert (folder / "out" / "demo" / "clinic-report.html").exists()


@pytest.mark.parametrize("name", DOCS)
def test_every_runnable_block_of_the_docs_runs_and_prints_what_it_shows(
    cli, folder, monkeypatch, name
):
    """Each doc's blocks run in order in a fresh folder, after the README's quickstart (the
    clinic its examples start from)."""
    quickstart = _text("README.md").split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    if AFTER_QUICKSTART in _text(f"docs/{name}"):
        _walk(cli, monkeypatch, [line for b in _blocks(quickstart, marked=False) for line in b])
    blocks = _blocks(_text(f"docs/{name}"), marked=True)
    assert blocks
    assert _walk(cli, monkeypatch, [line for block in blocks for line in block]) == []


def _named_commands() -> list[tuple[str, str]]:
    """(document, command line) for every `itbtwin ...` in a code block or inline code span of
    the README and docs/*.md, synopses with placeholders included."""
    named = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"(?m)^```[a-z]*\n(.*?)^```", text, re.DOTALL):
            for line in block.replace("\\\n", " ").splitlines():
                line = line.removeprefix("$ ").split("  #", 1)[0].strip()
                if line.startswith("itbtwin "):
                    named.append((path.name, line))
        named += [(path.name, span) for span in re.findall(r"`(itbtwin [^`]+)`", text)]
    return named


def test_every_option_the_docs_name_is_an_option_of_that_command():
    """A renamed or removed option cannot stay in the docs (synopses and prose included); after
    a group (`itbtwin report ... --pdf`) the option belongs to one of its commands."""
    load_all()
    root = typer.main.get_command(itbtwin.cli.app)
    wrong = []
    for doc, line in _named_commands():
        command, words = root, line.split()[1:]
        while words and words[0] in getattr(command, "commands", {}):
            command = command.commands[words.pop(0)]  # type: ignore[attr-defined]
        commands = [command, *getattr(command, "commands", {}).values()]
        options = {"--help"} | {o for c in commands for p in c.params for o in p.opts}
        options |= {o for c in commands for p in c.params for o in p.secondary_opts}
        wrong += [(doc, line, o) for o in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", line)
                  if o not in options]  # fmt: skip
    assert len(_named_commands()) > 150
    assert wrong == []


def _python_blocks() -> list[tuple[str, str]]:
    """(document, code) of every ```python block marked runnable in the README and docs."""
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(?m)^```python\n(.*?)^```", text, re.DOTALL):
            if RUNNABLE in text[: match.start()].rstrip().rsplit("\n", 1)[-1]:
                found.append((path.name, match.group(1)))
    return found


PYTHON = _python_blocks()


@pytest.mark.parametrize(("doc", "code"), PYTHON, ids=[doc for doc, _ in PYTHON])
def test_every_runnable_python_block_of_the_docs_runs(folder, doc, code):
    """The library examples run as copied, in a folder beside `examples/`."""
    exec(compile(code, doc, "exec"), {"__name__": "__main__"})


def test_the_library_examples_are_marked_runnable():
    assert {doc for doc, _ in PYTHON} >= {"README.md", "reports.md", "scale.md"}
