"""Why huashu's index is not a lunr.py index: its size and build time, measured.

Builds the index the issue proposed as the starting point: lunr.py, one token
per character plus every pinyin reading and initial of each hanzi (what a
pinyin-aware lunr index needs at the least), over the same library that
search_bench.py uses, and prints the serialized size beside huashu's index.

    python bench/lunr_probe.py --entries 10000
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from generate import generate  # noqa: E402
from lunr import lunr  # noqa: E402

from huashu import load_library  # noqa: E402
from huashu.readings import readings_in_use  # noqa: E402
from huashu.search_index import build_index, document_for  # noqa: E402


def tokens(text: str, readings: dict[str, tuple[str, ...]]) -> str:
    out = []
    for char in text:
        if char.isspace():
            continue
        out.append(char)
        for reading in readings.get(char, ()):
            out += [reading, reading[0]]
    return " ".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description="lunr.py 索引的大小与构建时间（对照 huashu 的索引）")
    parser.add_argument("--entries", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        library = load_library(generate(args.entries, Path(work) / "library"))
    docs = [document_for(e, library) for e in library.entries]
    readings = readings_in_use(t for d in docs for t in d.texts())
    records = [
        {"id": d.id, "title": tokens(d.title, readings), "body": tokens(" ".join(d.texts()[1:]), readings)}
        for d in docs
    ]
    start = time.perf_counter()
    index = lunr(ref="id", fields=[{"field_name": "title", "boost": 10}, "body"], documents=records)
    built = time.perf_counter() - start
    serialized = json.dumps(index.serialize(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head, shards = build_index(library)
    ours = [json.dumps(x, ensure_ascii=False, separators=(",", ":")).encode("utf-8") for x in [head, *shards]]
    print(f"| {len(library.entries)} entries | lunr.py | huashu |")
    print("| --- | ---: | ---: |")
    print(f"| index build (s) | {built:.1f} | (see search_bench build times) |")
    print(f"| serialized index (MB) | {len(serialized) / 1e6:.1f} | {sum(map(len, ours)) / 1e6:.1f} |")
    print(
        f"| gzip (KB) | {len(gzip.compress(serialized)) / 1024:.0f} | "
        f"{sum(len(gzip.compress(x)) for x in ours) / 1024:.0f} (head {len(gzip.compress(ours[0])) / 1024:.0f}) |"
    )


if __name__ == "__main__":
    main()
