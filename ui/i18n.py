"""UI language: English source strings, Japanese from resources/i18n/alignscope_ja.qm.

Chosen by the ``language`` setting ("auto" follows the system locale, "en", "ja"). Qt's own
translations (standard dialog buttons) are loaded from PySide6's bundled qtbase_*.qm.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ui.resource_paths import RESOURCES

I18N_DIR = RESOURCES / "i18n"
LANGUAGES = {"en": "English", "ja": "日本語"}
_installed: list[QTranslator] = []


def resolve_language(setting: str | None) -> str:
    """"auto"/None → the system locale's language if translated, else English."""
    if setting in LANGUAGES:
        return str(setting)
    system = QLocale.system().name().split("_")[0]
    return system if system in LANGUAGES else "en"


_active: list[str] = ["en"]


def active_language() -> str:
    """The language installed last by :func:`install_translations` ("en" before any)."""
    return _active[0]


def install_translations(app: QCoreApplication, setting: str | None) -> str:
    """Install the translators for the chosen language; returns the language code used."""
    for tr in _installed:
        app.removeTranslator(tr)
    _installed.clear()
    lang = resolve_language(setting)
    _active[0] = lang
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English))
        return lang
    ours = QTranslator(app)
    if ours.load(str(I18N_DIR / f"alignscope_{lang}.qm")):
        app.installTranslator(ours)
        _installed.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    QLocale.setDefault(QLocale(lang))
    return lang


def study_message(key: str, params: Mapping[str, Any]) -> str:
    """A sentence of the study (finding, recommendation) in the active UI language."""
    from engine.study.messages import message

    return message(active_language(), key, **params)
