"""ARCHITECTURE.md, the code map, names only paths that exist and every package of itbtwin (a
module moved or a package added updates the map)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
MAP = (ROOT / "ARCHITECTURE.md").read_text()
PATHS = sorted(set(re.findall(r"`((?:src|tests|benchmarks)/[\w/.]+)`", MAP)))


def test_the_code_map_names_paths():
    assert len(PATHS) >= 20


def test_every_path_on_the_code_map_exists():
    assert [p for p in PATHS if not (ROOT / p).exists()] == []


def test_every_package_is_on_the_code_map():
    packages = sorted(p.parent.name for p in (ROOT / "src" / "itbtwin").glob("*/__init__.py"))
    assert [p for p in packages if f"`src/itbtwin/{p}/`" not in MAP] == []
