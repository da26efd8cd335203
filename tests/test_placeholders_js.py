"""huashu.js fills {占位符} before anything is copied: in Node, without a browser (fast).

The values are literal text; an empty value takes the library's default; a placeholder
with neither is reported missing (and copying refuses, see test_copy_safety.py); per-call
values live in sessionStorage and 新来电 clears them, the agent's 工号 in localStorage."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

HUASHU_JS = Path(__file__).resolve().parents[1] / "overrides" / "assets" / "huashu.js"

# huashu.js in a page stand-in (storage, events, nothing else), then the calls; prints
# one JSON answer per call.
HARNESS = r"""
const fs = require("fs"), vm = require("vm");
const [file, callsJson] = process.argv.slice(1);
function storage(initial) {
  const data = new Map(Object.entries(initial || {}));
  return {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  };
}
const events = [];
const context = {
  JSON, Array, String, Promise, Error, URL,
  navigator: {},
  location: { protocol: "http:", href: "http://site.invalid/" },
  sessionStorage: storage(), localStorage: storage({ "huashu.agent": "not json" }),
  CustomEvent: class { constructor(type, init) { this.type = type; this.detail = init && init.detail; } },
  document: {
    readyState: "complete",
    addEventListener() {},
    dispatchEvent(event) { events.push(event.type); },
    querySelectorAll: () => [],
  },
};
context.window = context;
vm.createContext(context);
vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
const api = context.huashu;
const answers = JSON.parse(callsJson).map(([op, ...args]) => {
  if (op === "events") return events.splice(0);
  const answer = api[op](...args);
  return answer === undefined ? null : JSON.parse(JSON.stringify(answer));
});
process.stdout.write(JSON.stringify(answers));
"""


def run(calls: list[list[object]]) -> list[object]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js (`node`) is not installed: run `make test`, which installs Debian's nodejs", pytrace=False)
    result = subprocess.run(
        [node, "-e", HARNESS, str(HUASHU_JS), json.dumps(calls, ensure_ascii=False)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    answers: list[object] = json.loads(result.stdout)
    return answers


DEFAULTS = {"称呼": "", "时限": "24小时"}  # "": left out when not filled


@pytest.mark.parametrize(
    ("text", "values", "filled", "missing"),
    [
        ("{称呼}，对不起，让您久等了。", {}, "对不起，让您久等了。", []),  # left out, with its comma
        ("{称呼}，对不起，让您久等了。", {"称呼": "王先生"}, "王先生，对不起，让您久等了。", []),
        ("{称呼}您好", {"称呼": "   "}, "您好", []),  # blank: the default (left out)
        ("{称呼}，您好", {"称呼": "$&先生$'$`$$$1"}, "$&先生$'$`$$$1，您好", []),  # literal
        ("您好，{工号}号为您服务", {}, "您好，{工号}号为您服务", ["工号"]),
        ("{部门}和{部门}，{工号}", {}, "{部门}和{部门}，{工号}", ["部门", "工号"]),
        ("{部门}和{部门}", {"部门": "售后"}, "售后和售后", []),
        ("{{ 7*7 }} {% if %} {}", {}, "{{ 7*7 }} {% if %} {}", []),  # not placeholders
        ("在{时限}内答复", {"时限": "3天"}, "在3天内答复", []),
    ],
)
def test_fill_placeholders(text: str, values: dict, filled: str, missing: list[str]) -> None:
    [answer] = run([["fillPlaceholders", text, values, DEFAULTS]])
    assert isinstance(answer, dict)
    assert answer["text"] == filled and answer["missing"] == missing
    # In pieces for showing: one marked piece per placeholder, the value or {name} itself.
    assert "".join(piece for piece, _ in answer["parts"]) == filled
    written = re.findall(r"\{([^{}\s]+)\}", text)
    left_out = [n for n in written if DEFAULTS.get(n) == "" and not str(values.get(n, "")).strip()]
    assert [name for _, name in answer["parts"] if name] == [n for n in written if n not in left_out]


def test_names_in_order_each_once() -> None:
    assert run([["placeholderNames", "{称呼}，{部门}的{称呼}{工号}"]]) == [["称呼", "部门", "工号"]]


def test_per_call_values_and_the_agents_own() -> None:
    answers = run(
        [
            ["callValues"],  # a corrupted store reads as empty
            ["setCallValue", "称呼", "王先生"],
            ["setCallValue", "部门", "售后"],
            ["setCallValue", "工号", "8001"],
            ["callValues"],
            ["events"],
            ["newCall"],
            ["callValues"],  # 新来电: the agent's 工号 stays
            ["events"],
            ["setCallValue", "工号", ""],
            ["callValues"],
        ]
    )
    assert answers[0] == {}
    assert answers[4] == {"称呼": "王先生", "部门": "售后", "工号": "8001"}
    assert answers[5] == ["huashu:values"] * 3
    assert answers[7] == {"工号": "8001"}
    assert answers[8] == ["huashu:newcall", "huashu:values"]
    assert answers[10] == {}


def test_missing_message_names_each_placeholder() -> None:
    assert run([["missingMessage", ["工号", "部门"]]]) == ["请先填写 {工号}、{部门}"]
