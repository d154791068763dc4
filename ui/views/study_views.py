"""Overview (metric cards, findings, recommendation), Ladder and Interactions views.

All three only display typed pieces of the study result (engine.study.result.Analysis)
through ui.plots.figures, so the PDF shows the same plots.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from engine.metrics.layerwise import LayerwiseAlignment
from engine.project.data import ProjectData
from engine.study.headline import render_headline
from engine.study.messages import label_reason, message, metric_label, recommendation_text, render
from engine.study.result import Analysis
from ui.dialogs.import_guesses import not_a_label_text
from ui.i18n import active_language, study_message
from ui.plots import figures
from ui.plots.export import export_plot_interactive

HEADLINE = ("mutual_knn", "unbiased_cka_linear", "cknna", "svcca")


def metric_meaning(name: str) -> str:
    t = QCoreApplication.translate
    meanings = {
        "mutual_knn": t("Meaning", "Share of each sample's 10 nearest neighbours that are the same in both spaces."),
        "cycle_knn": t("Meaning", "Share of samples that come back to themselves through a neighbour in the other space."),
        "lcs_knn": t("Meaning", "Length of the common ordered part of the two neighbour lists."),
        "cka_linear": t("Meaning", "Similarity of the two spaces' overall geometry (biased estimate)."),
        "cka_rbf": t("Meaning", "Similarity of local geometry with a Gaussian kernel."),
        "unbiased_cka_linear": t("Meaning", "Similarity of overall geometry, corrected for sample size (0 = unrelated)."),
        "unbiased_cka_rbf": t("Meaning", "Similarity of local geometry, corrected for sample size."),
        "cknna": t("Meaning", "Geometry similarity restricted to mutual nearest neighbours."),
        "svcca": t("Meaning", "Correlation of the top shared directions of the two spaces."),
    }
    return meanings.get(name, "")


def _scroll(body: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(body)
    return area


class MetricCard(QFrame):
    def __init__(self, name: str, value: float | None, ci: tuple[float, float] | None, chance: float | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.name = name
        # shown to 3 decimals: round first so that -0.0004 prints as 0.000, not -0.000
        value = None if value is None else round(value, 3) + 0.0
        ci = None if not ci else (round(float(ci[0]), 3) + 0.0, round(float(ci[1]), 3) + 0.0)
        chance = None if chance is None else round(chance, 3) + 0.0
        lay = QVBoxLayout(self)
        title = QLabel(metric_label(active_language(), name))
        title.setObjectName("CardTitle")
        self.value = QLabel("—" if value is None else f"{value:.3f}")
        self.value.setObjectName("CardValue")
        meta = []
        if ci:
            meta.append(self.tr("95% interval {0:.3f} – {1:.3f}").format(ci[0], ci[1]))
        if chance is not None:
            meta.append(self.tr("chance {0:.3f}").format(chance))
        info = QLabel(" · ".join(meta))
        info.setObjectName("CardMeta")
        meaning = QLabel(metric_meaning(name))
        meaning.setWordWrap(True)
        meaning.setObjectName("Hint")
        for w in (title, self.value, info, meaning):
            lay.addWidget(w)
        self.setMinimumWidth(220)


class OverviewView(QWidget):
    run_study_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        bar.addWidget(self.summary, 1)
        bar.addWidget(QLabel(self.tr("Label")))
        self.label_combo = QComboBox()
        bar.addWidget(self.label_combo)
        self.run_button = QPushButton(self.tr("Run study"))
        self.run_button.clicked.connect(lambda: self.run_study_requested.emit(self.label_combo.currentText()))
        bar.addWidget(self.run_button)
        outer.addLayout(bar)
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.headline = QLabel()  # the study's answer in plain words
        self.headline.setObjectName("Headline")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setStyleSheet("font-size: 15pt; font-weight: 600; padding: 6px 2px;")
        self.body.addWidget(self.headline)
        self.language_warning = QLabel()  # reports in a language the report encoder cannot read
        self.language_warning.setObjectName("Warning")
        self.language_warning.setWordWrap(True)
        self.language_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.language_warning.setStyleSheet("color: #8a4b00; padding: 4px 2px;")
        self.body.addWidget(self.language_warning)
        self.cards = QGridLayout()
        self.body.addLayout(self.cards)
        self.reco = QLabel()
        self.reco.setObjectName("Recommendation")
        self.reco.setWordWrap(True)
        self.reco.setTextFormat(Qt.TextFormat.PlainText)
        self.reco.setMargin(10)
        self.findings = QLabel()
        self.findings.setWordWrap(True)
        self.findings.setTextFormat(Qt.TextFormat.PlainText)
        self.notes = QLabel()  # what qualifies the numbers above (the study's notes), where they are
        self.notes.setObjectName("StudyNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setStyleSheet("color: #8a4b00; padding: 4px 2px;")
        self.body.addWidget(self.reco)
        self.body.addWidget(self.findings)
        self.body.addWidget(self.notes)
        self.body.addStretch(1)
        outer.addWidget(_scroll(body), 1)

    def set_project(self, data: ProjectData | None) -> None:
        while self.cards.count():
            item = self.cards.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        self.label_combo.clear()
        if data is None:
            self.summary.clear()
            return
        self._fill_labels(data)
        a = data.analysis
        self.summary.setText(self.tr("{0} samples · {1} quarantined · image {2} · report {3}").format(
            data.n, len(data.quarantine), data.image_model or "—", data.text_model or "—"))
        cards: list[MetricCard] = []
        self.headline.setText(render_headline(a.headline_parts, active_language()) if a is not None else "")
        self.headline.setVisible(bool(self.headline.text()))
        self.language_warning.setText(self._language_text(data))
        self.language_warning.setVisible(bool(self.language_warning.text()))
        if a is not None:
            cards = _cards(a)
            reco = a.recommendation
            self.reco.setText(recommendation_text(active_language(), reco) if reco is not None else "—")
            self.findings.setText("\n\n".join(f"• {study_message(f.key, f.params)}" for f in a.findings))
            self.notes.setText(study_notes_text(a))
            self.reco.show()
        else:
            if data.overlap is not None:
                chance = data.k / max(data.n - 1, 1)
                cards.append(MetricCard("mutual_knn", float(data.overlap.mean()), None, chance))
            self.reco.hide()
            self.notes.clear()
            self.findings.setText(self.tr("No study result in this project yet. Choose the label column and "
                                          "press “Run study” for interactions, probes, retrieval and a recommendation."))
        for j, card in enumerate(cards):
            self.cards.addWidget(card, j // 2, j % 2)


    def _fill_labels(self, data: ProjectData) -> None:
        """The label candidates of the one resolver (persons, dates, ids, free text left out),
        the study's label (or the resolver's choice) selected, and why, in the tooltip."""
        for c in data.label_columns or list(data.columns):
            self.label_combo.addItem(c)
        choice = data.label_choice
        current = data.analysis.label.column if data.analysis is not None else None
        current = current or (choice.column if choice is not None else None)
        if current is not None and self.label_combo.findText(current) < 0:
            self.label_combo.addItem(current)  # chosen explicitly (e.g. --label) though not a candidate
        if current is not None:
            self.label_combo.setCurrentIndex(self.label_combo.findText(current))
        tip = []
        if choice is not None and choice.column is not None:
            tip.append(self.tr("Chosen automatically: {0}").format(label_reason(active_language(), choice)))
        if choice is not None and choice.passed_over:
            tip.append(self.tr("Not offered as labels: {0}").format(
                ", ".join(f"{c} ({not_a_label_text(w)})" for c, w in choice.passed_over)))
        self.label_combo.setToolTip("\n".join(tip))

    def _language_text(self, data: ProjectData) -> str:
        check = data.language
        if check is None or not check.warn:
            return ""
        share = check.mix.reports.get(check.mix.dominant, 0) / max(1, check.mix.n_reports)
        text = self.tr("{0:.0%} of the reports are not in English, but {1} reads English only: its report "
                       "embeddings (alignment, suspect pairs, interactions) mean little here.").format(
            share, ", ".join(check.english_only))
        if check.suggested_model and check.suggested_model in check.text_models:
            text += " " + self.tr("The study uses {0}, which reads the reports' language.").format(
                check.suggested_model)
        elif check.suggested_model:
            text += " " + self.tr("Embed the reports with the multilingual encoder: --text-model {0}.").format(
                check.suggested_model)
        return text


def study_notes_text(a: Analysis) -> str:
    """The study's notes (left-out samples, PID reliability, how intervals were made) under
    the numbers they qualify."""
    pair = a.default_pair()
    notes = [*a.notes, *(pair.notes if pair is not None else ())]
    if not notes:
        return ""
    lang = active_language()
    head = QCoreApplication.translate("OverviewView", "Notes on these numbers:")
    return head + "\n" + "\n".join(f"• {n}" for n in dict.fromkeys(render(lang, m) for m in notes))


def _cards(a: Analysis) -> list[MetricCard]:
    pair = a.default_pair()
    if pair is None:
        return []
    cards = []
    for name in HEADLINE:
        if name not in pair.metrics:
            continue
        chance = None
        null = pair.null.get(name)
        if name == "mutual_knn":
            chance = pair.chance_mutual_knn
        elif null is not None:
            chance = null.mean
        cards.append(MetricCard(name, pair.metrics[name], pair.ci.get(name), chance))
    return cards


class _FigureGrid(QWidget):
    """A grid of figures, each with an export button; rebuilt when the project changes."""

    def __init__(self, theme: str = "light", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        outer = QVBoxLayout(self)
        body = QWidget()
        self.grid = QGridLayout(body)
        outer.addWidget(_scroll(body), 1)
        self.plots: dict[str, pg.PlotWidget] = {}
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.notes)

    def _clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        self.plots = {}

    def _add(self, name: str, plot: pg.PlotWidget, row: int, col: int) -> None:
        plot.setProperty("themed", False)
        plot.setMinimumHeight(260)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(plot, 1)
        btn = QPushButton(self.tr("Export PNG/SVG…"))
        btn.clicked.connect(lambda: export_plot_interactive(self, plot, name))
        lay.addWidget(btn, alignment=Qt.AlignmentFlag.AlignRight)
        self.grid.addWidget(box, row, col)
        self.plots[name] = plot


class LadderView(_FigureGrid):
    def set_project(self, data: ProjectData | None) -> None:
        self._clear()
        a = data.analysis if data else None
        self._add("ladder_heatmap", figures.ladder_heatmap(a.pairs if a else None, "mutual_knn", self.theme), 0, 0)
        self._add("alignment_vs_performance", figures.alignment_vs_performance_plot(
            a.pairs if a else None, a.correlation if a else None, theme=self.theme), 0, 1)
        self._add("alignment_vs_k", figures.alignment_vs_k_plot(a.alignment_curve if a else None, self.theme), 1, 0)
        la = _default_layers(a)
        if la is not None:
            self._add("layer_heatmap", figures.layer_heatmap(la, self.theme), 1, 1)
            self._add("alignment_vs_depth", figures.alignment_vs_depth_plot(la, self.theme), 2, 0)
        if a is None:
            self.notes.setText(self.tr("Run the study to compare every image × text encoder pair."))
            return
        lines = [_correlation_sentence(a)]
        if a.probes is not None:
            lines.append(self.tr("Performance (y-axis): the mean of the image and the report probe's accuracy "
                                 "on {0}; always answering the commonest class scores {1:.3f}.").format(
                a.label.column, a.probes.chance))
        self.notes.setText("\n".join(line for line in lines if line))


def _correlation_sentence(a: Analysis) -> str:
    """Whether alignment tracks performance, as the findings say it (in the UI language)."""
    lang = active_language()
    finding = next((f for f in a.findings if f.key in ("f_corr", "f_corr_none", "f_corr_not_meaningful")), None)
    return render(lang, finding if finding is not None else a.correlation.reason)


def _default_layers(a: Analysis | None) -> LayerwiseAlignment | None:
    """The layer-wise alignment of the default model pair (else of any pair that has one)."""
    if a is None or not a.layerwise:
        return None
    return a.layerwise.get(a.models.default.key) or next(iter(a.layerwise.values()))


class InteractionsView(_FigureGrid):
    def set_project(self, data: ProjectData | None) -> None:
        self._clear()
        a = data.analysis if data else None
        self._add("pid", figures.pid_bars(a.pid if a else None, self.theme), 0, 0)
        self._add("heterogeneity", figures.heterogeneity_bars(a.heterogeneity if a else None, self.theme), 0, 1)
        ret = a.retrieval if a else None
        self._add("retrieval_image_to_text", figures.retrieval_bars(ret, "image_to_text", self.theme), 1, 0)
        self._add("retrieval_text_to_image", figures.retrieval_bars(ret, "text_to_image", self.theme), 1, 1)
        if a is None:
            self.notes.setText(self.tr("Run the study to see interactions and retrieval."))
            return
        lang = active_language()
        lines = []
        if a.pid is not None:
            lines += [message(lang, "f_pid_caution", warning_key=w.key, **w.params) for w in a.pid.warnings]
        if a.label.column:
            lines.append(self.tr("Label used: {0}").format(a.label.column))
        if a.heterogeneity is not None:
            lines += [f"{figures.heterogeneity_label(name)}: {message(lang, f'het_meaning_{name}')}"
                      for name in a.heterogeneity.explanation]
            transfer = a.heterogeneity.transfer
            if transfer is not None and transfer < 0:
                lines.append(self.tr("Transfer loss measured {0:.2f} bits per sample: below 0 only by "
                                     "chance (a loss cannot be negative in expectation), drawn as 0.").format(transfer))
        self.notes.setText("\n".join(lines))
