"""The content model: the one definition every other stage derives from.

Validation (`huashu.validate`), page rendering (`huashu.pages`) and the JSON
Schema for editors all read these dataclasses and their field metadata; a new
field is added here and nowhere else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Literal, NewType

# An entry id: stable, unique across the library and used in URLs.
EntryId = NewType("EntryId", str)
# A reference to another entry by its id; checked against the library.
EntryRef = NewType("EntryRef", str)
# A reference that must name a phrase (话术), e.g. from a procedure step.
PhraseRef = NewType("PhraseRef", str)
CategoryId = NewType("CategoryId", str)
# A reference to a category by its id; checked against categories.yaml.
CategoryRef = NewType("CategoryRef", str)
CardId = NewType("CardId", str)
# How long a review stays valid: "6个月", "90天", "2周", "1年" (or 6 months, 90 days…).
ReviewPeriod = NewType("ReviewPeriod", str)

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PLACEHOLDER_PATTERN = r"\{([^{}\s]+)\}"
REVIEW_PERIOD_PATTERN = r"^\s*(\d+)\s*(天|日|周|星期|个月|月|年|days?|weeks?|months?|years?)\s*$"
DEFAULT_REVIEW_PERIOD = "12个月"

Channel = Literal["phone", "chat", "counter"]
Section = Literal["phrases", "procedures", "standards", "faq"]
Kind = Literal["phrase", "procedure", "faq"]
CardSize = Literal["a6", "a5"]
# The rules of `huashu lint` (huashu.lint implements one check per name).
LintRule = Literal[
    "forbidden-wording",
    "near-duplicate",
    "too-long-for-card",
    "review-overdue",
    "undeclared-placeholder",
    "unused-placeholder",
    "unfinished",
]
# Ids of cards made automatically (one per procedure, one per phrase category).
AUTO_CARD_PREFIX = "auto-"

CHANNEL_TITLES: dict[str, str] = {"phone": "电话", "chat": "在线", "counter": "柜台"}
SECTION_TITLES: dict[str, str] = {
    "phrases": "话术",
    "procedures": "流程与制度",
    "standards": "服务标准",
    "faq": "问答",
}
KIND_TITLES: dict[str, str] = {"phrase": "话术", "procedure": "流程", "faq": "问答"}

# Category ids become top-level URL folders; these are taken by the site itself.
RESERVED_CATEGORY_IDS = frozenset(
    {"assets", "guide", "tags", "search", "cards", "review", "changes", "stylesheets", "javascripts", "404"}
)


def spec(
    title: str,
    *,
    required: bool = False,
    default: Any = None,
    inherit: bool = False,
    multiline: bool = False,
) -> Any:
    """Declare a model field with what an editor needs to know about it.

    Args:
        title: Chinese description, shown in errors, schema and docs.
        required: The field must be present (after file defaults are applied).
        default: Value when absent; lists and mappings default to empty.
        inherit: The field may be given once in a file's `defaults:` block.
        multiline: Free text that keeps its line breaks (rendered as paragraphs).
    """
    meta = {"title": title, "required": required, "inherit": inherit, "multiline": multiline}
    if required:
        return field(metadata=meta)
    if isinstance(default, (list, dict)):
        factory = type(default)
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Origin:
    """Where a piece of content was written: for messages that point back to it."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, kw_only=True)
class Category:
    """A group of entries; one page on the site."""

    id: CategoryId = spec("分类 id（小写字母、数字和连字符，用于网址）", required=True)
    title: str = spec("分类名称", required=True)
    section: Section = spec(
        "所属栏目：phrases 话术 / procedures 流程与制度 / standards 服务标准 / faq 问答", required=True
    )
    description: str = spec("分类说明", default="", multiline=True)
    group: str = spec("导航分组（可选）：同一栏目里分组相同的分类在导航中收在一起，如 燃气、宽带", default="")
    origin: Origin | None = field(default=None, compare=False, metadata={"internal": True})


@dataclass(frozen=True, kw_only=True)
class Entry:
    """Fields every entry has, whatever its kind."""

    id: EntryId = spec("条目 id（小写字母、数字和连字符，全库唯一，用于网址）", required=True)
    kind: Kind = spec("条目类型：phrase 话术 / procedure 流程 / faq 问答", required=True, inherit=True)
    title: str = spec("标题", required=True)
    category: CategoryId = spec("所属分类 id（见 categories.yaml）", required=True, inherit=True)
    tags: list[str] = spec("标签", default=[])
    owner: str = spec("负责人或负责小组", required=True, inherit=True)
    reviewed: datetime.date = spec("最近复核日期（YYYY-MM-DD）", required=True, inherit=True)
    review_in: ReviewPeriod = spec(
        "复核周期：复核后多久要再复核，如 6个月、90天、1年（默认 12个月）", default=DEFAULT_REVIEW_PERIOD, inherit=True
    )
    related: list[EntryRef] = spec("相关条目 id", default=[])
    note: str = spec("备注", default="", multiline=True)
    lint_ignore: list[LintRule] = spec(
        "这个条目不做的 huashu lint 检查（规则名），如故意重复时写 near-duplicate", default=[]
    )
    origin: Origin | None = field(default=None, compare=False, metadata={"internal": True})


@dataclass(frozen=True, kw_only=True)
class Phrase(Entry):
    """话术: words an agent says, or, with `avoid`, words never to say."""

    text: str = spec("话术原文（可含 {称呼} 之类的占位符）", required=True, multiline=True)
    when: str = spec("使用场景", default="")
    channels: list[Channel] = spec("适用渠道：phone 电话 / chat 在线 / counter 柜台；不写表示全部", default=[])
    placeholders: dict[str, str] = spec("占位符说明，如 称呼: 客户的称呼", default={})
    variants: list[str] = spec("其他说法", default=[])
    avoid: bool = spec("服务忌语/负面语言：true 表示这句话不能说", default=False)
    instead: str = spec("忌语的推荐替代说法（avoid 为 true 时必填）", default="", multiline=True)
    detect: list[str] = spec(
        "忌语的关键词（只用于 avoid: true）：其他话术含有这些词时 huashu lint 会提醒；不写则用 text 和 variants 的每个分句",
        default=[],
    )


@dataclass(frozen=True, kw_only=True)
class Step:
    """One step of a procedure: what to do, and optionally what to say."""

    do: str = spec("要做的事", required=True, multiline=True)
    say: str = spec("这一步要说的话（与 phrase 二选一）", default="", multiline=True)
    phrase: PhraseRef | None = spec("这一步引用的话术 id（与 say 二选一）", default=None)
    limit: str = spec("时限，如 三声内、2秒内、3天内", default="")


@dataclass(frozen=True, kw_only=True)
class Procedure(Entry):
    """流程: ordered steps, each with what to do and what to say."""

    summary: str = spec("流程概述", default="", multiline=True)
    steps: list[Step] = spec("步骤（按顺序）", required=True)


@dataclass(frozen=True, kw_only=True)
class Faq(Entry):
    """问答: a question agents meet, and how to answer it."""

    question: str = spec("问题或客户原话", required=True, multiline=True)
    answer: str = spec("回答或处理办法", required=True, multiline=True)


ENTRY_CLASSES: dict[str, type[Entry]] = {"phrase": Phrase, "procedure": Procedure, "faq": Faq}


@dataclass(frozen=True, kw_only=True)
class Card:
    """A printed quick-reference card defined by an editor (cards.yaml)."""

    id: CardId = spec("卡片 id（小写字母、数字和连字符；auto- 开头的留给自动生成的卡片）", required=True)
    title: str = spec("卡片标题", required=True)
    entries: list[EntryRef] = spec("卡片上的条目 id（按顺序）", default=[])
    categories: list[CategoryRef] = spec("整个分类放上卡片（分类 id）", default=[])
    size: CardSize | None = spec("纸张：a6 或 a5；不写则自动选能放下的最小尺寸", default=None)
    pinyin: bool = spec("在汉字上方标注拼音（给新员工）", default=False)
    order: int | None = spec("打印顺序（数字小的在前；不写则按文件中的顺序，排在有 order 的之后）", default=None)
    origin: Origin | None = field(default=None, compare=False, metadata={"internal": True})


@dataclass(frozen=True, kw_only=True)
class CardFile:
    """The shape of `cards.yaml` (optional)."""

    cards: list[Card] = spec("卡片列表", required=True)


@dataclass(frozen=True, kw_only=True)
class FileDefaults:
    """A file's `defaults:` block: values shared by every entry of the file."""

    kind: Kind | None = spec("默认条目类型", default=None)
    category: CategoryId | None = spec("默认分类 id", default=None)
    owner: str | None = spec("默认负责人", default=None)
    reviewed: datetime.date | None = spec("默认复核日期", default=None)
    review_in: ReviewPeriod | None = spec("默认复核周期，如 6个月", default=None)


@dataclass(frozen=True, kw_only=True)
class EntryFile:
    """The shape of one library file other than categories.yaml."""

    defaults: FileDefaults = spec("本文件条目的默认值", default=None)
    entries: list[Phrase | Procedure | Faq] = spec("条目列表", required=True)


@dataclass(frozen=True, kw_only=True)
class CategoryFile:
    """The shape of `categories.yaml`."""

    categories: list[Category] = spec("分类列表（按显示顺序）", required=True)


@dataclass
class Library:
    """The whole validated library, in the order editors wrote it."""

    categories: list[Category]
    entries: list[Entry]
    cards: list[Card] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id: dict[str, Entry] = {e.id: e for e in self.entries}
        self.category_by_id: dict[str, Category] = {c.id: c for c in self.categories}
        self._by_category: dict[str, list[Entry]] = {}
        for entry in self.entries:
            self._by_category.setdefault(entry.category, []).append(entry)

    def entries_in(self, category_id: str) -> list[Entry]:
        """The category's entries in library order (a copy: callers may change it)."""
        return list(self._by_category.get(category_id, ()))

    def categories_in(self, section: str) -> list[Category]:
        return [c for c in self.categories if c.section == section]

    def tags(self) -> dict[str, list[Entry]]:
        """Every tag with its entries, tags sorted for a stable page."""
        index: dict[str, list[Entry]] = {}
        for entry in self.entries:
            for tag in entry.tags:
                index.setdefault(tag, []).append(entry)
        return dict(sorted(index.items()))

    def count_by_kind(self) -> dict[str, int]:
        counts = {kind: 0 for kind in ENTRY_CLASSES}
        for entry in self.entries:
            counts[entry.kind] += 1
        return counts
