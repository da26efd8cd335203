"""Readable ids from Chinese titles: 午间问候 → `wujian-wenhou`.

The one place ids are made, for `huashu new`, `huashu import` and the categories
an import adds: an id an editor can read in a URL and guess from the title.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Container, Iterator
from typing import Any

from huashu.readings import char_readings, dictionary_words, is_hanzi, plain_syllable, to_simplified
from huashu.validate import id_problem

# Long titles give long URLs: words are kept while the id stays within this many letters.
MAX_ID_LENGTH = 32


def title_words(title: str) -> list[str]:
    """The title's words in pinyin and its ascii words, in order.

    The title (in simplified characters) is cut into words by jieba's dictionary (多行道歉 →
    多行 / 道歉, 标准问候语 → 标准 / 问候语), without its guesses at unknown words (HMM), so
    an id is predictable. Each word is read with pypinyin's phrase readings inside it, never
    across words.
    """
    words: list[str] = []
    for token in _segmenter().cut(to_simplified(title).lower(), HMM=False):
        if token.isascii() and token.isalnum():
            words.append(token)
        elif any(is_hanzi(char) for char in token):
            words += ["".join(_syllables(part)) for part in _halves(token)]
    return [word for word in words if word]


def _halves(word: str) -> list[str]:
    """A four-character word made of two words as those two (网络故障 → 网络, 故障): short id words."""
    halves = [word[:2], word[2:]]
    if len(word) == 4 and all(_segmenter().FREQ.get(half) for half in halves):
        return halves
    return [word]


@functools.lru_cache(maxsize=1)
def _segmenter() -> Any:
    """jieba's default dictionary, loaded once, when an id is first made (about a second)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # not its "Building prefix dict" chatter on every command
    return jieba.Tokenizer()


def _syllables(word: str) -> Iterator[str]:
    """A word's toneless syllables: a phrase's reading where the phrase dictionary has one."""
    for part, readings in dictionary_words(word):
        if readings:
            yield from (plain_syllable(r) for r in readings)
        elif is_hanzi(part) and char_readings(part):
            yield char_readings(part)[0]
        elif part.isascii() and part.isalnum():
            yield part


def readable_id(title: str, taken: Container[str] | Callable[[str], bool], fallback: str) -> str:
    """An id from the title's pinyin, free in `taken` (a collision gets -2, -3 …).

    Args:
        taken: Ids already in use (or a test for one).
        fallback: The stem when the title has no hanzi or letters (a title of only digits
            or symbols), e.g. the category's id.
    """
    is_taken = taken if callable(taken) else taken.__contains__
    stem = _shortened(title_words(title)) or fallback
    assert id_problem(stem) is None, stem
    candidate, number = stem, 1
    while is_taken(candidate):
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def _shortened(words: list[str]) -> str:
    """Whole words while they fit in MAX_ID_LENGTH (at least the first, cut to fit)."""
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > MAX_ID_LENGTH:
            break
        kept.append(word)
    return "-".join(kept) if kept else (words[0][:MAX_ID_LENGTH] if words else "")
