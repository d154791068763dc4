"""The catalogue of the study's sentences (findings, recommendation, headline, notes, warnings,
reasons), in English and Japanese.

Qt-free, so the engine, the CLI, the GUI and the PDF all render the same message from a key
and its numbers: ``message(lang, key, **params)``. An engine result keeps a sentence as a
:class:`Message` (key, params and the English text for logs, the CLI and JSON readers) and
every surface renders it in its language with :func:`render`.

Templates use ``str.format`` with format specs, plus:

- a ``None`` number renders as "–";
- ``{rank:ordinal}`` writes 1st, 2nd, … (Japanese templates write ``{rank:,} 位`` instead);
- *word* parameters name a thing the catalogue translates: a modality ("image"/"text" → the
  language's word for photos/reports), a retrieval method, a metric, a discretisation, a
  bias correction, "model pairs"/"layer pairs" (see :data:`WORD_PARAMS`);
- a parameter ``<name>_key`` names another catalogue entry, rendered with the same
  parameters and inserted as ``{<name>}`` (a caution that quotes a warning, a note that
  quotes why a correlation is not meaningful).
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.dataset.label_choice import LabelChoice
from engine.study import messages_en, messages_ja

if TYPE_CHECKING:
    from engine.study.result import Recommendation

CATALOGUES: dict[str, dict[str, str]] = {"en": messages_en.MESSAGES, "ja": messages_ja.MESSAGES}
Params = dict[str, int | float | str | None]   # the numbers and names a message is filled with

# parameter name → catalogue prefix of the words it may hold (looked up in the language's own table)
WORD_PARAMS: dict[str, str] = {
    "modality": "modality_", "best_modality": "modality_", "weaker": "modality_",
    "method": "method_", "metric": "metric_", "over": "over_", "discretization": "discretization_",
    "correction": "correction_", "encoder": "encoder_", "unit": "unit_", "units": "units_",
}
# parameters that hold a comma-separated list of metric ids, each named (and glossed) in the language
METRIC_LIST_PARAMS = frozenset({"metrics", "knn_metrics", "linear_metrics"})
METHODS: tuple[str, ...] = ("linear_map", "cca", "contrastive")   # the explicit-alignment trial's


@dataclass(frozen=True)
class Message:
    """One sentence of a result: a catalogue key with its numbers, rendered in the language shown."""

    key: str
    params: Params
    text: str                     # the English sentence, for logs, the CLI and JSON readers


def msg(key: str, **params: int | float | str | None) -> Message:
    """A :class:`Message` with its English text filled in."""
    p: Params = dict(params)
    return Message(key=key, params=p, text=message("en", key, **p))


class _Missing(float):
    """A number that is not there: formats as an en dash whatever the format spec."""

    def __format__(self, spec: str) -> str:
        return "–"


def _ordinal(value: object) -> str:
    k = round(float(value))  # type: ignore[arg-type]
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k:,}{suffix}"


class _Formatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec == "ordinal":
            return _ordinal(value)
        return super().format_field(value, format_spec)


_FORMAT = _Formatter()


def word(lang: str, prefix: str, value: str) -> str:
    """A thing the catalogue names (``prefix`` "method_", "metric_", "modality_", …) in ``lang``;
    ``value`` itself when the language has no word for it."""
    table = CATALOGUES.get(lang, messages_en.MESSAGES)
    return table.get(prefix + value.replace(" ", "_"), value)


def _word(lang: str, name: str, value: object) -> object:
    if name in METRIC_LIST_PARAMS and isinstance(value, str) and lang != "en":
        names = [metric_label(lang, v.strip()) for v in value.split(",") if v.strip()]
        return message(lang, "list_comma").join(names)
    prefix = WORD_PARAMS.get(name)
    if prefix is None or not isinstance(value, str):
        return value
    return word(lang, prefix, value)


def message(lang: str, key: str, **params: Any) -> str:
    """The sentence ``key`` in ``lang`` (English when the key has no translation)."""
    table = CATALOGUES.get(lang, messages_en.MESSAGES)
    template = table.get(key)
    if template is None:
        template = messages_en.MESSAGES[key]
    values: dict[str, Any] = {}
    for k, v in params.items():
        if k.endswith("_key") and isinstance(v, str) and v in messages_en.MESSAGES:
            values[k[:-4]] = message(lang, v, **{p: w for p, w in params.items() if p != k})
        values[k] = _Missing("nan") if v is None else _word(lang, k, v)
    return _FORMAT.format(template, **values)


def render(lang: str, m: Message) -> str:
    """A result's sentence in ``lang``."""
    return message(lang, m.key, **m.params)


def render_all(lang: str, messages: Iterable[Message], sep: str | None = None) -> str:
    """Several sentences joined (by "; " in English, "。" in Japanese unless ``sep`` is given)."""
    joiner = message(lang, "list_separator") if sep is None else sep
    return joiner.join(render(lang, m) for m in messages)


def metric_label(lang: str, name: str, *, gloss: bool = True) -> str:
    """A metric as a table, a card or an axis names it: its id in English; in Japanese its
    Japanese name with the id in brackets (「相互k近傍 (mutual_knn)」), or without the id
    (``gloss=False``) where the id was glossed before."""
    if lang == "en":
        return name
    named = CATALOGUES.get(lang, {}).get(f"metric_{name}")
    if named is None:
        return name
    return f"{named} ({name})" if gloss else named


def method_label(lang: str, name: str) -> str:
    """A retrieval method (linear_map, cca, contrastive) named in ``lang``, with its id."""
    named = word(lang, "method_", name)
    return named if lang == "en" or named == name else f"{named} ({name})"


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
    space = message(lang, "sentence_space")
    text = message(lang, "question") + space + message(lang, rec.key, **rec.params)
    weaker = next((r for r in rec.rules if r.id == "weaker_modality"), None)
    if weaker is not None and rec.decision != "invest":
        text += space + message(lang, weaker.key, **weaker.params)
    return text
