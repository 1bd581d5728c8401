"""Hand-computed clinical cases on a small clinic made with the CLI: the records fixtures of
`tests/records_cli` (P001, spinal, T4, with NGP001: 20 mL of 500 mcg/mL at 250 mcg/day,
implanted Mon 2 Nov 2026 10:00 Europe/London)."""

from records_cli.conftest import clinic, records  # noqa: F401  (fixtures used by these tests)
