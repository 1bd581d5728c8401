"""Issue 17 sweep of the command line's options: a dose after the end of a `pk` simulation was
left out of the results without a word, and `serve` on port 70000 or an impossible host ended in
uvicorn's traceback; each is now one line naming the option."""

from __future__ import annotations

import pytest

from itbtwin.errors import ItbError


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bolus", "50 mcg@48h"], "the bolus '50 mcg@48h' is given after the end"),
        (["--bolus", "50 mcg@1e300h"], "the bolus '50 mcg@1e300h' is given after the end"),
        (["--oral", "20 mg@30h"], "the oral dose '20 mg@30h' is given after the end"),
        (["--bolus", "50 mcg@24h"], "(24 h): lengthen it with --hours or --days"),
    ],
)
def test_issue_17_a_dose_after_the_end_of_the_simulation_is_refused(cli, args, message):
    result = cli("pk", *args)
    assert isinstance(result.exception, ItbError), result.output
    assert message in str(result.exception)


def test_issue_17_a_dose_within_the_simulation_is_simulated(cli):
    result = cli("pk", "--bolus", "50 mcg@48h", "--hours", "72", "--json")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "--port 70000 is not a TCP port: give one from 1 to 65535"),
        (["--port", "0"], "--port 0 is not a TCP port"),
        (["--host", "999.1.1.1"], "--host '999.1.1.1' is not an address"),
    ],
)
def test_issue_17_serve_refuses_an_impossible_place_to_listen(cli, args, message):
    result = cli("serve", *args)
    assert isinstance(result.exception, ItbError), result.output
    assert message in str(result.exception)


def test_issue_17_months_on_itb_longer_than_pumps_have_existed_is_refused(cli):
    """1e300 months of tolerance read as a bolus whose effect never comes."""
    result = cli(
        "pk", "--bolus", "50 mcg", "--effect", "--baseline-mas", "3", "--months-on-itb", "1e300"
    )
    assert isinstance(result.exception, ItbError), result.output
    assert "longer than ITB pumps have existed" in str(result.exception)
    assert (
        cli(
            "pk", "--bolus", "50 mcg", "--effect", "--baseline-mas", "3", "--months-on-itb", "120"
        ).exit_code
        == 0
    )


@pytest.mark.parametrize(
    ("name", "role", "message"),
    [
        ("a\x1b[31mb", "nurse", "a user name is 1-100 printable characters without spaces"),
        ("a\u202eb", "nurse", "printable characters"),
        ("admin", "god", "role must be one of physician, nurse, researcher, got 'god'"),
    ],
)
def test_issue_17_user_add_refuses_a_bad_name_or_role_before_the_password(cli, name, role, message):
    """No password is asked for (the runner gives no input: a prompt would abort, exit 1)."""
    assert cli("db", "upgrade").exit_code == 0
    result = cli("user", "add", name, "--role", role)
    assert isinstance(result.exception, ItbError), result.output
    assert message in str(result.exception)
    assert "password" not in result.output


def test_issue_17_serve_demo_refuses_a_database_it_would_not_read(cli, tmp_path):
    """h36 sweep: `serve --demo --database URL` served the demo clinic, the URL unread."""
    result = cli("serve", "--demo", "--database", f"sqlite:///{tmp_path / 'clinic.db'}")
    assert isinstance(result.exception, ItbError), result.output
    assert str(result.exception) == (
        "--demo serves a new temporary demo clinic: leave out --database"
    )
    assert list(tmp_path.iterdir()) == []
