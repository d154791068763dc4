"""Find English sentences in text meant to be Japanese (the GUI in Japanese, the Japanese PDF).

A *run* is a stretch of Latin-script words with nothing Japanese between them (spaces,
punctuation, numbers and identifiers do not end a run; a kana, kanji or full-width character
does). A run is English when it has at least ``min_words`` counted words: words of two letters
or more with a lower-case letter, that are not allowed. Not counted, and not ending a run:

- identifiers: tokens with a digit, ``_``, ``@``, ``/``, ``\\`` or an inner dot (model ids,
  file names, metric keys such as ``mutual_knn``, sample ids, ``utf-8``, ``Recall@k``), and
  file extensions (``*.csv``);
- all-capital acronyms (``PID``, ``CKA``, ``AUC``);
- ``allowed_words``: words of the user's data (column names, label values, report texts),
  model ids and the metric and method identifiers, compared case-insensitively.

``allowed_phrases`` (e.g. the bibliography, cited in English) are cut out of the text first
and end a run. Line breaks inside a hyphenated word (``efficientnet-\\nlite0``) are joined.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_TOKEN = re.compile(r"[A-Za-z0-9_@./\\'’-]+")
_LETTER = re.compile(r"[A-Za-z]")
_IDENT = re.compile(r"[\d_@/\\]|\w\.\w")
# between two tokens of one run: spaces, ASCII punctuation, typographic quotes/dashes, math
_JOINER = re.compile(r"[\s,.;:!?()\[\]{}\"'“”‘’&+=<>≈≤≥×±%#*|–—-]*")
CUT = "〓"


def _normalise(text: str) -> str:
    text = re.sub(r"(?<=[A-Za-z])-\s*\n\s*(?=[A-Za-z0-9])", "-", text)
    return " ".join(text.split())


def _word_set(texts: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for t in texts:
        for tok in _TOKEN.findall(str(t)):
            out.add(tok.strip(".'’-").lower())
            out.update(p.lower() for p in re.split(r"[-_./\\@]", tok) if p)
    return out


def english_runs(text: str, *, allowed_phrases: Iterable[str] = (), allowed_words: Iterable[str] = (),
                 min_words: int = 2) -> list[str]:
    """The English runs of ``text`` (see the module doc), in order."""
    t = _normalise(text)
    for phrase in sorted({_normalise(p) for p in allowed_phrases if p.strip()}, key=len, reverse=True):
        t = t.replace(phrase, f" {CUT} ")
    allowed = _word_set(allowed_words)
    runs: list[str] = []
    current: list[str] = []
    start = end = 0
    pos = 0

    def close() -> None:
        if len(current) >= min_words:
            runs.append(t[start:end])
        current.clear()

    for m in _TOKEN.finditer(t):
        gap = t[pos:m.start()]
        if not _JOINER.fullmatch(gap):
            close()
        pos = m.end()
        tok = m.group().strip(".,'’-")
        if m.group().startswith(".") and tok.isalnum():  # a file extension (*.csv)
            continue
        if not _LETTER.search(tok) or _IDENT.search(tok) or tok.isupper():
            continue
        if tok.lower() in allowed or len(tok) < 2:
            continue
        if not current:
            start = m.start()
        current.append(tok)
        end = m.end()
    close()
    return runs


def unglossed(text: str, names: Iterable[str]) -> list[str]:
    """Identifiers of ``names`` whose first use in ``text`` is not glossed in Japanese: the first
    occurrence must stand in brackets right after a Japanese name, as in 「相互k近傍 (mutual_knn)」."""
    t = _normalise(text)
    out = []
    for name in names:
        m = re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", t)
        if m is None:
            continue
        before = t[max(0, m.start() - 14):m.start()]
        if not re.search(r"[\u3040-\u30ff\u4e00-\u9fff][^\u3040-\u30ff\u4e00-\u9fff]{0,10}[(（]\s*$", before):
            out.append(f"{name}: …{t[max(0, m.start() - 30):m.end() + 10]}…")
    return out
