"""Issue 17 leftover 4: `itbtwin demo` checks every bound (size, seed, today) before it makes
its --out folder or any file: a refused demo leaves nothing behind."""

from __future__ import annotations

import pytest

from itbtwin.errors import RecordError

BAD = [
    (["--size", "0"], "at least 8 patients, not 0"),
    (["--size", "-1"], "at least 8 patients, not -1"),
    (["--size", "10001"], "at most 10,000 patients, not 10,001"),
    (["--size", str(2**63)], "at most 10,000 patients"),
    (["--seed", "-1"], "--seed must be 0 or more"),
    (["--today", "1900-01-01"], "--today 1900-01-01 is outside 2000-01-01"),
    (["--today", "0001-01-01"], "--today 0001-01-01 is outside"),
    (["--today", "9999-12-31"], "a typing error"),
    (["--today", "2026-02-30"], "is not a date YYYY-MM-DD"),
]


@pytest.mark.parametrize(("options", "message"), BAD, ids=[" ".join(o) for o, _ in BAD])
def test_issue_17_a_refused_demo_makes_no_folder_and_no_file(cli, tmp_path, options, message):
    out = tmp_path / "demo" / "out"
    result = cli("demo", "--out", str(out), *options)
    assert isinstance(result.exception, RecordError), result.output
    assert message in str(result.exception)
    assert not (tmp_path / "demo").exists()
