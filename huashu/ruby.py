"""Printed ruby: each hanzi of a card's text with the reading it has in its word.

pypinyin's phrase dictionary gives the readings of words, but it is simplified-only,
keeps only words that contain a polyphone (客户 is not in it, 户长 is) and has errors
(长时间 zhǎng, 都会 dū). So readings are found in four steps, each declared once here:

1. words with a known reading (the corrections below, then the editors' own in
   scripts_library/pinyin.yaml, which win) are read as written wherever they occur;
2. the rest of each run of hanzi is segmented by forward maximum matching over the
   phrase dictionary (overlaps it gets wrong, 我方差错 read as 方差, are corrections);
3. a character in no word takes its default reading, corrected for a few, and a lone
   地 or 得 after another hanzi is the particle de (认真地听, 问得很好);
4. one tone convention for 一 and 不: the tones as spoken (see `spoken_tones`).

Search does not use this module: it enumerates every reading (huashu.readings).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from huashu.model import HANZI_WORD_PATTERN
from huashu.readings import pypinyin_chars, pypinyin_phrases

# Known errors and gaps of pypinyin's dictionaries in what a handbook says: each word with
# its reading here, and why. A single character is its reading outside any word.
CORRECTIONS: dict[str, str] = {
    # pypinyin lists zhǎng first; outside a word (较长、多长) the handbook means "long".
    "长": "cháng",
    # The dictionary reads 谁 shuí alone but shéi in 谁都: one reading, the standard's first.
    "谁": "shéi",
    # Not in the dictionary: 户长 (zhǎng) would win in 客户长时间.
    "长时间": "cháng shí jiān",
    # 方差 (fāng chà) would win in 我方差错.
    "差错": "chā cuò",
    # The dictionary's dū huì is "metropolis"; in a handbook it is always "will all" (我都会).
    "都会": "dōu huì",
    # The dictionary has hái kuǎn.
    "还款": "huán kuǎn",
    # Not in the dictionary: a lone 得 after a pronoun would read děi (您得到).
    "得到": "dé dào",
    # Not in the dictionary: 总得 (zǒng děi) would win in 汇总得分.
    "得分": "dé fēn",
    # The dictionary has shù yī shù: counting is shǔ.
    "数一数": "shǔ yī shǔ",
    # Not in the dictionary, and 尽 alone reads jǐn (尽快).
    "未尽": "wèi jìn",
    # Not in the dictionary: a lone 得 after a hanzi would read as the particle de.
    "征得": "zhēng dé",
    # The dictionary's gēng shēn is "late at night"; a handbook means "deeper" (积得更深).
    "更深": "gèng shēn",
    # 了结 (liǎo jié, "settle") would win in 有了结果、出了结果.
    "了结果": "le jié guǒ",
    # 不当 (bú dàng, "improper") would win in 不当场承诺: 当场 is dāng chǎng.
    "不当场": "bù dāng chǎng",
    # 分为 (fēn wéi, "divide into") would win in 按 1 至 10 分为这次服务评分: 为 is "for".
    "分为这次": "fēn wèi zhè cì",
    # Adverbs in 地: the dictionary's 整地、心地、实地 (dì, "ground") would win.
    "完整地": "wán zhěng de",
    "耐心地": "nài xīn de",
    "细心地": "xì xīn de",
    "如实地": "rú shí de",
    "真实地": "zhēn shí de",
}
# A lone 地 or 得 right after another hanzi is the particle: the dictionary lists the words
# where they are not (土地、本地、获得、记得), so what is left is 认真地、问得很好.
PARTICLES = {"地": "de", "得": "de"}
# ...but 得 after a person is "must" (我得去问一下).
MUST_AFTER = frozenset("我你您他她咱们")
# 一 keeps its own tone yī after these (第一、统一、星期一、十一) and before these (一月、一号、一二三).
YI_CITATION_AFTER = frozenset("第初统唯万同单专逐划之周期零二三四五六七八九十")
YI_CITATION_BEFORE = frozenset("零一二三四五六七八九十月号")

_HANZI_RUN = re.compile(HANZI_WORD_PATTERN.strip("^$"))
_TONE_MARKS = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "ü": "ǖǘǚǜ"}
_MARKED = {mark: (vowel, tone) for vowel, marks in _TONE_MARKS.items() for tone, mark in enumerate(marks, 1)}
_SYLLABLE_SHAPE = re.compile(r"[a-zü]+")

Syllable = tuple[str, int]  # toneless syllable (ü written ü) and tone 1-4, 0 for neutral


def is_hanzi_word(text: str) -> bool:
    return bool(_HANZI_RUN.fullmatch(text))


# --- syllables: tone marks and tone numbers ------------------------------------------------


class SyllableError(ValueError):
    """Why a written syllable is not pinyin (a Chinese message)."""


def parse_syllable(written: str) -> Syllable:
    """`cháng`, `chang2` → ("chang", 2); `de`, `de5` → ("de", 0); `lv4`, `lǜ` → ("lü", 4).

    Raises:
        SyllableError: the syllable has no valid shape or tone.
    """
    text = unicodedata.normalize("NFC", written.lower()).replace("u:", "ü").replace("v", "ü")
    tone = 0
    numbered = text[-1:].isdigit()
    if numbered:
        if text[-1] not in "12345":
            raise SyllableError(f"“{written}”的声调无效：数字只能是 1、2、3、4，轻声写 5 或不写")
        text, tone = text[:-1], int(text[-1]) % 5
    marks = [c for c in text if c in _MARKED]
    if len(marks) > 1 or (marks and numbered):
        raise SyllableError(f"“{written}”标了不止一个声调：一个音节只标一个声调符号或一个数字")
    if marks:
        vowel, tone = _MARKED[marks[0]]
        text = text.replace(marks[0], vowel)
    if not _SYLLABLE_SHAPE.fullmatch(text):
        raise SyllableError(f"“{written}”不是拼音音节：写成 cháng 或 chang2 这样（轻声不标调或写 5）")
    return text, tone


def tone_marked(syllable: Syllable) -> str:
    """("chang", 2) → cháng: the mark on a or e, on the o of ou, else on the last vowel."""
    base, tone = syllable
    if tone == 0:
        return base
    vowels = [i for i, c in enumerate(base) if c in _TONE_MARKS]
    if not vowels:
        return base  # m, n, ng: interjections pypinyin writes without a mark
    at = next((i for i in vowels if base[i] in "ae"), None)
    if at is None:
        at = base.index("o") if "ou" in base else vowels[-1]
    return base[:at] + _TONE_MARKS[base[at]][tone - 1] + base[at + 1 :]


def tone_of(reading: str) -> int:
    return parse_syllable(reading)[1] if reading else 0


def _table_syllables(readings: str) -> Iterator[str]:
    """The toneless syllables of one table value; interjections such as ň, ḿ or ê̄ are left
    out: no word of a handbook needs them, and editors write them nowhere."""
    for reading in readings.split(","):
        try:
            yield parse_syllable(reading)[0]
        except SyllableError:
            continue


def char_syllables(char: str) -> tuple[str, ...]:
    """Every toneless reading of one character, most common first."""
    return tuple(dict.fromkeys(_table_syllables(pypinyin_chars().get(ord(char), ""))))


@functools.lru_cache(maxsize=1)
def known_syllables() -> frozenset[str]:
    return frozenset(s for value in pypinyin_chars().values() for s in _table_syllables(value))


def reading_problems(word: str, pinyin: str) -> list[tuple[str, str]]:
    """What is wrong with a word and its written reading, as (field, Chinese message) pairs."""
    if not is_hanzi_word(word):
        return [("word", f"“{word}”只能写汉字（不含空格、标点、字母或占位符），如 长时间")]
    written = pinyin.split()
    syllables: list[Syllable] = []
    for text in written:
        try:
            syllables.append(parse_syllable(text))
        except SyllableError as error:
            return [("pinyin", str(error))]
    if len(syllables) != len(word):
        example = "cháng shí jiān" if len(word) == 3 else "chā cuò"
        return [
            (
                "pinyin",
                f"写了 {len(syllables)} 个音节，“{word}”却有 {len(word)} 个字：每个字写一个音节，用空格隔开，如 {example}",
            )
        ]
    problems = []
    for number, (char, text, (base, tone)) in enumerate(zip(word, written, syllables, strict=True), 1):
        own = char_syllables(char)
        at = f"第 {number} 个音节 {text}"
        if base not in known_syllables():
            problems.append(("pinyin", f"{at}：不是普通话的音节，请检查拼写"))
        elif own and base not in own:
            listed = "、".join(own)
            problems.append(("pinyin", f"{at}：“{char}”没有这个读音（它读 {listed}），请检查拼写和音节的顺序"))
        elif char in CITATION and (base, tone) != CITATION[char]:
            citation = tone_marked(CITATION[char])
            problems.append(
                (
                    "pinyin",
                    f"{at}：“{char}”请写本调 {citation}，一、不 的变调由 huashu 按统一规则标注（见卡片使用说明）",
                )
            )
    return problems


def syllables_of(pinyin: str) -> tuple[str, ...]:
    """A valid written reading, tone-marked: "chang2 shi2 jian1" → ("cháng", "shí", "jiān")."""
    return tuple(tone_marked(parse_syllable(text)) for text in pinyin.split())


# --- the tone convention -------------------------------------------------------------------

# 一 and 不 in their own tones, as a dictionary writes them.
CITATION: dict[str, Syllable] = {"一": ("yi", 1), "不": ("bu", 4)}


def spoken_tone(chars: Sequence[str], readings: Sequence[str], i: int) -> str:
    """The reading of 一 or 不 at `i` as it is said, from its neighbours in the same run of hanzi.

    Before a fourth (or neutral) tone both take the second (一下 yí xià, 不要 bú yào); before
    others 一 takes the fourth (一些 yì xiē) and 不 keeps its own (不能 bù néng); between a
    repeated syllable both are neutral (看一看、好不好). 一 as a number keeps yī (第一、一月,
    统一 and any 一 ending the run); 不 ending a run keeps bù.
    """
    char = chars[i]
    before = chars[i - 1] if i > 0 else ""
    after = chars[i + 1] if i + 1 < len(chars) else ""
    if not after:
        return tone_marked(CITATION[char])
    if before and before == after:
        return CITATION[char][0]
    if char == "一" and (before in YI_CITATION_AFTER or after in YI_CITATION_BEFORE):
        return tone_marked(CITATION[char])
    next_tone = tone_of(readings[i + 1])
    if next_tone in (4, 0):
        return tone_marked((CITATION[char][0], 2))
    return "yì" if char == "一" else "bù"


def spoken_tones(run: str, readings: list[str]) -> list[str]:
    return [
        spoken_tone(run, readings, i) if c in CITATION else r
        for i, (c, r) in enumerate(zip(run, readings, strict=True))
    ]


# --- reading a text --------------------------------------------------------------------------


@functools.cache  # one string per character, shared by every text that has it
def _default_reading(char: str) -> str:
    """The character's most common reading (pypinyin's first), tone-marked; "" if it has none."""
    readings = pypinyin_chars().get(ord(char), "")
    return readings.split(",", 1)[0]


class RubyReader:
    """Readings of texts for ruby, with the built-in corrections and an editor's own words.

    Args:
        words: (word, written reading) pairs, already validated; they win over CORRECTIONS.
    """

    def __init__(self, words: Iterable[tuple[str, str]] = ()):
        table = {word: syllables_of(pinyin) for word, pinyin in {**CORRECTIONS, **dict(words)}.items()}
        self.defaults = {word: reading[0] for word, reading in table.items() if len(word) == 1}
        self.words = {word: reading for word, reading in table.items() if len(word) > 1}
        self.longest = max(map(len, self.words), default=0)
        self._cache: dict[str, tuple[str, ...]] = {}

    def pairs(self, text: str) -> Iterator[tuple[str, str]]:
        """Each character of `text` with its reading (tone marks); "" for anything not hanzi."""
        return zip(text, self.readings(text), strict=True)

    def readings(self, text: str) -> tuple[str, ...]:
        """The reading of each character of `text`, cached: fitting a card reads each of its
        lines at every size it tries. Readings only, which the reader's tables share, not
        (character, reading) pairs: at 10,000 entries the cache holds 9 MB, not 112 MB."""
        if text not in self._cache:
            readings: list[str] = []
            end = 0
            for match in _HANZI_RUN.finditer(text):
                readings += [""] * (match.start() - end)
                readings += self.run_readings(match.group())
                end = match.end()
            readings += [""] * (len(text) - end)
            self._cache[text] = tuple(readings)
        return self._cache[text]

    def run_readings(self, run: str) -> list[str]:
        """The readings of one run of hanzi (steps 1-4 of the module's description)."""
        readings: list[str | None] = [None] * len(run)
        self._read_known_words(run, readings)
        start = 0
        while start < len(run):
            if readings[start] is not None:
                start += 1
                continue
            end = start
            while end < len(run) and readings[end] is None:
                end += 1
            self._read_gap(run, start, end, readings)
            start = end
        return spoken_tones(run, [r or "" for r in readings])

    def _read_known_words(self, run: str, readings: list[str | None]) -> None:
        i = 0
        while i < len(run):
            for size in range(min(self.longest, len(run) - i), 1, -1):
                known = self.words.get(run[i : i + size])
                if known:
                    readings[i : i + size] = known
                    i += size
                    break
            else:
                i += 1

    def _read_gap(self, run: str, start: int, end: int, readings: list[str | None]) -> None:
        """Forward maximum matching over the phrase dictionary between two known words.

        Backward matching was tried: it reads 我方差错 right but 可以为您 as 以为 (wéi) and
        应答语 as 答语, words the handbook says far more often."""
        phrases = pypinyin_phrases()
        i = start
        while i < end:
            for size in range(min(4, end - i), 1, -1):
                found = phrases.get(run[i : i + size])
                if found and len(found) == size:
                    readings[i : i + size] = found
                    i += size
                    break
            else:
                readings[i] = self._lone_reading(run, i)
                i += 1

    def _lone_reading(self, run: str, i: int) -> str:
        char = run[i]
        if char in PARTICLES and i > 0:
            return "děi" if char == "得" and run[i - 1] in MUST_AFTER else PARTICLES[char]
        return self.defaults.get(char) or _default_reading(char)


@functools.lru_cache(maxsize=8)
def reader_for(words: tuple[tuple[str, str], ...]) -> RubyReader:
    """One reader per set of editor words: cards of one build share its cache."""
    return RubyReader(words)
