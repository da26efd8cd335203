"""The `huashu` command line."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import NoReturn

from huashu import load_library, review
from huashu.errors import LibraryInvalid
from huashu.filewrite import WriteError
from huashu.lint import lint_library
from huashu.load import CATEGORY_FILE, DEFAULT_LIBRARY
from huashu.mark_reviewed import ReviewedError, mark_reviewed
from huashu.mark_reviewed import describe as describe_reviewed
from huashu.model import ENTRY_CLASSES, KIND_TITLES, LINT_RULES, Library
from huashu.new_entry import NewEntryError, add_entry, describe
from huashu.schema import SCHEMA_PATH, schema_text
from huashu.stats import format_stats, library_stats


def default_library() -> Path:
    """The library the site beside us builds from (mkdocs.yml's extra.huashu.library), else scripts_library/."""
    config = Path("mkdocs.yml")
    if config.is_file():
        from huashu.site import library_setting  # MkDocs is imported only when there is a site

        found = library_setting(config)
        return found.relative_to(Path.cwd()) if found.is_absolute() and found.is_relative_to(Path.cwd()) else found
    return Path(DEFAULT_LIBRARY)


class _ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def,unused-ignore]
        return super().add_usage(usage, actions, groups, prefix or "用法：")


# argparse's own error messages, in the words the rest of the command uses.
_ARGPARSE_ERRORS = (
    (re.compile(r"the following arguments are required: (.*)"), "缺少必填参数：{0}"),
    (
        re.compile(r"argument (.*?): invalid choice: '?(.*?)'? \(choose from (.*)\)"),
        "参数 {0} 的值“{1}”无效，可选：{2}",
    ),
    (re.compile(r"unrecognized arguments: (.*)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (.*?): expected one argument"), "参数 {0} 后面需要一个值"),
    (re.compile(r"argument (.*?): (.*)"), "参数 {0}：{1}"),  # our own checks, already in Chinese
)


class _ChineseParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for pattern, chinese in _ARGPARSE_ERRORS:
            match = pattern.search(message)
            if match:
                message = chinese.format(*match.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{message}\n")


def _with_chinese_help(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Section titles and the -h option in Chinese, like the rest of the command's text."""
    parser._optionals.title = "选项"
    parser._positionals.title = "参数"
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    return parser


def _date_argument(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，应为 YYYY-MM-DD，如 2026-01-31") from None


def _library_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--library", type=Path, metavar="文件夹", help="话术库文件夹（默认：站点设置的话术库）")


def _parser() -> argparse.ArgumentParser:
    parser = _with_chinese_help(
        _ChineseParser(
            prog="huashu",
            description="话术库工具：校验 scripts_library/ 中的 YAML 并生成客服手册。",
            formatter_class=_ChineseHelpFormatter,
            add_help=False,
        )
    )
    commands = parser.add_subparsers(dest="command", metavar="命令", title="命令", parser_class=_ChineseParser)

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
        "校验话术库：一次列出所有错误；有错误时退出码为 1。\n"
        "可以给出话术库文件夹，或其中的文件（校验它们所在的整个话术库，因为引用跨文件）。",
    )
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="路径",
        help="话术库文件夹或其中的文件（默认：站点设置的话术库，一般是 scripts_library）",
    )
    validate.add_argument(
        "--strict",
        action="store_true",
        help="有提醒时退出码也为 1（站点设置了 strict，提醒会让构建失败；pre-commit 用它）",
    )
    lint = command(
        "lint",
        "检查话术库里该改的地方（忌语、重复、太长、过期、占位符）",
        "检查校验通过的话术库里编辑应该改的地方，每条提醒带 文件:行:列 和规则名：\n"
        + "\n".join(f"  {name:<24}{title}" for name, title in LINT_RULES.items())
        + "\n\n给出文件时只报告这些文件里的提醒（适合 pre-commit）。\n"
        "条目里写 lint_ignore: [规则名] 可以关掉这个条目的某项检查。",
    )
    lint.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="路径",
        help="话术库文件夹或其中的文件（默认：站点设置的话术库，一般是 scripts_library）",
    )
    lint.add_argument("--strict", action="store_true", help="有提醒时退出码为 1（用于 CI 和 pre-commit）")
    new = command(
        "new",
        "新建一个条目（话术、流程或问答），追加到对应分类的文件里",
        "新建一个条目：用标题的拼音生成不重复的 id，追加到该分类的文件末尾（文件里的注释和格式保持不变），\n"
        "需要填写的字段写成“待填写”，huashu lint 会一直提醒直到填好。",
    )
    new.add_argument(
        "kind", choices=list(ENTRY_CLASSES), metavar="类型", help="phrase 话术 / procedure 流程 / faq 问答"
    )
    new.add_argument("--category", required=True, metavar="分类", help="分类 id（见 categories.yaml）")
    new.add_argument("--title", required=True, metavar="标题", help="条目标题")
    new.add_argument("--owner", metavar="负责人", help="负责人（默认：这个分类里最常见的负责人）")
    new.add_argument(
        "--id", dest="entry_id", metavar="id", help="条目 id（默认：标题的拼音，如 午间问候 → wujian-wenhou）"
    )
    _library_option(new)
    reviewed = command(
        "reviewed",
        "记录条目的复核日期（只改这些条目，文件其他内容一字不改）",
        "记录一个或几个条目的复核日期（默认今天）：条目自己写了 reviewed 的改这一行的日期；\n"
        "用文件 defaults 里日期的，在这个条目末尾加一行 reviewed，同文件的其他条目不受影响。\n"
        "有一个 id 不存在就什么都不写。",
    )
    reviewed.add_argument("ids", nargs="+", metavar="id", help="条目 id（可以写多个，可以在不同文件里）")
    reviewed.add_argument("--date", type=_date_argument, metavar="YYYY-MM-DD", help="复核日期（默认：今天）")
    _library_option(reviewed)
    sheet_import = command(
        "import",
        "从 Excel（.xlsx）或 CSV 话术表导入条目",
        "把现有的话术表导入话术库：每一行成为一个条目，追加到对应分类的文件末尾（文件原有内容一字不改）。\n"
        "表头可以是中文或英文（分类、标题、话术、使用场景、标签、渠道、类型、负责人、复核日期、id 等）；\n"
        "分类按 id 或名称对应，没有的分类会新建。已有的条目不会被覆盖；有问题的行跳过并列出行号和原因。\n"
        "退出码：0 全部导入；1 有行被跳过或与已有条目不同（其余行照常写入）；2 文件无法读取、参数有误或无法写入。",
    )
    sheet_import.add_argument("file", type=Path, metavar="文件", help="话术表：.xlsx 或 .csv（UTF-8 或 GBK 编码）")
    sheet_import.add_argument("--sheet", metavar="工作表", help="只导入这个工作表（默认：全部工作表）")
    sheet_import.add_argument(
        "--columns", metavar="表头=字段,…", help="指定表头对应的字段，如 话术内容=text,适用场景=when"
    )
    sheet_import.add_argument("--check", action="store_true", help="只预览会发生什么，不写入任何文件")
    _library_option(sheet_import)
    sheet_export = command(
        "export",
        "把全部条目导出为 Excel（.xlsx）或 CSV，给主管审阅",
        "导出全部条目：.xlsx 每种类型一个工作表（话术 / 流程 / 问答），.csv 一个表加“类型”列。\n"
        "忌语单独一列；带负责人、复核日期和到期日期。同一个话术库每次导出的文件完全相同。",
    )
    sheet_export.add_argument("file", type=Path, metavar="文件", help="输出文件：.xlsx 或 .csv")
    _library_option(sheet_export)
    stats = command(
        "stats", "统计条目数：按类型、分类、负责人和复核状态", "统计话术库：按类型、分类、负责人和复核状态。"
    )
    stats.add_argument("library", nargs="?", type=Path, metavar="文件夹", help="话术库文件夹（默认：站点设置的话术库）")
    stats.add_argument("--json", action="store_true", help="输出 JSON（给其他程序用）")
    schema = command(
        "schema",
        "生成编辑器用的 JSON Schema（VS Code 的 YAML 插件据此补全和提示错误）",
        f"从内容模型生成 JSON Schema，写到 {SCHEMA_PATH}。",
    )
    schema.add_argument(
        "--output", type=Path, default=Path(SCHEMA_PATH), metavar="文件", help=f"输出文件（默认：{SCHEMA_PATH}）"
    )
    schema.add_argument("--check", action="store_true", help="只检查文件是否是最新的；不是则退出码为 1")
    cards = command(
        "cards", "把打印卡片导出为 PDF（用无头 Chromium 打印手册的卡片页）", "把打印卡片导出为一个可直接打印的 PDF。"
    )
    cards.add_argument("--pdf", type=Path, required=True, metavar="文件", help="输出的 PDF 文件")
    cards.add_argument(
        "--size",
        choices=["a6", "a5", "a4-4up", "auto"],
        default="a6",
        help="纸张：a6、a5、a4-4up（A4 纸四张 A6，带裁切线）或 auto（按卡片设置：每张卡片用放得下的纸，A6 或 A5 混排）",
    )
    cards.add_argument("--pinyin", action="store_true", help="在汉字上方标注拼音")
    cards.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="站点配置（默认：mkdocs.yml）")
    return parser


def run_cards(pdf: Path, size: str, pinyin_on: bool, config: Path) -> int:
    from mkdocs.exceptions import MkDocsException

    from huashu.cards import run_title
    from huashu.pdf import PdfError, export_cards

    if not config.exists():
        print(f"找不到站点配置 {config}", file=sys.stderr)
        return 1
    try:
        pages, fitting = export_cards(config, pdf, size, pinyin_on)
    except (PdfError, MkDocsException) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for message in fitting:
        print(message)
    print(f"已导出 {pdf}：{pages} 页（{run_title(size, pinyin_on)}）。")
    return 0


class TargetError(Exception):
    """A path given on the command line that is not in any library."""


def library_root(path: Path) -> Path:
    """The library a path belongs to: the nearest folder (itself or above) with categories.yaml."""
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.resolve().parents):
        if (folder / CATEGORY_FILE).is_file():
            return folder
    if path.is_dir() and path.name == DEFAULT_LIBRARY:
        return path  # a library missing categories.yaml: validation reports that
    raise TargetError(f"{path}：不在任何话术库里（找不到 {CATEGORY_FILE}）")


def libraries_for(paths: list[Path]) -> dict[Path, set[Path] | None]:
    """Each library to check, with the files asked about (None: the whole library)."""
    targets: dict[Path, set[Path] | None] = {}
    for path in paths or [default_library()]:
        if not path.exists():
            raise TargetError(f"{path}：文件或文件夹不存在")
        root = library_root(path)
        if path.is_dir():
            targets[root] = None
        elif targets.get(root, set()) is not None:
            targets.setdefault(root, set()).add(path.resolve())  # type: ignore[union-attr]
    return targets


def load_or_report(library: Path) -> Library | None:
    try:
        return load_library(library)
    except LibraryInvalid as exc:
        print(exc.report(), file=sys.stderr)
        return None


def run_validate(paths: list[Path], strict: bool = False) -> int:
    status = 0
    for library in libraries_for(paths):
        loaded = load_or_report(library)
        if loaded is None:
            status = 1
            continue
        for warning in loaded.warnings:
            print(warning)
        counts = loaded.count_by_kind()
        summary = "，".join(f"{KIND_TITLES[k]} {n} 条" for k, n in counts.items())
        also = f"另有 {len(loaded.warnings)} 条提醒（见上），请看看是不是想要的结果。" if loaded.warnings else ""
        print(f"话术库校验通过：{len(loaded.categories)} 个分类，{len(loaded.entries)} 条（{summary}）。{also}")
        if strict and loaded.warnings:
            print("有提醒，按 --strict 不通过：站点构建（mkdocs.yml 里 strict: true）也会因提醒失败，请先处理。")
            status = 1
    return status


def run_lint(paths: list[Path], strict: bool) -> int:
    warnings = []
    for library, files in libraries_for(paths).items():
        loaded = load_or_report(library)
        if loaded is None:
            return 1
        found = lint_library(loaded)
        if files is not None:
            found = [w for w in found if Path(w.file).resolve() in files]
        warnings += found
    for warning in warnings:
        print(warning)
    if not warnings:
        print("话术库检查通过，没有提醒。")
        return 0
    by_rule = Counter(w.rule for w in warnings)
    print(f"共 {len(warnings)} 条提醒（" + "，".join(f"{rule} {n}" for rule, n in sorted(by_rule.items())) + "）。")
    return 1 if strict else 0


def run_new(args: argparse.Namespace) -> int:
    try:
        added = add_entry(
            args.library or default_library(),
            args.kind,
            args.category,
            args.title,
            owner=args.owner,
            entry_id=args.entry_id,
        )
    except (NewEntryError, WriteError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(describe(added, Path.cwd()))
    return 0


def run_reviewed(args: argparse.Namespace) -> int:
    today = review.today()
    on = args.date or today
    if on > today:
        # A review cannot have happened yet; a typo (2062 for 2026) would only fail the next build.
        print(
            f"--date {on} 晚于今天（{today}）：复核日期不能是将来的日期，没有写入。"
            "请写实际复核的那一天（不写 --date 就是今天）",
            file=sys.stderr,
        )
        return 2
    try:
        marked = mark_reviewed(args.library or default_library(), args.ids, on)
    except (ReviewedError, WriteError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(describe_reviewed(marked, on, Path.cwd()))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from huashu.sheet_import import ImportUsageError, import_sheet, parse_column_options, report
    from huashu.sheet_read import SheetUnreadable

    try:
        result = import_sheet(
            args.file,
            args.library or default_library(),
            sheet=args.sheet,
            columns=parse_column_options(args.columns),
            check=args.check,
        )
    except (ImportUsageError, SheetUnreadable, WriteError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(report(result, args.check, Path.cwd()))
    return result.exit_code


def run_export(file: Path, library: Path) -> int:
    from huashu.sheet_export import ExportError, export

    loaded = load_or_report(library)
    if loaded is None:
        return 1
    try:
        counts = export(loaded, file)
    except (ExportError, WriteError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"已导出 {file}：" + "，".join(f"{kind} {n} 条" for kind, n in counts.items()) + "。")
    return 0


def run_stats(library: Path, as_json: bool) -> int:
    loaded = load_or_report(library)
    if loaded is None:
        return 1
    stats = library_stats(loaded, review.today())
    print(json.dumps(stats, ensure_ascii=False, indent=2) if as_json else format_stats(stats))
    return 0


def run_schema(output: Path, check: bool) -> int:
    text = schema_text()
    if check:
        if output.exists() and output.read_text(encoding="utf-8") == text:
            print(f"{output} 是最新的。")
            return 0
        print(f"{output} 不是最新的，请运行 huashu schema 重新生成。", file=sys.stderr)
        return 1
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"已生成 {output}。")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:  # `huashu lint | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "validate":
            return run_validate(args.paths, args.strict)
        if args.command == "lint":
            return run_lint(args.paths, args.strict)
        if args.command == "new":
            return run_new(args)
        if args.command == "reviewed":
            return run_reviewed(args)
        if args.command == "import":
            return run_import(args)
        if args.command == "export":
            return run_export(args.file, args.library or default_library())
        if args.command == "stats":
            return run_stats(args.library or default_library(), args.json)
        if args.command == "schema":
            return run_schema(args.output, args.check)
        if args.command == "cards":
            return run_cards(args.pdf, args.size, args.pinyin, args.config)
    except TargetError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    _parser().print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
