"""The public evaluation queries agents really type, and their pass rule.

The project carries its own copy (tests/data/); ../shared/eval/ is where they are
published, and tests/test_eval_data.py checks the copies still match when it is there."""

from __future__ import annotations

from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"
QUERIES_FILE = DATA / "queries.yaml"
SITUATIONS_FILE = DATA / "situations.yaml"


def load_queries(path: Path = QUERIES_FILE) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]


def passes(query: dict, results: list[dict], top: int = 5) -> bool:
    """One of the first `top` results has one of the expected strings in its title or text."""
    return any(any(e in r["title"] or e in r["text"] for e in query["expect"]) for r in results[:top])
