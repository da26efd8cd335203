"""Pinyin readings and traditional-character folding for the search index.

Readings are enumerated per character (every heteronym), then the readings the
phrase dictionary gives in words are added: the dictionary is the better guess
for some words and wrong for others (长时间 as zhang), so neither alone is enough.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import opencc

_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANZI_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Ranges whose characters may be typed as traditional forms of library characters.
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_TO_SIMPLIFIED = ("t2s", "tw2s", "hk2s")
_MAX_PHRASE = 4
# Taiwan's forms read as mainland ones (著急 → 着急, where plain t2s keeps 著); no words
# are replaced (tw2sp would make 资料 数据 and 网路 网络).
_TW_TO_SIMPLIFIED = opencc.OpenCC("tw2s")
# 帳 is 账 in standard simplified (帳戶 → 账户, 帳單 → 账单), but OpenCC's tables make it 帐,
# which is right only for a tent or a curtain: so 帳 is read as 賬 outside those words.
_CURTAIN_WORDS = ("帳篷", "帳棚", "帳幕", "帳幔", "帳子", "蚊帳", "營帳", "帷帳", "軍帳", "床帳", "紗帳", "羅帳")
_ACCOUNT_ZHANG = re.compile("|".join([*_CURTAIN_WORDS, "帳"]))


def is_hanzi(char: str) -> bool:
    return bool(_HANZI.match(char))


def _clean(reading: str) -> str:
    # Style.NORMAL writes ü as "v" (lv, nv): what pinyin keyboards type too.
    return reading.lower().replace("ü", "v")


def _pypinyin_file(name: str) -> Path:
    spec = importlib.util.find_spec("pypinyin")
    assert spec is not None and spec.origin is not None, "pypinyin is a dependency"
    return Path(spec.origin).with_name(name)


# pypinyin's two tables are read from its files, not through the package: importing it loads
# them as lists of lists of strings, and copies them (over 40 MB, more than the rest of a
# 10,000-entry build), plus a segmenter huashu does not use.
@functools.lru_cache(maxsize=1)
def pypinyin_chars() -> dict[int, str]:
    """Each character's tone-marked readings, comma-separated, most common first (by code point)."""
    table = json.loads(_pypinyin_file("pinyin_dict.json").read_text(encoding="utf-8"))
    return {int(code): readings for code, readings in table.items()}


@functools.lru_cache(maxsize=1)
def pypinyin_phrases() -> dict[str, tuple[str, ...]]:
    """Each phrase's tone-marked reading, a syllable per character (the first pypinyin gives).
    Syllables are shared: a few thousand strings, not 150,000."""
    text = _pypinyin_file("phrases_dict.json").read_text(encoding="utf-8")
    syllables: dict[str, str] = {}
    return {
        phrase: tuple(syllables.setdefault(readings[0], readings[0]) for readings in chars)
        for phrase, chars in _json_object_items(text)
    }


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _json_object_items(text: str) -> Iterator[tuple[str, Any]]:
    """The members of the JSON object `text`, one at a time: json.loads would build the
    whole table as lists of lists first (35 MB for pypinyin's phrases, 4 MB once compacted)."""
    decoder = json.JSONDecoder()

    def skip(at: int, expected: str) -> int:
        at = _JSON_SPACE.match(text, at).end()  # type: ignore[union-attr]
        if not text.startswith(expected, at):
            raise ValueError(f"pypinyin data: {expected!r} expected at {at}")
        return _JSON_SPACE.match(text, at + 1).end()  # type: ignore[union-attr]

    at = skip(0, "{")
    while not text.startswith("}", at):
        key, at = decoder.raw_decode(text, at)
        value, at = decoder.raw_decode(text, skip(at, ":"))
        yield key, value
        at = _JSON_SPACE.match(text, at).end()  # type: ignore[union-attr]
        if text.startswith(",", at):
            at = skip(at, ",")


@functools.cache
def char_readings(char: str) -> tuple[str, ...]:
    """Every reading pypinyin knows for one character, most common first, toneless."""
    if not is_hanzi(char):
        return ()
    readings = (_clean(plain_syllable(r)) for r in pypinyin_chars().get(ord(char), "").split(","))
    return tuple(dict.fromkeys(r for r in readings if r.isascii() and r.isalpha()))


@functools.cache
def _phrase_syllables(phrase: str) -> tuple[str, ...] | None:
    readings = pypinyin_phrases().get(phrase)
    if not readings or len(readings) != len(phrase):
        return None
    return tuple(plain_syllable(r) for r in readings)


def readings_in_use(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Readings of every hanzi in `texts`: all heteronyms plus in-word readings.

    In-word readings come from every dictionary phrase of two to four characters
    found in the text, not from one segmentation of it: a superset that costs a
    dictionary lookup per n-gram instead of pypinyin's segmenter per sentence.
    """
    runs = {run for text in texts for run in _HANZI_RUN.findall(text)}
    found: dict[str, dict[str, None]] = {}
    for run in sorted(runs):
        for char in run:
            if char not in found:
                found[char] = dict.fromkeys(char_readings(char))
        for size in range(2, min(_MAX_PHRASE, len(run)) + 1):
            for start in range(len(run) - size + 1):
                syllables = _phrase_syllables(run[start : start + size])
                if syllables:
                    for char, reading in zip(run[start : start + size], syllables, strict=True):
                        found[char].setdefault(reading)
    return {char: tuple(r for r in readings if r.isascii() and r.isalpha()) for char, readings in found.items()}


@functools.lru_cache(maxsize=1)
def _all_cjk_characters() -> str:
    return "\n".join(chr(cp) for start, end in _CJK_RANGES for cp in range(start, end + 1))


def traditional_folding(library_chars: Iterable[str]) -> dict[str, str]:
    """Traditional or variant characters that fold to a character used in the library.

    Only pairs whose simplified side appears in the library are kept, so the
    site ships a few hundred pairs instead of OpenCC's whole dictionary.
    """
    wanted = set(library_chars)
    folding: dict[str, str] = {}
    originals = _all_cjk_characters().split("\n")
    for config in _TO_SIMPLIFIED:
        converted = opencc.OpenCC(config).convert(_all_cjk_characters()).split("\n")
        for original, simplified in zip(originals, converted, strict=True):
            if simplified != original and len(simplified) == 1 and simplified in wanted:
                folding.setdefault(original, simplified)
    return dict(sorted(folding.items()))


def to_simplified(text: str) -> str:
    """Traditional characters as standard simplified ones (a simplified text is left as it is)."""
    return _TW_TO_SIMPLIFIED.convert(_ACCOUNT_ZHANG.sub(lambda m: "賬" if m.group() == "帳" else m.group(), text))


def dictionary_words(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """`text` cut into the phrase dictionary's words of two to four characters, longest
    first, each with its tone-marked readings; other characters alone, with no readings.

    A dictionary lookup per position: pypinyin's own segmenter costs far more on large
    libraries, for the same words.
    """
    phrases = pypinyin_phrases()
    words: list[tuple[str, tuple[str, ...]]] = []
    i = 0
    while i < len(text):
        for size in (4, 3, 2):
            word = text[i : i + size]
            readings = phrases.get(word) if len(word) == size else None
            if readings and len(readings) == size:
                words.append((word, readings))
                i += size
                break
        else:
            words.append((text[i], ()))
            i += 1
    return words


def plain_syllable(marked: str) -> str:
    """A tone-marked syllable without its tone, ü written v (as pinyin keyboards type it)."""
    decomposed = unicodedata.normalize("NFD", marked.lower()).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def all_syllables() -> tuple[str, ...]:
    """Every toneless syllable in pypinyin's dictionary: what a typed syllable may be."""
    found = {plain_syllable(r) for value in pypinyin_chars().values() for r in value.split(",")}
    return tuple(sorted(s for s in found if s.isascii() and s.isalpha()))
