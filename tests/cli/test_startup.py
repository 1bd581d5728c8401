"""Start-up: `import itbtwin.cli` loads no heavy library, and the lazy command table is the truth.

Issue 13: `itbtwin --help` took 4-5 s because every command module (NumPy, SciPy, numba,
matplotlib, SQLAlchemy, Dask...) was imported first. Timings are measured in
`benchmarks/clinic.py`; these tests check the structure that makes start-up fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version

import click
import pytest
import typer.main

from itbtwin import store
from itbtwin.cli import app
from itbtwin.cli._lazy import COMMANDS, _built, load_all
from itbtwin.store._migrate import _head_in_files
from store_clinic import one_patient

HEAVY = ("numba", "matplotlib", "scipy", "jax", "dask", "plotly", "sqlalchemy", "fastapi", "pint")


def test_issue_13_importing_the_cli_imports_no_heavy_library() -> None:
    probe = (
        "import json, sys; import itbtwin.cli; "
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_issue_13_help_lists_every_command_without_importing_them() -> None:
    probe = (
        "import json, sys; from typer.testing import CliRunner; from itbtwin.cli import app; "
        "r = CliRunner().invoke(app, ['--help']); "
        f"print(json.dumps([r.output, [m for m in {list(HEAVY)!r} if m in sys.modules]]))"
    )
    wide = {**os.environ, "COLUMNS": "300", "TERMINAL_WIDTH": "300"}
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=wide
    )
    page, loaded = json.loads(out.stdout)
    assert loaded == []
    for name, lazy in COMMANDS.items():
        assert f" {name} " in page
        assert lazy.help in page


def test_the_lazy_table_names_every_registered_command_with_its_own_help() -> None:
    load_all()
    group = typer.main.get_group(app)
    assert set(group.commands) == set(COMMANDS)
    for name, command in group.commands.items():
        assert command.get_short_help_str(limit=300) == COMMANDS[name].help, name


def _shape(command: click.Command) -> object:
    """What a user sees of a command: its help, options and sub-commands, recursively."""
    params = [(p.name, p.opts, p.required, p.default) for p in command.params]
    subcommands = getattr(command, "commands", {})
    return command.help, params, {n: _shape(c) for n, c in sorted(subcommands.items())}


def test_a_command_built_alone_is_the_command_the_whole_app_builds() -> None:
    load_all()
    group = typer.main.get_group(app)
    for name in COMMANDS:
        alone = _built(name)
        assert alone is not None, name
        assert _shape(alone) == _shape(group.commands[name]), name


def test_version_prints_the_installed_version(cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"itbtwin {version('itbtwin')}"


def test_a_command_loads_its_module_when_invoked(cli) -> None:
    result = cli("screen", "--json")
    assert result.exit_code == 0, result.output
    assert "next" in result.output.lower() or "dose" in result.output.lower()


def _libraries_loaded_by(args: list[str], libraries: tuple[str, ...]) -> list[str]:
    """Run `itbtwin ARGS` in a fresh interpreter; which of `libraries` it imported."""
    probe = (
        "import json, sys; from itbtwin.cli import main; sys.argv = ['itbtwin', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        f"print('LOADED', json.dumps([m for m in {list(libraries)!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.rsplit("LOADED", 1)[1])


def _clinic(tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The URL of a clinic database at the newest schema holding `one_patient`'s records."""
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    store.upgrade(engine := store.open_engine(url))
    one_patient(engine)
    engine.dispose()
    return url


@pytest.mark.parametrize("command", [["patient", "list"], ["audit"], ["clinic", "show"]])
def test_issue_13_reading_the_records_imports_no_numpy_simulation_plotting_units_or_migrations(
    tmp_path, command: list[str]
) -> None:
    # A list of rows computes nothing: SQLAlchemy is the one heavy library it needs (the pump,
    # patient and clinic packages export lazily, the CLI modules import the machinery in the
    # commands that use it).
    url = _clinic(tmp_path)
    heavy = (*HEAVY, "numpy", "alembic", "argon2", "weasyprint", "scipy.optimize", "pydantic")
    assert _libraries_loaded_by([*command, "--database", url], heavy) == ["sqlalchemy"]


@pytest.mark.parametrize(
    "command", [["patient", "show", "P001"], ["pump", "show", "NGP001"], ["patient", "list"]]
)
def test_issue_13_showing_a_patient_or_pump_imports_no_numpy_or_clinic_rules(
    tmp_path, command: list[str]
) -> None:
    # A record with its pump, programs, fills and corrections is read, not computed: the clinic
    # rules that check a new implant or an amendment (NumPy) stay out (store._pumps imports them
    # in `implant`, the corrections are read by store._correction_rows).
    url = _clinic(tmp_path)
    heavy = (
        *HEAVY,
        "numpy",
        "alembic",
        "argon2",
        "weasyprint",
        "pydantic",
        "itbtwin.clinic._safety_check",
    )
    assert _libraries_loaded_by([*command, "--database", url], heavy) == ["sqlalchemy"]


@pytest.mark.parametrize("command", [["schedule"], ["refill", "schedule", "NGP001"], ["risk"]])
def test_issue_13_the_schedule_and_risk_on_the_records_import_no_units_optimiser_or_plotting(
    tmp_path, command: list[str]
) -> None:
    # The pump's dates are arithmetic (NumPy) from the stored program: SciPy, pint (and the
    # Dask it imports), the plots and the compiler stay out; "7 day" is read without pint.
    url = _clinic(tmp_path)
    heavy = ("scipy", "pint", "dask", "numba", "matplotlib", "plotly", "jax", "alembic")
    assert _libraries_loaded_by([*command, "--database", url], heavy) == []


HELP_WALK = """
import json, sys
from itbtwin.cli import main
from itbtwin.cli._lazy import _built

def paths(command, path):
    yield path
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from paths(sub, [*path, name])

def help_of(path):
    sys.argv = ["itbtwin", *path, "--help"]
    try:
        main()
    except SystemExit as done:
        assert not done.code, (path, done.code)
    return [m for m in HEAVY if m in sys.modules]

HEAVY, name = json.loads(sys.argv[1]), sys.argv[2]
loaded = {name: help_of([name])}  # imports the command's modules: then its tree can be walked
for path in list(paths(_built(name), [name]))[1:]:
    loaded[" ".join(path)] = help_of(path)
print("LOADED", json.dumps(loaded))
"""


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_issue_13_no_help_page_imports_a_numerical_database_web_or_plotting_library(
    name: str,
) -> None:
    # The lazy table imports the command's modules: they register the command and its options
    # and leave the model, the twin, the clinic rules, the records and the report engine to the
    # command body. Every sub-command's help, in turn, in one interpreter (what the first page
    # imported is still there when the next one is asked for).
    heavy = [*HEAVY, "numpy", "alembic", "argon2", "weasyprint", "pydantic"]
    out = subprocess.run(
        [sys.executable, "-c", HELP_WALK, json.dumps(heavy), name],
        capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": "100"},
    )  # fmt: skip
    loaded = json.loads(out.stdout.rsplit("LOADED", 1)[1])
    assert {path: libraries for path, libraries in loaded.items() if libraries} == {}


def test_issue_13_pk_imports_no_plotting_compiler_database_or_optimiser() -> None:
    # SciPy's linalg solves the regimen and pint parses "50 mcg" (pint itself imports Dask
    # when it is installed); nothing else heavy is needed to print the table.
    heavy = ("numba", "matplotlib", "plotly", "jax", "sqlalchemy", "alembic", "fastapi")
    heavy += ("scipy.optimize", "scipy.integrate", "weasyprint")
    assert _libraries_loaded_by(["pk", "--bolus", "50 mcg"], heavy) == []


@pytest.mark.parametrize(
    ("command", "unneeded"),
    [(["user", "list"], ("argon2", "alembic")), (["db", "status"], ("alembic", "argon2"))],
)
def test_listing_users_or_the_schema_status_imports_no_password_hasher_or_migrations(
    tmp_path, command: list[str], unneeded: tuple[str, ...]
) -> None:
    # The users are rows and the schema's head is read from the migration scripts' lines:
    # argon2 loads where a password is hashed or checked, Alembic where the schema changes (h38).
    assert _libraries_loaded_by([*command, "--database", _clinic(tmp_path)], unneeded) == []


def test_issue_13_the_head_revision_read_from_the_migration_scripts_is_alembics() -> None:
    # require_current compares with it without importing Alembic; Alembic is the authority.
    assert _head_in_files() == store.head_revision()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("itbtwin pa", "patient"),
        ("itbtwin patient ", "list"),
        ("itbtwin patient list --", "--json"),
    ],
)
def test_issue_13_shell_completion_answers_without_heavy_libraries(
    words: str, expected: str
) -> None:
    # what the script `itbtwin --install-completion` installs runs on every Tab (bash's protocol)
    probe = (
        "import json, sys; from itbtwin.cli import main; sys.argv = ['itbtwin']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', json.dumps([m for m in {[*HEAVY, 'numpy', 'pydantic']!r} "
        "if m in sys.modules]))"
    )
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {**os.environ, "_ITBTWIN_COMPLETE": "complete_bash", "COMP_WORDS": words}
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        env={**env, "COMP_CWORD": str(cword)},
    )  # fmt: skip
    answer, loaded = out.stdout.rsplit("LOADED", 1)
    assert expected in answer.split()
    assert json.loads(loaded) == []
