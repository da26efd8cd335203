"""Search quality on the public query sets, the engine run in Node over the bundled library.

    python bench/search_quality.py            # table per query kind: hit@1, hit@5, MRR, empty
    python bench/search_quality.py --misses   # also every query whose top 5 misses

Lookups (tests/data/queries.yaml) pass when one of the first five results has an
expected string in its title or text; situations (tests/data/situations.yaml) when
one of the first five is an expected entry (a category id stands for its page).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from eval_queries import QUERIES_FILE, SITUATIONS_FILE, load_queries  # noqa: E402

from huashu import load_library  # noqa: E402
from huashu.search_index import build_index  # noqa: E402

ENGINE = REPO / "overrides" / "assets" / "search" / "engine.js"
RUNNER = REPO / "tests" / "js" / "search_queries.js"


def run_queries(library_dir: Path, queries: list[str], limit: int = 10) -> list[dict]:
    """Each query's results and timing, from the real engine in Node over `library_dir`'s index."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("需要 Node.js（node）：make test 会安装 Debian 的 nodejs")
    head, shards = build_index(load_library(library_dir, base=library_dir.parent))
    with tempfile.TemporaryDirectory() as work:
        index, asked = Path(work) / "index.json", Path(work) / "queries.json"
        index.write_text(json.dumps({"head": head, "shards": shards}, ensure_ascii=False), encoding="utf-8")
        asked.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
        done = subprocess.run(
            [node, str(RUNNER), str(ENGINE), str(index), str(asked), str(limit)],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
    return json.loads(done.stdout)


def rank_of(query: dict, results: list[dict]) -> int | None:
    """1-based rank of the first result that satisfies the query, or None."""
    for rank, result in enumerate(results, start=1):
        if "expect_ids" in query and result["id"] in query["expect_ids"]:
            return rank
        if "expect" in query and any(e in result["title"] or e in result["text"] for e in query["expect"]):
            return rank
    return None


def evaluate(library_dir: Path) -> dict[str, dict]:
    """Per query set and kind: counts, hit@1, hit@5, MRR, empty results; and every query's outcome."""
    sets = {"lookups": load_queries(QUERIES_FILE), "situations": load_queries(SITUATIONS_FILE)}
    report: dict[str, dict] = {}
    for name, queries in sets.items():
        answers = run_queries(library_dir, [q["q"] for q in queries])
        for query, answer in zip(queries, answers, strict=True):
            kind = f"{name}/{query.get('kind', 'lookup')}"
            rank = rank_of(query, answer["results"][:5])
            for key in (name, kind):
                row = report.setdefault(key, {"n": 0, "hit1": 0, "hit5": 0, "rr": 0.0, "empty": 0, "misses": []})
                row["n"] += 1
                row["hit1"] += rank == 1
                row["hit5"] += rank is not None
                row["rr"] += 1 / rank if rank else 0.0
                row["empty"] += not answer["results"]
                if rank is None and key == name:
                    row["misses"].append((query["q"], [r["id"] for r in answer["results"][:5]]))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description="搜索质量：公开查询集的 hit@1、hit@5、MRR 和空结果率")
    parser.add_argument("--library", type=Path, default=REPO / "scripts_library")
    parser.add_argument("--misses", action="store_true", help="列出前 5 名里没有答案的查询")
    args = parser.parse_args()
    report = evaluate(args.library)
    print(f"{'queries':<32}{'n':>4}{'hit@1':>8}{'hit@5':>8}{'MRR':>7}{'empty':>7}")
    for key, row in report.items():
        n = row["n"]
        print(
            f"{key:<32}{n:>4}{row['hit1'] / n:>8.0%}{row['hit5'] / n:>8.0%}{row['rr'] / n:>7.2f}{row['empty'] / n:>7.0%}"
        )
    if args.misses:
        for key in ("lookups", "situations"):
            for query, top in report[key]["misses"]:
                print(f"  miss {key}: {query} -> {top}")


if __name__ == "__main__":
    main()
