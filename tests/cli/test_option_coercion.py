"""Options are read as typer reads them, without pydantic where nothing needs converting (issue 13).

`itbtwin.cli._option_coercion` defers typer's pydantic coercion to the values that need it; these
tests hold it to typer's own results on every kind of option the CLI uses.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import itbtwin.cli  # noqa: F401  (installs the deferred coercion, as the CLI does)
from itbtwin.cli._option_coercion import DeferredParam


def _probe_app() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def probe(
        name: Annotated[str, typer.Argument()],
        text: Annotated[str, typer.Option()] = "default",
        maybe: Annotated[str | None, typer.Option()] = None,
        flag: Annotated[bool, typer.Option("--flag")] = False,
        count: Annotated[int, typer.Option()] = 1,
        dose: Annotated[float, typer.Option()] = 0.5,
        where: Annotated[Path | None, typer.Option()] = None,
        many: Annotated[list[str] | None, typer.Option("--many")] = None,
    ) -> None:
        values = [name, text, maybe, flag, count, dose, where, many]
        print(json.dumps([v if not isinstance(v, Path) else f"Path:{v}" for v in values]))

    return app


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(_probe_app(), list(args), env=env)
    return result.exit_code, result.output


def test_issue_13_text_flags_and_missing_options_keep_the_value_as_typed() -> None:
    code, out = _run("P001", "--text", " 50 mcg ", "--flag", "--maybe", "x")
    assert code == 0, out
    assert json.loads(out) == ["P001", " 50 mcg ", "x", True, 1, 0.5, None, None]


def test_issue_13_numbers_paths_and_lists_are_still_converted_by_typer() -> None:
    code, out = _run("P", "--count", "3", "--dose", "2.5", "--where", "a/b", "--many", "x")
    assert code == 0, out
    assert json.loads(out) == ["P", "default", None, False, 3, 2.5, "Path:a/b", ["x"]]


def test_issue_13_a_number_option_that_is_not_a_number_is_refused_by_typer() -> None:
    code, out = _run("P", "--count", "three")
    assert code == 2
    assert "--count" in out


def test_issue_13_a_number_outside_its_range_is_refused_by_typer_even_as_a_default() -> None:
    app = typer.Typer()

    @app.command()
    def probe(
        port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
        late: Annotated[int, typer.Option(min=1)] = 0,
    ) -> None:
        print(json.dumps([port, late]))

    assert CliRunner().invoke(app, ["--late", "2"]).output.strip() == "[8000, 2]"
    refused = CliRunner().invoke(app, ["--port", "70000", "--late", "2"])
    assert refused.exit_code == 2
    assert CliRunner().invoke(app, []).exit_code == 2  # the default 0 is below 1


def test_issue_13_a_flag_from_the_environment_is_converted_by_typer() -> None:
    app = typer.Typer()

    @app.command()
    def probe(flag: Annotated[bool, typer.Option("--flag", envvar="PROBE_FLAG")] = False) -> None:
        print(json.dumps(flag))

    assert CliRunner().invoke(app, [], env={"PROBE_FLAG": "1"}).output.strip() == "true"
    assert CliRunner().invoke(app, [], env={"PROBE_FLAG": "0"}).output.strip() == "false"


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))))
def test_issue_13_any_text_option_reads_as_typers_adapter_reads_it(text: str) -> None:
    command = typer.main.get_command(_probe_app())
    option = next(p for p in command.params if p.name == "text")
    deferred = option.get_runtime_param()
    assert isinstance(deferred, DeferredParam)
    ctx = command.make_context("probe", ["P"])
    assert deferred.coerce(text, option, ctx) == deferred.typers.coerce(text, option, ctx)


def test_issue_13_a_command_reading_text_options_imports_no_pydantic() -> None:
    # typer builds its pydantic adapter only for a value that needs converting
    probe = (
        "import sys; from itbtwin.cli import main\n"
        "sys.argv = ['itbtwin', 'screen', '--json', '--weight', '30 kg', '--age', '9 year']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('pydantic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
