"""The public evaluation queries agents really type (../shared/eval/queries.yaml) and their pass rule."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import REPO

QUERIES_FILE = REPO.parent / "shared" / "eval" / "queries.yaml"


def load_queries(path: Path = QUERIES_FILE) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]


def passes(query: dict, results: list[dict], top: int = 5) -> bool:
    """One of the first `top` results has one of the expected strings in its title or text."""
    return any(any(e in r["title"] or e in r["text"] for e in query["expect"]) for r in results[:top])
