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


def _with_chinese_help(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Section titles and the -h option in Chinese, like the rest of the command's text."""
    parser._optionals.title = "选项"
    parser._positionals.title = "参数"
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = _with_chinese_help(
        argparse.ArgumentParser(
            prog="huashu",
            description="话术库工具：校验 scripts_library/ 中的 YAML 并生成客服手册。",
            formatter_class=_ChineseHelpFormatter,
            add_help=False,
        )
    )
    commands = parser.add_subparsers(dest="command", metavar="命令", title="命令")

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            prog=f"huashu {name}",  # else argparse builds it from the parent's already-prefixed usage
            help=summary,
            description=description,
            formatter_class=_ChineseHelpFormatter,
            add_help=False,
        )
        return _with_chinese_help(sub)

    validate = command(
        "validate",
        "校验话术库，列出所有错误（文件:行:列: 字段: 说明）",
        "校验话术库：一次列出所有错误；有错误时退出码为 1。",
    )
    validate.add_argument(
        "library", nargs="?", default="scripts_library", type=Path, help="话术库文件夹（默认：scripts_library）"
    )
    cards = command(
        "cards", "把打印卡片导出为 PDF（用无头 Chromium 打印手册的卡片页）", "把打印卡片导出为一个可直接打印的 PDF。"
    )
    cards.add_argument("--pdf", type=Path, required=True, metavar="文件", help="输出的 PDF 文件")
    cards.add_argument(
        "--size", choices=["a6", "a5", "a4-4up"], default="a6", help="纸张：a6、a5 或 a4-4up（A4 纸四张 A6，带裁切线）"
    )
    cards.add_argument("--pinyin", action="store_true", help="在汉字上方标注拼音")
    cards.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="站点配置（默认：mkdocs.yml）")
    return parser


def run_cards(pdf: Path, size: str, pinyin_on: bool, config: Path) -> int:
    from mkdocs.exceptions import MkDocsException

    from huashu.pdf import PdfError, export_cards

    if not config.exists():
        print(f"找不到站点配置 {config}", file=sys.stderr)
        return 1
    try:
        pages = export_cards(config, pdf, size, pinyin_on)
    except (PdfError, MkDocsException) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"已导出 {pdf}：{pages} 页（{size}{'，带拼音' if pinyin_on else ''}）。")
    return 0


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
    if args.command == "cards":
        return run_cards(args.pdf, args.size, args.pinyin, args.config)
    _parser().print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
