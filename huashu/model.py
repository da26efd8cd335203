"""The content model: the one definition every other stage derives from.

Each field is declared once, with `spec()`: its type (from the annotation), what
an editor is told about it, and the *role* of its text — the title, words said
to the customer, guidance for the agent, hidden search terms or metadata.
Validation, the JSON Schema, pages, the search index, cards, lint, `huashu new`
and the change history all read these declarations (through `entry_texts` for
the texts; pages show fields through templates); a new field is added here and,
where it is shown, in one template.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, NewType

from huashu.errors import LibraryError

# An entry id: stable, unique across the library and used in URLs.
EntryId = NewType("EntryId", str)
# A reference to another entry by its id; checked against the library.
EntryRef = NewType("EntryRef", str)
# A reference that must name a phrase (话术) to be said, e.g. from a procedure step.
PhraseRef = NewType("PhraseRef", str)
# A reference that must name forbidden wording (a phrase with `avoid: true`): shown as what not to say.
AvoidRef = NewType("AvoidRef", str)
CategoryId = NewType("CategoryId", str)
# A reference to a category by its id; checked against categories.yaml.
CategoryRef = NewType("CategoryRef", str)
CardId = NewType("CardId", str)
# How long a review stays valid: "6个月", "90天", "2周", "1年" (or 6 months, 90 days…).
ReviewPeriod = NewType("ReviewPeriod", str)
# A word written in hanzi only, such as 长时间 (HANZI_WORD_PATTERN).
HanziWord = NewType("HanziWord", str)

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# A word of hanzi only (pinyin.yaml): the CJK ideograph blocks, as huashu.readings counts them.
HANZI_WORD_PATTERN = r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$"
# Control characters other than line breaks and tabs: invisible in an editor, unsafe in a terminal.
CONTROL_CHARACTERS = r"\u0000-\u0008\u000b-\u001f\u007f-\u009f"
# Halves of a UTF-16 pair, written alone as a double-quoted escape ("\ud83d"): no character
# at all, and unencodable in the UTF-8 every page and index is written in.
LONE_SURROGATES = r"\ud800-\udfff"
# Embeddings, overrides and isolates: they reorder how a line is shown ("Trojan Source").
BIDI_CONTROLS = r"\u202a-\u202e\u2066-\u2069"
# Text an editor writes: something visible, and no control character.
# (Lone surrogates stay out of the editors' schema: a JSON Schema regex without the u flag
# would refuse every emoji, whose UTF-16 halves match the range.)
TEXT_PATTERN = rf"^(?=[\s\S]*\S)[^{CONTROL_CHARACTERS}{BIDI_CONTROLS}]*$"
PLACEHOLDER_PATTERN = r"\{([^{}\s]+)\}"
REVIEW_PERIOD_PATTERN = r"^\s*(\d+)\s*(天|日|周|星期|个月|月|年|days?|weeks?|months?|years?)\s*$"
DEFAULT_REVIEW_PERIOD = "12个月"
# What `huashu new` writes where the editor still has to fill something in (lint's "unfinished").
UNFINISHED_MARK = "待填写"

Channel = Literal["phone", "chat", "counter"]
Section = Literal["phrases", "procedures", "standards", "faq"]
Kind = Literal["phrase", "procedure", "faq"]
CardSize = Literal["a6", "a5"]
# The rules of `huashu lint`, with what each one finds (huashu.lint implements one check per name).
LINT_RULES: dict[str, str] = {
    "forbidden-wording": "话术里含有服务忌语",
    "near-duplicate": "重复或几乎相同的话术",
    "too-long-for-card": "话术太长，一张卡片上读不完",
    "review-overdue": "已过复核日期",
    "undeclared-placeholder": "用了占位符却没在 placeholders 里说明",
    "unused-placeholder": "placeholders 里说明了却没用到的占位符",
    "unfinished": "还有“待填写”的内容",
    "unknown-synonym": "同义词表里的词在话术库里一个也找不到",
}
# A rule name in `lint_ignore`; checked against LINT_RULES.
LintRule = NewType("LintRule", str)
# Ids of cards made automatically (one per procedure, one per category for its phrases and FAQs).
AUTO_CARD_PREFIX = "auto-"
# A procedure's own card, after the prefix: "--" cannot occur in an id, so a procedure and a
# category with the same id (both allowed) still get cards of their own.
PROCEDURE_CARD_PREFIX = AUTO_CARD_PREFIX + "procedure--"

CHANNEL_TITLES: dict[str, str] = {"phone": "电话", "chat": "在线", "counter": "柜台"}
SECTION_TITLES: dict[str, str] = {
    "phrases": "话术",
    "procedures": "流程与制度",
    "standards": "服务标准",
    "faq": "问答",
}
KIND_TITLES: dict[str, str] = {"phrase": "话术", "procedure": "流程", "faq": "问答"}


class Role(enum.Enum):
    """What a text is for; every stage treats a text by its role, never by its field name."""

    TITLE = "title"  # the entry's name
    SAY = "say"  # words said to the customer: shown, searched, copied, printed
    FORBIDDEN = "forbidden"  # words never to say (a forbidden phrase's own wording)
    GUIDE = "guide"  # guidance for the agent: shown and searched, never copied
    HIDDEN = "hidden"  # search terms, never shown as text of the entry
    META = "meta"  # ids, owners, settings: not searched


def spec(
    title: str,
    *,
    required: bool = False,
    default: Any = None,
    inherit: bool = False,
    multiline: bool = False,
    role: Role = Role.META,
    avoid_role: Role | None = None,
    card: str | None = None,
    scaffold: bool = False,
    non_empty: bool = False,
) -> Any:
    """Declare a model field with what an editor needs to know about it.

    Args:
        title: Chinese description, shown in errors, schema and docs.
        required: The field must be present (after file defaults are applied).
        default: Value when absent; lists and mappings default to empty.
        inherit: The field may be given once in a file's `defaults:` block.
        multiline: Free text that keeps its line breaks (rendered as paragraphs).
        role: What the field's text is for (see Role).
        avoid_role: The role instead, in an entry marked `avoid: true`: the entry's own wording.
        card: How the text is printed on a quick-reference card (a format with {}; a leading "+"
            continues the record's first line, a leading "#" makes it the heading of the entry's
            block in place of the title); None: not printed.
        scaffold: `huashu new` writes the field with a "待填写" mark for the editor to fill.
        non_empty: A list that makes no sense empty.
    """
    meta = {
        "title": title,
        "required": required,
        "inherit": inherit,
        "multiline": multiline,
        "role": role,
        "avoid_role": avoid_role,
        "card": card,
        "scaffold": scaffold,
        "non_empty": non_empty,
    }
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
    path: str = ""  # the record's field path inside its file, e.g. "entries[3]"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


# Where each field of a record was written: field path inside the record ("text",
# "variants[1]", "steps[2].say", "placeholders.称呼") → (line, column, from the file's defaults).
Positions = dict[str, tuple[int, int, bool]]
_POSITION_SEP, _RECORD_SEP = "\x1f", "\x1e"


def pack_positions(positions: Positions) -> str:
    """Positions as one string: a library of 100,000 entries keeps them in a tenth of the
    memory a dict per record would take, and only lint and messages ever read them."""
    return _RECORD_SEP.join(
        f"{path}{_POSITION_SEP}{line}{_POSITION_SEP}{column}{_POSITION_SEP}{'d' if inherited else ''}"
        for path, (line, column, inherited) in positions.items()
    )


def unpack_positions(packed: str) -> Positions:
    found: Positions = {}
    for record in packed.split(_RECORD_SEP) if packed else ():
        path, line, column, inherited = record.split(_POSITION_SEP)
        found[path] = (int(line), int(column), inherited == "d")
    return found


def _internal(default: Any = None) -> Any:
    """A field validation fills in, never written by editors (and not compared)."""
    return field(default=default, compare=False, repr=False, metadata={"internal": True})


@dataclass(frozen=True, kw_only=True)
class Category:
    """A group of entries; one page on the site."""

    id: CategoryId = spec("分类 id（小写字母、数字和连字符，用于网址）", required=True)
    title: str = spec("分类名称", required=True, role=Role.TITLE)
    section: Section = spec(
        "所属栏目：phrases 话术 / procedures 流程与制度 / standards 服务标准 / faq 问答", required=True
    )
    description: str = spec("分类说明", default="", multiline=True, role=Role.GUIDE)
    group: str = spec("导航分组（可选）：同一栏目里分组相同的分类在导航中收在一起，如 燃气、宽带", default="")
    origin: Origin | None = _internal()
    positions: str = _internal("")  # pack_positions(): where each field was written


@dataclass(frozen=True, kw_only=True)
class Entry:
    """Fields every entry has, whatever its kind."""

    id: EntryId = spec("条目 id（小写字母、数字和连字符，全库唯一，用于网址）", required=True)
    kind: Kind = spec("条目类型：phrase 话术 / procedure 流程 / faq 问答", required=True, inherit=True)
    title: str = spec("标题", required=True, role=Role.TITLE)
    category: CategoryId = spec("所属分类 id（见 categories.yaml）", required=True, inherit=True)
    tags: list[str] = spec("标签", default=[], role=Role.HIDDEN)
    aliases: list[str] = spec(
        "搜索用的别名：坐席或客户对这个条目的其他叫法（不显示，只用于搜索），如 开场白、赔钱",
        default=[],
        role=Role.HIDDEN,
    )
    owner: str = spec("负责人或负责小组", required=True, inherit=True)
    reviewed: datetime.date = spec("最近复核日期（YYYY-MM-DD）", required=True, inherit=True)
    review_in: ReviewPeriod = spec(
        "复核周期：复核后多久要再复核，如 6个月、90天、1年（默认 12个月）", default=DEFAULT_REVIEW_PERIOD, inherit=True
    )
    related: list[EntryRef] = spec("相关条目 id", default=[])
    note: str = spec("备注", default="", multiline=True, role=Role.GUIDE)
    lint_ignore: list[LintRule] = spec(
        "不做的 lint 检查：这个条目跳过的 huashu lint 规则名，如故意重复时写 near-duplicate", default=[]
    )
    origin: Origin | None = _internal()
    positions: str = _internal("")  # pack_positions(): where each field was written


@dataclass(frozen=True, kw_only=True)
class Phrase(Entry):
    """话术: words an agent says, or, with `avoid`, words never to say."""

    text: str = spec(
        "话术原文（可含 {称呼} 之类的占位符）",
        required=True,
        multiline=True,
        role=Role.SAY,
        avoid_role=Role.FORBIDDEN,
        card="{}",
        scaffold=True,
    )
    when: str = spec("使用场景", default="", role=Role.GUIDE, scaffold=True)
    channels: list[Channel] = spec("适用渠道：phone 电话 / chat 在线 / counter 柜台；不写表示全部", default=[])
    placeholders: dict[str, str] = spec("占位符说明，如 称呼: 客户的称呼", default={})
    variants: list[str] = spec("其他说法", default=[], role=Role.SAY, avoid_role=Role.FORBIDDEN)
    avoid: bool = spec("服务忌语/负面语言：true 表示这句话不能说", default=False)
    instead: str = spec(
        "忌语的推荐替代说法（avoid 为 true 时必填）", default="", multiline=True, role=Role.SAY, card="{}"
    )
    detect: list[str] = spec(
        "忌语的关键词（只用于 avoid: true）：huashu lint 总会找整句 text 或 variants（单独一个分句不算），其他话术还含有这些词时也会提醒",
        default=[],
    )


@dataclass(frozen=True, kw_only=True)
class Step:
    """One step of a procedure: what to do, and optionally what to say."""

    # In reading order: what to do and its time limit, then the words (as pages and cards show a step).
    do: str = spec("要做的事", required=True, multiline=True, role=Role.GUIDE, card="{}", scaffold=True)
    limit: str = spec("时限，如 三声内、2秒内、3天内", default="", role=Role.GUIDE, card="+（{}）")
    say: str = spec("这一步要说的话（与 phrase 二选一）", default="", multiline=True, role=Role.SAY, card="“{}”")
    # The referenced phrase's words are said in this step; entry_texts gives them with that
    # phrase's own role (a forbidden phrase's wording stays FORBIDDEN), so no role is declared here.
    phrase: PhraseRef | None = spec("这一步引用的话术 id（与 say 二选一）", default=None, card="“{}”")
    dont_say: AvoidRef | None = spec(
        "这一步要避免的说法：引用服务忌语的 id（显示为“✗ 不要说 … ✓ 改说 …”）", default=None, card="{}"
    )


@dataclass(frozen=True, kw_only=True)
class Procedure(Entry):
    """流程: ordered steps, each with what to do and what to say."""

    summary: str = spec("流程概述", default="", multiline=True, role=Role.GUIDE, scaffold=True)
    steps: list[Step] = spec("步骤（按顺序）", required=True, scaffold=True, non_empty=True)


@dataclass(frozen=True, kw_only=True)
class Faq(Entry):
    """问答: a question agents meet, and how to answer it."""

    question: str = spec(
        "问题或客户原话", required=True, multiline=True, role=Role.GUIDE, card="#问：{}", scaffold=True
    )
    reply: str = spec(
        "对客户说的答复：可以直接复制给客户的话（answer 写给坐席的处理办法）",
        default="",
        multiline=True,
        role=Role.SAY,
        card="答：{}",
        scaffold=True,
    )
    answer: str = spec(
        "处理办法：给坐席的指导（不会被复制给客户）",
        required=True,
        multiline=True,
        role=Role.GUIDE,
        card="要点：{}",
        scaffold=True,
    )
    dont_say: list[AvoidRef] = spec(
        "不要说的话：引用服务忌语的 id（页面、卡片和搜索显示“✗ 不要说 … ✓ 改说 …”）", default=[], card="{}"
    )
    questions: list[str] = spec(
        "常见问法：客户或坐席提出这个问题的其他说法（显示在页面上，也用于搜索）", default=[], role=Role.GUIDE
    )


ENTRY_CLASSES: dict[str, type[Entry]] = {"phrase": Phrase, "procedure": Procedure, "faq": Faq}


@dataclass(frozen=True, kw_only=True)
class Card:
    """A printed quick-reference card defined by an editor (cards.yaml)."""

    id: CardId = spec("卡片 id（小写字母、数字和连字符；auto- 开头的留给自动生成的卡片）", required=True)
    title: str = spec("卡片标题", required=True, role=Role.TITLE)
    entries: list[EntryRef] = spec("卡片上的条目 id（按顺序）", default=[], non_empty=True)
    categories: list[CategoryRef] = spec("整个分类放上卡片（分类 id）", default=[], non_empty=True)
    size: CardSize | None = spec("纸张：a6 或 a5；不写则自动选能放下的最小尺寸", default=None)
    pinyin: bool = spec("在汉字上方标注拼音（给新员工）", default=False)
    order: int | None = spec("打印顺序（数字小的在前；不写则按文件中的顺序，排在有 order 的之后）", default=None)
    origin: Origin | None = _internal()
    positions: str = _internal("")  # pack_positions(): where each field was written


@dataclass(frozen=True, kw_only=True)
class CardFile:
    """The shape of `cards.yaml` (optional)."""

    cards: list[Card] = spec("卡片列表", required=True)


@dataclass(frozen=True, kw_only=True)
class Synonym:
    """One line of synonyms.yaml: words searched as each other (`same`), or words that also find others (`words` → `means`)."""

    same: list[str] = spec(
        "同义词组：搜其中任何一个词，也能找到含其他词的条目，如 [挂电话, 挂机, 结束通话]", default=[]
    )
    words: list[str] = spec("单向扩展的词：搜这些词时也找 means 里的词，如 [赔钱]", default=[])
    means: list[str] = spec("words 扩展到的词（反过来不扩展），如 [赔偿, 补偿]", default=[])
    origin: Origin | None = _internal()
    positions: str = _internal("")

    def expansions(self) -> list[tuple[str, list[str]]]:
        """Each word with the words it also finds."""
        if self.same:
            return [(word, [w for w in self.same if w != word]) for word in self.same]
        return [(word, list(self.means)) for word in self.words]


@dataclass(frozen=True, kw_only=True)
class SynonymFile:
    """The shape of `synonyms.yaml` (optional): the library's search vocabulary, owned by editors."""

    synonyms: list[Synonym] = spec("同义词列表", required=True, non_empty=True)


@dataclass(frozen=True, kw_only=True)
class PlaceholderDefault:
    """One line of placeholders.yaml: what a `{占位符}` becomes when the agent leaves it empty."""

    name: str = spec("占位符的名字（不带花括号），如 称呼、时限", required=True)
    default: str = spec("坐席没有填写时使用的值，如 时限 → 24小时（与 omit 二选一）", default="")
    omit: bool = spec(
        "坐席没有填写时整个省略（连同紧跟的逗号），如 称呼：“{称呼}，您好”变成“您好”（与 default 二选一）",
        default=False,
    )
    origin: Origin | None = _internal()
    positions: str = _internal("")


@dataclass(frozen=True, kw_only=True)
class PlaceholderFile:
    """The shape of `placeholders.yaml` (optional): defaults for placeholders across the library."""

    placeholders: list[PlaceholderDefault] = spec("占位符默认值列表", required=True, non_empty=True)


@dataclass(frozen=True, kw_only=True)
class PinyinWord:
    """One line of pinyin.yaml: how a word is read on cards printed with pinyin."""

    word: HanziWord = spec(
        "词（只写汉字）：卡片上这几个字连在一起时按 pinyin 标音，如 长时间；只写一个字则是它不在词里时的读音",
        required=True,
    )
    pinyin: str = spec(
        "读音：每个字一个音节，用空格隔开；声调写符号或数字（轻声不标或写 5），如 cháng shí jiān 或 chang2 shi2 jian1",
        required=True,
    )
    note: str = spec("为什么这样读（给编辑看的说明，可不写）", default="")
    origin: Origin | None = _internal()
    positions: str = _internal("")


@dataclass(frozen=True, kw_only=True)
class PinyinFile:
    """The shape of `pinyin.yaml` (optional): readings the printed pinyin must use, owned by editors."""

    words: list[PinyinWord] = spec("读音列表", required=True, non_empty=True)


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
    entries: list[Phrase | Procedure | Faq] = spec("条目列表", required=True, non_empty=True)


@dataclass(frozen=True, kw_only=True)
class CategoryFile:
    """The shape of `categories.yaml`."""

    categories: list[Category] = spec("分类列表（按显示顺序）", required=True, non_empty=True)


@dataclass
class Library:
    """The whole validated library, in the order editors wrote it."""

    categories: list[Category]
    entries: list[Entry]
    cards: list[Card] = field(default_factory=list)
    synonyms: list[Synonym] = field(default_factory=list)
    placeholder_defaults: list[PlaceholderDefault] = field(default_factory=list)
    pinyin_words: list[PinyinWord] = field(default_factory=list)
    # What validation noticed but did not refuse (huashu.errors.LibraryError with `warning` set).
    warnings: list[LibraryError] = field(default_factory=list)

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


# --- the texts of an entry, by role ------------------------------------------------


@dataclass(frozen=True)
class EntryText:
    """One text of an entry, with what it is for."""

    path: str  # inside the entry: "text", "variants[1]", "steps[2].say"
    role: Role
    text: str
    card: str | None = None  # how a card prints it (a format with {}), or None
    step: int | None = None  # the number of the list record (a procedure's step) it belongs to
    # Words to say instead of forbidden wording (a forbidden phrase's `instead`): shown as "✓ 改说".
    alternative: bool = False


@dataclass(frozen=True)
class _TextField:
    name: str
    role: Role
    avoid_role: Role | None
    card: str | None
    is_list: bool
    record: type | None  # the dataclass of a list's items (Step), else None
    reference: bool  # a PhraseRef or AvoidRef: the words of the phrase it names


def editor_fields(cls: type) -> list[dataclasses.Field]:
    """The fields an editor writes, in declaration order."""
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


_TEXT_FIELDS: dict[type, tuple[_TextField, ...]] = {}


def text_fields(cls: type) -> tuple[_TextField, ...]:
    """A record's text fields in reading order: the title, the kind's own fields, then the shared ones."""
    if cls not in _TEXT_FIELDS:
        _TEXT_FIELDS[cls] = _find_text_fields(cls)
    return _TEXT_FIELDS[cls]


def _find_text_fields(cls: type) -> tuple[_TextField, ...]:
    hints = typing.get_type_hints(cls)
    own = [f for f in editor_fields(cls) if f.name not in {g.name for g in dataclasses.fields(Entry)}]
    shared = [f for f in editor_fields(cls) if f not in own]
    ordered = [f for f in shared if f.metadata["role"] is Role.TITLE]
    ordered += own + [f for f in shared if f.metadata["role"] is not Role.TITLE]
    found = []
    for f in ordered:
        hint = hints[f.name]
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        is_list = origin is list
        item = args[0] if is_list else hint
        record = item if isinstance(item, type) and dataclasses.is_dataclass(item) else None
        reference = bool({PhraseRef, AvoidRef} & {item, *args})
        if not (record or reference or item is str or _is_text_type(item)):
            continue
        meta = f.metadata
        found.append(_TextField(f.name, meta["role"], meta["avoid_role"], meta["card"], is_list, record, reference))
    return tuple(found)


def _is_text_type(hint: Any) -> bool:
    """Strings, ids and choices: everything an editor writes as text."""
    if typing.get_origin(hint) is Literal:
        return True
    return getattr(hint, "__supertype__", None) is str


def is_forbidden(record: Any) -> bool:
    """Whether a record (or an entry's raw YAML mapping) is forbidden wording (a phrase marked `avoid: true`)."""
    if isinstance(record, dict):
        return record.get("avoid") is True
    return bool(getattr(record, "avoid", False))


def entry_texts(
    record: Any, resolve: dict[str, Entry] | None = None, *, avoid: bool | None = None
) -> Iterator[EntryText]:
    """Every text of an entry (or a category, card or step) with its role, in reading order.

    Args:
        resolve: Entries by id: a step's `phrase` then gives the referenced phrase's words
            (with that phrase's role: forbidden wording stays forbidden). Without it,
            references give nothing.
        avoid: Whether the record is forbidden wording (default: its own `avoid`).
    """
    avoid = is_forbidden(record) if avoid is None else avoid
    yield from _texts(record, resolve, avoid, "", None)


def _texts(
    record: Any, resolve: dict[str, Entry] | None, avoid: bool, prefix: str, step: int | None
) -> Iterator[EntryText]:
    for spec_ in text_fields(type(record)):
        value = getattr(record, spec_.name)
        role = spec_.avoid_role if avoid and spec_.avoid_role else spec_.role
        path = prefix + spec_.name
        if spec_.record is not None:
            for i, item in enumerate(value):
                yield from _texts(item, resolve, avoid, f"{path}[{i}].", i)
        elif spec_.reference:
            targets = value if spec_.is_list else [value]
            for i, target_id in enumerate(targets):
                target = resolve.get(target_id) if resolve is not None and target_id else None
                at = f"{path}[{i}]" if spec_.is_list else path
                yield from _referenced_words(target, at, spec_.card, step)
        elif spec_.is_list:
            for i, item in enumerate(value):
                yield EntryText(f"{path}[{i}]", role, item, spec_.card, step, role is Role.SAY and avoid)
        elif isinstance(value, str):
            yield EntryText(path, role, value, spec_.card, step, role is Role.SAY and avoid)


def _referenced_words(target: Entry | None, path: str, card: str | None, step: int | None) -> Iterator[EntryText]:
    """What a reference brings into the entry that makes it: the phrase's words as its card
    prints them (its text; for forbidden wording the text and what to say instead), each
    keeping its role, so forbidden wording stays forbidden wherever it is quoted."""
    if not isinstance(target, Phrase):
        return
    for text in entry_texts(target):
        if text.card is not None and text.text and text.role in (Role.SAY, Role.FORBIDDEN):
            suffix = "" if text.path == main_text_field(target.kind) else f".{text.path}"
            yield EntryText(path + suffix, text.role, text.text, card, step, text.alternative)


def main_text_field(kind: str) -> str:
    """The field whose text stands for an entry of this kind (in change lists): its first own text."""
    return next(t.name for t in text_fields(ENTRY_CLASSES[kind]) if t.role is not Role.TITLE)


def position_of(record: Any, path: str) -> tuple[int, int, str]:
    """Line, column and full field path (from the file's root) of `path` inside a record.

    A field the record does not write itself points at the file's `defaults:` line
    that gives it, or else at the record."""
    origin = record.origin
    assert origin is not None, "records from validation carry their origin"
    full = f"{origin.path}.{path}" if origin.path else path
    found = unpack_positions(record.positions).get(path)
    if found is None:
        return origin.line, origin.column, full
    line, column, inherited = found
    return line, column, f"{full}（defaults）" if inherited else full
