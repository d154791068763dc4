"""Which script the reports are written in, and whether the chosen text encoders can read it.

The language is checked, not assumed: on import, every report's letters are counted by
script (kana, kanji, Latin, other) and the mix is recorded in the store. When the reports
are mostly Japanese (or another non-Latin script) and a text encoder's card says it reads
English only, the CLI (`embed`, `info`), the import dialog and the Overview warn and
propose a multilingual rung. Latin-script languages other than English cannot be told
apart by script: they are not flagged.

Counting uses regular expressions (C speed): ~10^7 characters per second.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

KANA = re.compile("[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
KANJI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006\U00020000-\U0003134f]")
LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff\uff21-\uff3a\uff41-\uff5a]")
LETTER = re.compile(r"[^\W\d_]")  # any Unicode letter

# Per-report script classes (stored per sample) and what a dataset can be called.
SCRIPT_CLASSES: tuple[str, ...] = ("ja", "zh", "latin", "other", "none")
MOSTLY = 0.5  # share of reports that makes a script the dataset's dominant one
CJK_WEIGHT = 3  # a kana or kanji carries about as much text as three Latin letters
# Multilingual rungs AlignScope proposes, best first (one place: CLI, dialog and Overview).
PREFERRED_MULTILINGUAL: tuple[str, ...] = ("multilingual-e5-small", "use-multilingual-v3")
SCRIPT_NAMES = {"ja": "Japanese", "zh": "Chinese (kanji without kana)", "other": "a non-Latin script"}


@dataclass(frozen=True)
class ScriptMix:
    """Letters of all reports by script, and reports by their dominant script."""

    n_reports: int
    letters: int
    kana: float  # shares of all letters
    kanji: float
    latin: float
    other: float
    reports: dict[str, int] = field(default_factory=dict)  # script class → number of reports
    dominant: str = "none"  # a script class, or "mixed" when none holds MOSTLY of the reports

    @property
    def kana_kanji(self) -> float:
        return self.kana + self.kanji

    @property
    def needs_multilingual(self) -> bool:
        """Mostly Japanese / Chinese / another non-Latin script: English-only encoders fail."""
        return self.dominant in ("ja", "zh", "other")

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ScriptMix:
        data = json.loads(text)
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def describe(self) -> str:
        """One line for the CLI, e.g. "reports: 93% Japanese (kana+kanji 88% of letters, Latin 12%)"."""
        if self.n_reports == 0 or self.letters == 0:
            return "reports: no letters to check"
        top = max(self.reports, key=lambda k: self.reports[k])
        share = self.reports[top] / self.n_reports
        name = {"ja": "Japanese", "zh": "Chinese", "latin": "Latin script", "other": "other scripts",
                "none": "without letters"}[top]
        return (f"reports: {share:.0%} {name} (letters: kana+kanji {self.kana_kanji:.0%}, "
                f"Latin {self.latin:.0%}, other {self.other:.0%})")


def report_script(text: str) -> str:
    """Script class of one report: ja, zh, latin, other, or none (no letters)."""
    letters = len(LETTER.findall(text))
    if letters == 0:
        return "none"
    kana, kanji, latin = len(KANA.findall(text)), len(KANJI.findall(text)), len(LATIN.findall(text))
    cjk = kana + kanji
    if cjk and CJK_WEIGHT * cjk >= letters - cjk:  # "L3ラインのtension sensorを再校正" is Japanese
        return "ja" if kana > 0 or kanji <= 8 else "zh"  # short kanji-only notes ("異常無し") are Japanese
    if latin >= letters / 2:
        return "latin"
    return "other"


def script_mix(texts: Iterable[str]) -> tuple[ScriptMix, list[str]]:
    """The mix over ``texts`` and each text's script class (in order)."""
    totals = {"kana": 0, "kanji": 0, "latin": 0, "letters": 0}
    classes: list[str] = []
    for text in texts:
        totals["kana"] += len(KANA.findall(text))
        totals["kanji"] += len(KANJI.findall(text))
        totals["latin"] += len(LATIN.findall(text))
        totals["letters"] += len(LETTER.findall(text))
        classes.append(report_script(text))
    n = len(classes)
    counts = {c: classes.count(c) for c in SCRIPT_CLASSES}
    letters = totals["letters"]

    def share(k: str) -> float:
        return round(totals[k] / letters, 4) if letters else 0.0

    other = round(max(0.0, 1.0 - share("kana") - share("kanji") - share("latin")), 4) if letters else 0.0
    with_letters = {c: v for c, v in counts.items() if c != "none"}
    best = max(with_letters, key=lambda c: with_letters[c]) if n else "none"
    dominant = "none" if sum(with_letters.values()) == 0 else (
        best if with_letters[best] >= MOSTLY * n else "mixed")
    mix = ScriptMix(n, letters, share("kana"), share("kanji"), share("latin"), other, counts, dominant)
    return mix, classes


@dataclass(frozen=True)
class LanguageCheck:
    """Whether the text encoders in use can read the reports (for the CLI, dialog, Overview)."""

    mix: ScriptMix
    text_models: tuple[str, ...]
    english_only: tuple[str, ...]  # text models whose card lists only "en"
    warn: bool  # reports need a multilingual encoder and at least one text model is English-only
    suggested_model: str | None  # an installed multilingual rung that reads the reports' language
    message: str  # English, for the CLI ("" when no warning); the UI builds its own from the fields


def _languages(model_id: str) -> tuple[str, ...] | None:
    from engine.encoders import get_spec
    from engine.errors import ModelError

    try:
        return get_spec(model_id).languages
    except ModelError:
        return None  # not installed here: nothing known about it


def suggest_multilingual(mix: ScriptMix, candidates: Sequence[str] = ()) -> str | None:
    """The multilingual rung to propose: one already in ``candidates``, else the first installed."""
    from engine.encoders import list_models

    code = "ja" if mix.dominant == "ja" else "zh" if mix.dominant == "zh" else None
    installed = {s.id: s.languages for s in list_models() if s.modality == "text"}
    readers = [m for m, langs in installed.items() if len(langs) > 1 and (code is None or code in langs)]
    for model_id in [c for c in candidates if c in readers] + [p for p in PREFERRED_MULTILINGUAL if p in readers]:
        return model_id
    return readers[0] if readers else None


def language_check(mix: ScriptMix, text_models: Sequence[str]) -> LanguageCheck:
    english_only = tuple(m for m in text_models if _languages(m) == ("en",))
    warn = mix.needs_multilingual and bool(english_only)
    suggested = suggest_multilingual(mix, text_models) if warn else None
    message = ""
    if warn:
        script = SCRIPT_NAMES.get(mix.dominant, mix.dominant)
        share = mix.reports.get(mix.dominant, 0) / max(1, mix.n_reports)
        message = (f"{share:.0%} of the reports are written in {script}, but "
                   f"{', '.join(english_only)} read{'s' if len(english_only) == 1 else ''} English only: "
                   "its text embeddings (alignment, suspect pairs, interactions) are near-meaningless here. ")
        if suggested in text_models:
            message += f"Read the results of {suggested} (embedded here too), which reads the reports' language."
        elif suggested:
            message += f"Embed the reports with the multilingual rung: --text-model {suggested}."
        else:
            message += "Install a multilingual text encoder (make models exports multilingual-e5-small)."
    return LanguageCheck(mix, tuple(text_models), english_only, warn, suggested, message)


def headline_text_model(mix: ScriptMix, available: Sequence[str], preferred: str) -> str | None:
    """The text model a study should headline among ``available`` (the store's text models).

    Reports that need a multilingual encoder: the multilingual rung (PREFERRED_MULTILINGUAL
    order, then any embedded model whose card lists the reports' language); otherwise
    ``preferred`` when embedded, else the first. None when nothing is embedded.
    """
    if not available:
        return None
    if mix.needs_multilingual:
        code = "ja" if mix.dominant == "ja" else "zh" if mix.dominant == "zh" else None
        readers = [m for m in available if len(langs := _languages(m) or ()) > 1 and (code is None or code in langs)]
        for model_id in [p for p in PREFERRED_MULTILINGUAL if p in readers] + readers:
            return model_id
    return preferred if preferred in available else available[0]


def store_script_mix(store_path: str | Path) -> tuple[ScriptMix, list[str]]:
    """The mix recorded at import (older stores: computed now from the stored reports)."""
    from engine.store import Store

    with Store.open(store_path, "r") as st:
        return open_store_script_mix(st)


def open_store_script_mix(st: Any) -> tuple[ScriptMix, list[str]]:
    """:func:`store_script_mix` of a store that is already open."""
    from engine.store.h5io import read_strings

    g = st.file["samples"]
    recorded = st.dataset_info().get("script_mix")
    if isinstance(recorded, dict) and "script" in g:
        return ScriptMix.from_json(json.dumps(recorded)), read_strings(g["script"])
    return script_mix(st.report_texts())


def check_store_language(store_path: str | Path, text_models: Sequence[str] | None = None) -> LanguageCheck:
    """:class:`LanguageCheck` of a project: its reports' mix against its (or the given) text models."""
    from engine.store import Store

    mix, _ = store_script_mix(store_path)
    if text_models is None:
        with Store.open(store_path, "r") as st:
            text_models = st.models()["text"]
    return language_check(mix, list(text_models))


def truncated_by_script(classes: Sequence[str], truncated: Sequence[bool] | Any) -> dict[str, int]:
    """{script class: truncated reports} (only classes with at least one)."""
    out: dict[str, int] = {}
    for cls, cut in zip(classes, truncated, strict=True):
        if cut:
            out[cls] = out.get(cls, 0) + 1
    return out
