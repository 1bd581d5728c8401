"""Issue 12, point 10: the repository is self-contained. Every source key resolves to a full
citation in docs/sources.md, and no document links to a file outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from itbtwin.sources import SOURCES

ROOT = Path(__file__).parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SOURCES_DOC = ROOT / "docs" / "sources.md"
LINK = re.compile(r"\]\(([^)\s]+)\)")
OUTSIDE = re.compile(r"\.\./shared|(?<![\w.-])shared/(reference|DESIGN|STYLE|bin)")


def _documented() -> dict[str, str]:
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \|", SOURCES_DOC.read_text(), re.MULTILINE)
    return {key: citation.strip() for key, citation in rows}


def test_issue_12_every_source_key_has_a_full_citation_in_docs_and_no_other():
    documented = _documented()
    assert sorted(documented) == sorted(SOURCES)
    for key, short in SOURCES.items():
        assert len(documented[key]) >= len(short) * 0.6, key  # a citation, not a stub


def test_source_citations_printed_by_reports_name_nothing_outside_the_repository():
    for key, citation in SOURCES.items():
        assert not OUTSIDE.search(citation), key
        assert "reference/" not in citation, key


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.name for d in DOCUMENTS])
def test_issue_12_documents_link_only_to_files_inside_the_repository(document):
    text = document.read_text(encoding="utf-8")
    assert not OUTSIDE.search(text), OUTSIDE.search(text)
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a web address or an anchor on the same page
        path = (document.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT), f"{document.name} links outside: {target}"
        assert path.exists(), f"{document.name} links to a missing file: {target}"
