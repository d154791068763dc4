"""The catalogue of the study's sentences (findings, recommendation), in English and Japanese.

Qt-free, so the engine, the CLI, the GUI and the PDF all render the same message from a key
and its numbers: ``message(lang, key, **params)``. Templates use ``str.format`` with format
specs; a ``None`` number renders as "–".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.dataset.label_choice import LabelChoice
from engine.study import messages_en, messages_ja

if TYPE_CHECKING:
    from engine.study.result import Recommendation

CATALOGUES: dict[str, dict[str, str]] = {"en": messages_en.MESSAGES, "ja": messages_ja.MESSAGES}


class _Missing(float):
    """A number that is not there: formats as an en dash whatever the format spec."""

    def __format__(self, spec: str) -> str:
        return "–"


MODALITY_PARAMS = frozenset({"modality", "best_modality", "weaker"})  # "image"/"text" shown as words


def message(lang: str, key: str, **params: Any) -> str:
    """The sentence ``key`` in ``lang`` (English when the key has no translation). Parameters
    that name a modality ("image"/"text") are shown as the language's word (photos/reports)."""
    table = CATALOGUES.get(lang, messages_en.MESSAGES)
    template = table.get(key) or messages_en.MESSAGES[key]
    values = {k: (_Missing("nan") if v is None else
                  message(lang, f"modality_{v}") if k in MODALITY_PARAMS and v in ("image", "text") else
                  message(lang, f"over_{v}") if k == "over" and f"over_{v}" in messages_en.MESSAGES else v)
              for k, v in params.items()}
    return template.format(**values)


def label_reason(lang: str, choice: LabelChoice) -> str:
    """Why the label column was chosen, in ``lang`` ("" without a label)."""
    if choice.column is None:
        return ""
    if choice.how == "requested":
        return message(lang, "label_requested", column=choice.column)
    best = next((c for c in choice.candidates if c.column == choice.column), None)
    if best is None:
        return choice.reason
    text = message(lang, f"label_{best.kind}", column=best.column, levels=best.levels)
    others = [f"{c.column} ({c.levels})" for c in choice.candidates if c.column != choice.column]
    if others:
        text += message(lang, "label_others", others=", ".join(others))
    return text


def recommendation_text(lang: str, rec: Recommendation) -> str:
    """The question, its answer and, when known, which side to improve first, in ``lang``."""
    text = f"{message(lang, 'question')} {message(lang, rec.key, **rec.params)}"
    weaker = next((r for r in rec.rules if r.id == "weaker_modality"), None)
    if weaker is not None and rec.decision != "invest":
        text += " " + message(lang, weaker.key, **weaker.params)
    return text
