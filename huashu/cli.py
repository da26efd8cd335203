"""The `huashu` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from huashu.errors import LibraryInvalid
from huashu.model import KIND_TITLES
from huashu.validate import load_library


class _ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        return super().add_usage(usage, actions, groups, prefix or "用法：")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="huashu",
        description="话术库工具：校验 scripts_library/ 中的 YAML 并生成客服手册。",
        formatter_class=_ChineseHelpFormatter,
        add_help=False,
    )
    parser._optionals.title = "选项"
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    commands = parser.add_subparsers(dest="command", metavar="命令", title="命令")
    validate = commands.add_parser(
        "validate",
        help="校验话术库，列出所有错误（文件:行:列: 字段: 说明）",
        description="校验话术库：一次列出所有错误；有错误时退出码为 1。",
        formatter_class=_ChineseHelpFormatter,
        add_help=False,
    )
    validate._optionals.title = "选项"
    validate._positionals.title = "参数"
    validate.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    validate.add_argument(
        "library", nargs="?", default="scripts_library", type=Path, help="话术库文件夹（默认：scripts_library）"
    )
    return parser


def run_validate(library: Path) -> int:
    try:
        loaded = load_library(library)
    except LibraryInvalid as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    counts = loaded.count_by_kind()
    summary = "，".join(f"{KIND_TITLES[k]} {n} 条" for k, n in counts.items())
    print(f"话术库校验通过：{len(loaded.categories)} 个分类，{len(loaded.entries)} 条（{summary}）。")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "validate":
        return run_validate(args.library)
    _parser().print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
