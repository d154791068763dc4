"""Look-up of the report's texts in the chosen language."""

from __future__ import annotations

from typing import Literal

from engine.errors import InputError
from engine.report import texts_en, texts_ja

Lang = Literal["en", "ja"]
LANGUAGES: tuple[str, ...] = ("en", "ja")

_TEXTS: dict[str, dict[str, str]] = {"en": texts_en.TEXTS, "ja": texts_ja.TEXTS}
_METRICS: dict[str, dict[str, str]] = {
    "en": texts_en.METRIC_DEFINITIONS,
    "ja": texts_ja.METRIC_DEFINITIONS,
}


def check_lang(lang: str) -> Lang:
    """Return ``lang`` when supported; InputError naming the choices otherwise."""
    if lang == "en":
        return "en"
    if lang == "ja":
        return "ja"
    raise InputError(f"unknown report language {lang!r}: choose one of {', '.join(LANGUAGES)}")


def tr(lang: str, key: str, **values: object) -> str:
    """The text ``key`` in ``lang`` with ``values`` filled in (English when a key is untranslated)."""
    table = _TEXTS.get(lang, texts_en.TEXTS)
    text = table.get(key)
    if text is None:
        text = texts_en.TEXTS[key]
    return text.format(**values) if values else text


def metric_definition(lang: str, metric: str) -> str:
    """One-sentence definition of ``metric`` (its name when no definition exists)."""
    table = _METRICS.get(lang, texts_en.METRIC_DEFINITIONS)
    return table.get(metric) or texts_en.METRIC_DEFINITIONS.get(metric, metric)


def references() -> tuple[str, ...]:
    """The reference papers (cited in their original language)."""
    return texts_en.REFERENCES
