"""Which character bigrams are Chinese words, from jieba's dictionary (no segmentation is run).

A bigram spanning two words ("业见" in 就业见习) is rare, so inverse document frequency would make it
weigh most — yet it says nothing and dilutes the similarity of paraphrases. Bigrams that are words weigh
fully; the others are damped. Loaded once per process (~0.3 s); without jieba every bigram counts.
"""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def two_character_words() -> frozenset[str]:
    try:
        path = resources.files("jieba").joinpath("dict.txt")
        text = path.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return frozenset()
    return frozenset(line[:2] for line in text.splitlines() if len(line) > 3 and line[2] == " ")
