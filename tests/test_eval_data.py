"""The project's copy of the public query sets matches the published one, when it is beside the project."""

from __future__ import annotations

import pytest
from conftest import REPO
from eval_queries import DATA, load_queries

PUBLISHED = REPO.parent / "shared" / "eval"


@pytest.mark.parametrize("name", ["queries.yaml", "situations.yaml"])
def test_copy_matches_the_published_query_set(name: str) -> None:
    published = PUBLISHED / name
    if not published.exists():
        return  # a clone on its own: the project's copy is the reference
    assert (DATA / name).read_bytes() == published.read_bytes(), (
        f"tests/data/{name} 与 {published} 不一致，请复制新版本"
    )


def test_query_sets_are_well_formed() -> None:
    assert len(load_queries()) >= 30
    situations = load_queries(DATA / "situations.yaml")
    assert situations and all(q["q"] and q["expect_ids"] for q in situations)
