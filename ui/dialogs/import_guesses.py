"""What the import dialog says it guessed: how each column was found, the id rule, the label
and the other candidates, each with the control that changes it (translated texts).

The facts come from the engine (engine.dataset.columns.detect_columns, engine.dataset.label_choice
.choose_label, the Dataset's id rule); this module only words them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from engine.dataset.columns import HOW_NAME, HOW_REQUESTED, HOW_UNIQUE
from engine.dataset.label_choice import MAX_LEVELS, LabelChoice, choose_label
from engine.dataset.loader import FOLDER_ID_BY_NAME
from engine.study.messages import label_reason
from ui.i18n import active_language

# what `--encoding` takes, in the dialog's encoding box (None: detect)
ENCODING_ITEMS: tuple[tuple[str, str | None], ...] = (
    ("", None), ("UTF-8", "utf-8"), ("CP932 (Shift-JIS)", "cp932"),
    ("Windows-1252", "cp1252"), ("UTF-16", "utf-16"), ("UTF-32", "utf-32"))


def _sep() -> str:
    """Between two sentences: Japanese needs no space."""
    return "" if active_language() == "ja" else " "


def how_text(how: str) -> str:
    """How a role's column was found, in the UI language."""
    words = {
        HOW_NAME: QCoreApplication.translate("ImportGuesses", "recognised by its name"),
        HOW_UNIQUE: QCoreApplication.translate(
            "ImportGuesses", "an id-like name with a different value on every row"),
        HOW_REQUESTED: QCoreApplication.translate("ImportGuesses", "chosen here"),
    }
    return words.get(how, "")


def not_a_label_text(why: str) -> str:
    """Why a column is not offered as a label (engine.dataset.label_choice), translated."""
    words = {
        "empty": QCoreApplication.translate("ImportGuesses", "empty"),
        "names a person": QCoreApplication.translate("ImportGuesses", "names a person"),
        "dates or times": QCoreApplication.translate("ImportGuesses", "dates or times"),
        "identifiers": QCoreApplication.translate("ImportGuesses", "identifiers"),
        "a single value": QCoreApplication.translate("ImportGuesses", "a single value"),
        "measurements (non-integer numbers)": QCoreApplication.translate("ImportGuesses", "measurements (non-integer numbers)"),
        "measurements (named like one)": QCoreApplication.translate("ImportGuesses", "measurements (named like one)"),
        f"numbers with more than {MAX_LEVELS} values":
            QCoreApplication.translate("ImportGuesses", "numbers with more than {0} values").format(MAX_LEVELS),
        "free text": QCoreApplication.translate("ImportGuesses", "free text"),
        f"more than {MAX_LEVELS} values": QCoreApplication.translate("ImportGuesses", "more than {0} values").format(MAX_LEVELS),
        "nearly every row has its own value": QCoreApplication.translate("ImportGuesses", "nearly every row has its own value"),
    }
    return words.get(why, why)


def id_rule_text(example: str) -> str:
    """No id column: the ids are made from the image paths (said, with the control)."""
    return QCoreApplication.translate(
        "ImportGuesses",
        "No id column: the ids will be the image paths without extension (e.g. {0}). "
        "Choose the id column above if the sheet has one.").format(example)


def folder_text(id_rule: str | None, example: str | None) -> str:
    """What a folder without a manifest is read as, and how its ids are made."""
    text = QCoreApplication.translate("ImportGuesses",
             "No manifest: every image with the .txt report of the same name beside it; "
             "the labels are the sub-folder names.")
    if id_rule is None or example is None:
        return text + _sep() + QCoreApplication.translate("ImportGuesses",
                              "The ids are the image file names without extension "
                              "(their paths inside the folder when names repeat).")
    if id_rule.startswith(FOLDER_ID_BY_NAME):
        rule = QCoreApplication.translate("ImportGuesses", "The ids are the image file names without extension (e.g. {0}).")
    else:
        rule = QCoreApplication.translate("ImportGuesses",
                 "Some file names repeat in different sub-folders, so the ids are the image "
                 "paths inside the folder without extension (e.g. {0}).")
    change = QCoreApplication.translate("ImportGuesses", "To choose the ids, put a manifest.csv with an id column in the folder.")
    return _sep().join((text, rule.format(example), change))


def label_choice_of(header: Sequence[str], rows: Sequence[Sequence[str]],
                    taken: set[str]) -> LabelChoice:
    """The label the study will choose among the columns that are not id/image/report."""
    columns = {h: [r[i].strip() for r in rows] for i, h in enumerate(header) if h not in taken}
    return choose_label(columns)


def label_text(choice: LabelChoice) -> str:
    """The chosen label and why, what is not offered, and where to change it."""
    if choice.column is None:
        text = QCoreApplication.translate("ImportGuesses", "Label: none found (the study then measures alignment only).")
    else:
        text = QCoreApplication.translate("ImportGuesses", "Label for the study: {0} ({1}).").format(
            choice.column, label_reason(active_language(), choice))
    sep = _sep()
    if choice.passed_over:
        text += sep + QCoreApplication.translate("ImportGuesses", "Not offered as labels: {0}.").format(
            ", ".join(f"{c} ({not_a_label_text(w)})" for c, w in choice.passed_over))
    return text + sep + QCoreApplication.translate("ImportGuesses",
                          "Change the label after the import in the Label box of the Overview.")
