"""Sentences the engine records as English text, shown in the language of the GUI or the PDF.

Two kinds of engine text travel as plain English strings rather than catalogue keys:

- why a dataset row was quarantined: the import (engine.dataset, engine.safe_io, engine.embed)
  writes the reason into the project store, and stores made by earlier versions hold the same
  sentences (``q_*`` entries);
- what a running job is doing: the progress messages of the engine's long tasks (``p_*``),
  which the CLI prints as they are;
- how the metrics were computed: the notes of :func:`engine.metrics.compute_metrics` (``mn_*``),
  turned into catalogue messages by :func:`metric_note` when the study records them.

Each is read back against the English templates of its entries in the catalogue
(:mod:`engine.study.messages_en`) and the matching entry is rendered in the requested
language; the parts that name what a row is about (``{what}``), the detail of a damaged image
(``{detail}``) and the kind of a special file (``{kind}``) are read the same way. A sentence
that matches no template is shown as recorded; an image library's own message inside one is
quoted as such. Tests feed the real import's reasons through :func:`quarantine_reason`.
"""

from __future__ import annotations

import functools
import re
import string

from engine.study import messages_en
from engine.study.messages import Message, message, msg

# the parameters of a quarantine reason read recursively, and the prefix of their entries
_NESTED = {"what": "qw_", "what2": "qw_", "detail": "q_", "kind": "qk_"}
_PARTS = ("qw_", "qk_")


@functools.lru_cache(maxsize=8)
def _patterns(prefix: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(key, regex) of every template with ``prefix``, the most specific (longest literal text) first."""
    out = []
    for key, template in messages_en.MESSAGES.items():
        if not key.startswith(prefix) or (prefix == "q_" and key.startswith(_PARTS)):
            continue
        parts, literal = [], 0
        for text, field, _spec, _conv in string.Formatter().parse(template):
            parts.append(re.escape(text))
            literal += len(text)
            if field is not None:
                parts.append(f"(?P<{field}>.+?)")
        out.append((literal, key, re.compile("^" + "".join(parts) + "$", re.DOTALL)))
    out.sort(key=lambda t: -t[0])
    return tuple((key, rx) for _, key, rx in out)


def _quoted(name: str, value: str, lang: str) -> str:
    """A part no template knows: an image library's own message is quoted as such."""
    return message(lang, "q_library", text=value) if name == "detail" else value


def _match(text: str, prefix: str) -> tuple[str, dict[str, str]] | None:
    """The ``prefix`` entry whose English template ``text`` fills, with the values read off it."""
    for key, rx in _patterns(prefix):
        m = rx.match(text)
        if m is not None:
            return key, m.groupdict()
    return None


def read_back(lang: str, text: str, prefix: str) -> str | None:
    """``text`` (an English sentence of the ``prefix`` entries) in ``lang``; None when none fits."""
    found = _match(text, prefix)
    if found is None:
        return None
    key, values = found
    params: dict[str, str] = {}
    for name, value in values.items():
        nested = _NESTED.get(name) if prefix.startswith("q") else None
        params[name] = (read_back(lang, value, nested) or _quoted(name, value, lang)) if nested else value
    return message(lang, key, **params)


def metric_note(text: str) -> Message:
    """A note of the metric computation (engine.metrics writes English text) as a catalogue
    message (``mn_*``), so that it renders in the reader's language; kept as recorded when no
    template fits."""
    found = _match(text, "mn_")
    if found is None:
        return msg("n_as_recorded", text=text)
    key, values = found
    return msg(key, **values)


def quarantine_reason(lang: str, reason: str) -> str:
    """``reason`` (as the import recorded it) in ``lang``; as recorded when English or unknown."""
    if lang == "en" or not reason:
        return reason
    return read_back(lang, reason, "q_") or reason


def progress_text(lang: str, text: str) -> str:
    """A progress message of an engine job in ``lang``; as sent when English or unknown."""
    if lang == "en" or not text:
        return text
    return read_back(lang, text, "p_") or text
