"""A database URL whose dialect SQLAlchemy knows but whose driver is not installed (issue 17, h42
retry: `--database oracle://x` said "No module named 'oracledb'", a Python module to a nurse) is
refused as a database itbtwin cannot use, naming the two it can."""

from __future__ import annotations

import pytest

from itbtwin.errors import RecordError


@pytest.mark.parametrize("url", ["oracle://x", "mysql://u@h/d", "postgresql+asyncpg://u@h/d"])
def test_issue_17_a_database_without_its_driver_is_one_line_naming_the_usable_ones(cli, url):
    result = cli("patient", "list", "--database", url)
    assert isinstance(result.exception, RecordError), result.output
    driver = url.split(":", 1)[0]
    assert str(result.exception) == (
        f"{driver!r} in {url} is not a database itbtwin can use: give sqlite:///PATH or "
        "postgresql+psycopg://USER@HOST/DATABASE"
    )
