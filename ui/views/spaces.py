"""Spaces view: image space and report space side by side, linked through the SelectionModel,
with the hover card and the detail pane.

Projection: PCA (computed when the project loads) or t-SNE on request. Choosing t-SNE runs
``engine.projections.store_projection_pair(..., method="tsne")`` in a :class:`ui.worker.Job`
through the main window's :class:`ui.worker.JobManager` (``job_manager``, else the window's
``jobs``, else one of the view's own); the result is cached in the store, the projection shown
so far stays visible while it computes, and the choice persists in QSettings
(``spaces/projection``: ``settings``, else the window's ``settings``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QActionGroup, QColor, QKeySequence, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from engine.errors import InputError
from engine.pairs import selection_rows, write_csv
from engine.project.data import ProjectData
from engine.project.model import ProjectModel
from engine.projections import TSNE_MAX_ROWS, TSNE_MIN_ROWS, check_method, store_projection_pair
from ui.plots.export import ask_save_path, export_plot, export_plot_interactive
from ui.views.colors import label_categories, score_categories, suspect_categories, varies
from ui.views.detail import DetailPane
from ui.views.hover import HoverCard
from ui.views.pair_text import NO_SIGNAL, trust_state, usable_scores
from ui.views.scatter import SpaceScatter
from ui.worker import Job, JobManager

OVERLAP = "__overlap__"    # colour keys; metadata columns use their own names
SUSPECT = "__suspect__"
PROJECTIONS = (("pca", "PCA"), ("tsne", "t-SNE"))  # method, name shown (not translated)
PROJECTION_KEY = "spaces/projection"


class SpacesView(QWidget):
    message = Signal(str)
    projection_changed = Signal(str)  # the method now drawn ("pca", "tsne")

    def __init__(self, project: ProjectModel, jobs: JobManager | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.selection = project.selection
        self.data: ProjectData | None = None
        self.job_manager: JobManager | None = jobs  # the main window's; else one of its own
        self.settings: QSettings | None = None  # idem; else the window's ``settings``
        self._own_jobs: JobManager | None = None
        self._coords: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.shown_method = "pca"
        self._generation = 0  # bumps with every project, so late results of an old one are dropped
        self._projection_jobs: list[tuple[Job, str, int]] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        bar = QToolBar()
        bar.setObjectName("SpacesToolbar")
        bar.addWidget(QLabel(self.tr("Colour by ")))
        self.color_by = QComboBox()
        self.color_by.setMinimumContentsLength(14)
        self.color_by.currentIndexChanged.connect(self._recolor)
        self._colour_by_user = False  # chosen in the combo box: kept when a study result arrives
        self.color_by.activated.connect(lambda _i: setattr(self, "_colour_by_user", True))
        bar.addWidget(self.color_by)
        bar.addSeparator()
        bar.addWidget(QLabel(self.tr("Projection ")))
        self.projection = QComboBox()
        for method, name in PROJECTIONS:
            self.projection.addItem(name, method)
        self.projection.setItemData(0, self.tr("PCA: linear, exact, fast for any size."),
                                    Qt.ItemDataRole.ToolTipRole)
        self._tsne_tip = self.tr(
            "t-SNE: nonlinear map that keeps local neighbourhoods; computed once in the background "
            "and saved in the project (up to {0} samples).").format(f"{TSNE_MAX_ROWS:,}")
        self.projection.setItemData(1, self._tsne_tip, Qt.ItemDataRole.ToolTipRole)
        self.projection.currentIndexChanged.connect(self._on_projection_chosen)
        bar.addWidget(self.projection)
        bar.addSeparator()
        group = QActionGroup(self)
        self.tool_actions = {}
        for tool, text, key in (("lasso", self.tr("Lasso"), "L"), ("box", self.tr("Box"), "B"),
                                ("pan", self.tr("Pan / zoom"), "P")):
            act = bar.addAction(text)
            act.setCheckable(True)
            act.setShortcut(QKeySequence(key))
            act.setToolTip(self.tr("{0} ({1}); Shift adds, Ctrl removes").format(text, key))
            act.triggered.connect(lambda _=False, t=tool: self.set_tool(t))
            group.addAction(act)
            self.tool_actions[tool] = act
        self.tool_actions["lasso"].setChecked(True)
        bar.addSeparator()
        act = bar.addAction(self.tr("Clear selection"))
        act.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        act.triggered.connect(lambda: self.selection.clear(source="spaces"))
        act = bar.addAction(self.tr("Export selection…"))
        act.triggered.connect(lambda: self.export_selection_csv())
        act = bar.addAction(self.tr("Export plots…"))
        act.triggered.connect(self._export_plots)
        lay.addWidget(bar)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        lay.addWidget(self.legend)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.image_plot = SpaceScatter(self.tr("Image space"))
        self.text_plot = SpaceScatter(self.tr("Report space"))
        self.detail = DetailPane()
        split.addWidget(self.image_plot)
        split.addWidget(self.text_plot)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 2)
        self.splitter = split
        lay.addWidget(split, 1)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.projection_note = QLabel()  # projection being computed, or why it cannot be
        self.projection_note.setTextFormat(Qt.TextFormat.PlainText)
        self.projection_note.setObjectName("ProjectionNote")
        self.projection_note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.projection_note)
        lay.addLayout(bottom)
        self.hover = HoverCard(self)
        for plot in (self.image_plot, self.text_plot):
            plot.region_selected.connect(self._on_region)
            plot.hovered.connect(self._on_hover)
            plot.clicked.connect(self.selection.set_current)
        self.detail.navigate.connect(self.selection.set_current)
        self.selection.changed.connect(self._on_selection)
        self.selection.current_changed.connect(self._on_current)
        project.project_changed.connect(self.set_project)
        project.analysis_changed.connect(self._on_analysis)

    # -- data -----------------------------------------------------------------------------
    def set_project(self, data: ProjectData | None) -> None:
        self._generation += 1
        for job, _method, _gen in self._projection_jobs:
            job.cancel()  # results of the previous project are dropped when they arrive
        self._coords = {}
        self.shown_method = "pca"
        self.projection_note.clear()
        self.data = data
        self.detail.set_project(data)
        self._colour_by_user = False
        self._fill_colourings(None)
        if data is None or not data.has_spaces:
            self.status.setText(self.tr("No embeddings yet: embed both modalities to see the spaces."))
            for plot in (self.image_plot, self.text_plot):
                plot.set_points(np.zeros((0, 2), np.float32), np.zeros(0, np.int64), [])
            return
        assert data.xy_image is not None and data.xy_text is not None
        self._coords["pca"] = (data.xy_image, data.xy_text)
        self._show_coords("pca")
        self._update_projection_items()
        wanted = self._saved_projection()
        if wanted != "pca":
            self._set_combo(wanted)
            self.request_projection(wanted)
        else:
            self._set_combo("pca")

    def _show_coords(self, method: str) -> None:
        """Draw the cached coordinates of ``method`` in both plots (selection and colours kept)."""
        data = self.data
        assert data is not None
        xy_image, xy_text = self._coords[method]
        name = dict(PROJECTIONS)[method]
        codes, colors, names = self._categories()
        self.image_plot.setTitle(self.tr("Image space · {0}").format(data.image_model or "") + f" · {name}")
        self.text_plot.setTitle(self.tr("Report space · {0}").format(data.text_model or "") + f" · {name}")
        self.image_plot.set_points(xy_image, codes, colors)
        self.text_plot.set_points(xy_text, codes, colors)
        self.shown_method = method
        self._show_legend(colors, names)
        self._on_selection(self.selection.indices())
        self.image_plot.set_current(self.selection.current)
        self.text_plot.set_current(self.selection.current)
        self.projection_changed.emit(method)

    # -- projection -----------------------------------------------------------------------
    def _jobs(self) -> JobManager:
        if self.job_manager is not None:
            return self.job_manager
        found = getattr(self.window(), "jobs", None)
        if isinstance(found, JobManager):
            return found
        if self._own_jobs is None:
            self._own_jobs = JobManager(self)
        return self._own_jobs

    def _settings(self) -> QSettings | None:
        if self.settings is not None:
            return self.settings
        found = getattr(self.window(), "settings", None)
        return found if isinstance(found, QSettings) else None

    def _saved_projection(self) -> str:
        settings = self._settings()
        value = settings.value(PROJECTION_KEY, "") if settings is not None else ""
        method = str(value) if value else str(self.projection.currentData() or "pca")
        return method if method in dict(PROJECTIONS) else "pca"

    def _set_combo(self, method: str) -> None:
        self.projection.blockSignals(True)
        self.projection.setCurrentIndex(max(0, self.projection.findData(method)))
        self.projection.blockSignals(False)

    def _tsne_unavailable(self) -> str:
        """Why t-SNE cannot be offered for the current project ("" when it can)."""
        data = self.data
        if data is None or not data.has_spaces:
            return ""
        if data.path is None or not data.image_model or not data.text_model:
            return self.tr("t-SNE needs a saved project with embeddings.")
        try:
            check_method("tsne", data.n)
        except InputError:
            if data.n > TSNE_MAX_ROWS:
                return self.tr("t-SNE is available up to {0} samples; this project has {1}. Use PCA.").format(
                    f"{TSNE_MAX_ROWS:,}", f"{data.n:,}")
            return self.tr("t-SNE needs at least {0} samples.").format(TSNE_MIN_ROWS)
        return ""

    def _update_projection_items(self) -> None:
        model = self.projection.model()
        assert isinstance(model, QStandardItemModel)
        item = model.item(self.projection.findData("tsne"))
        why = self._tsne_unavailable()
        item.setEnabled(not why)
        item.setToolTip(why or self._tsne_tip)

    def _on_projection_chosen(self, _index: int) -> None:
        method = str(self.projection.currentData() or "pca")
        settings = self._settings()
        if settings is not None:
            settings.setValue(PROJECTION_KEY, method)
        self.request_projection(method)

    def request_projection(self, method: str) -> Job | None:
        """Show ``method``'s projection: at once when known, else computed in a worker job
        (returned) while the projection shown so far stays visible."""
        data = self.data
        if data is None or not data.has_spaces:
            return None
        if method in self._coords:
            for job, _m, _g in self._projection_jobs:
                job.cancel()  # the user went back to what is known: stop computing the other
            self.projection_note.clear()
            if method != self.shown_method:
                self._show_coords(method)
            return None
        why = self._tsne_unavailable() if method == "tsne" else ""
        if why:
            self._refuse(why)
            return None
        for job, m, g in self._projection_jobs:
            if m == method and g == self._generation and job.state == "running" and not job.cancel_requested:
                return job
        assert data.path is not None and data.image_model and data.text_model
        name = dict(PROJECTIONS)[method]
        job = Job(store_projection_pair, data.path, data.image_model, data.text_model, method=method,
                  title=self.tr("{0} projection").format(name))
        self._projection_jobs.append((job, method, self._generation))
        job.done.connect(self._on_projection_done)
        self.projection_note.setText(
            self.tr("Computing {0}… the current projection stays visible until it is ready.").format(name))
        self._jobs().submit(job)
        return job

    def _refuse(self, why: str) -> None:
        self.projection_note.setText(why)
        self.message.emit(why)
        self._set_combo(self.shown_method)

    def _on_projection_done(self) -> None:
        """A projection job ended (queued to the GUI thread): use, report or drop its result."""
        finished = [entry for entry in self._projection_jobs if entry[0].state in ("ok", "failed", "cancelled")]
        for entry in finished:
            self._projection_jobs.remove(entry)
            job, method, generation = entry
            if generation != self._generation or self.data is None:
                continue
            if job.state == "ok":
                xy_image, xy_text = job.result
                self._coords[method] = (np.asarray(xy_image, np.float32), np.asarray(xy_text, np.float32))
                if self.projection.currentData() == method:
                    self.projection_note.clear()
                    self._show_coords(method)
                continue
            still_wanted = self.projection.currentData() == method and not any(
                m == method and g == self._generation for _j, m, g in self._projection_jobs)
            if not still_wanted:
                continue
            if job.state == "failed" and job.error is not None:
                self._refuse(self.tr("{0} projection failed: {1}").format(dict(PROJECTIONS)[method], job.error[0]))
            else:  # cancelled (Cancel in the job panel): back to what is drawn
                self.projection_note.clear()
                self._set_combo(self.shown_method)

    # -- colouring -----------------------------------------------------------------------
    def _fill_colourings(self, keep: str | None) -> None:
        """The colourings this project offers; ``keep`` stays chosen when still offered, else the
        default: the label column, else the suspect ranking, else any colouring that varies."""
        data = self.data
        self.color_by.blockSignals(True)
        self.color_by.clear()
        if data is not None:
            scores = usable_scores(data)
            if scores is not None and trust_state(data, scores) != NO_SIGNAL:
                self.color_by.addItem(self.tr("Suspect ranking"), SUSPECT)
            if data.overlap is not None:
                self.color_by.addItem(self.tr("Neighbour overlap"), OVERLAP)
            for name in data.columns:
                self.color_by.addItem(name, name)
            found = self.color_by.findData(keep) if keep else -1
            self.color_by.setCurrentIndex(found if found >= 0 else self._default_colouring())
        self.color_by.blockSignals(False)

    def _default_colouring(self) -> int:
        data = self.data
        assert data is not None
        if data.analysis is not None:
            label = data.analysis.label.column
        else:
            label = data.label_choice.column if data.label_choice is not None else None
        for key in (label, SUSPECT, OVERLAP, *data.columns):
            found = self.color_by.findData(key) if key else -1
            if found >= 0 and varies(self._categories_for(key)[0]):
                return found
        return 0

    def _on_analysis(self, _analysis: object) -> None:
        self.detail.set_analysis()
        self._fill_colourings(self.color_by.currentData() if self._colour_by_user else None)
        self._recolor()

    def _categories(self) -> tuple[np.ndarray, list[QColor], list[str]]:
        return self._categories_for(self.color_by.currentData())

    def _categories_for(self, key: str | None) -> tuple[np.ndarray, list[QColor], list[str]]:
        data = self.data
        assert data is not None
        scores = usable_scores(data) if key == SUSPECT else None
        if scores is not None:
            flagged = np.asarray(scores.arrays.q_value) <= scores.fdr_level
            return suspect_categories(scores.arrays.order, flagged, scores.fdr_level)
        if key == OVERLAP and data.overlap is not None:
            return score_categories(data.overlap, data.k)
        if key in data.columns:
            return label_categories(data.columns[key])
        return np.zeros(data.n, np.int64), [QColor("#0072B2")], [self.tr("all samples")]

    def _recolor(self) -> None:
        if self.data is None or not self.data.has_spaces:
            return
        codes, colors, names = self._categories()
        self.image_plot.set_colors(codes, colors)
        self.text_plot.set_colors(codes, colors)
        self._show_legend(colors, names)

    def _show_legend(self, colors: list[QColor], names: list[str]) -> None:
        from html import escape

        parts = [f'<span style="color:{c.name()}">■</span>&nbsp;{escape(n)}' for c, n in zip(colors, names, strict=False)]
        prefix = escape(self.color_by.currentText())
        self.legend.setText(f"<b>{prefix}</b>: " + " &nbsp; ".join(parts))

    def set_tool(self, tool: str) -> None:
        for plot in (self.image_plot, self.text_plot):
            plot.set_tool(tool)
        self.tool_actions[tool].setChecked(True)

    # -- linking --------------------------------------------------------------------------
    def _on_region(self, indices: np.ndarray, mode: str) -> None:
        self.selection.select(indices, mode=mode, source="spaces")

    def _on_selection(self, indices: np.ndarray) -> None:
        self.image_plot.set_selection(indices)
        self.text_plot.set_selection(indices)
        if self.data is None:
            self.status.clear()
            return
        n_sel = len(indices)
        text = self.tr("{0} samples · {1} selected").format(self.data.n, n_sel)
        if n_sel and self.data.overlap is not None:
            text += self.tr(" · mean neighbour overlap of the selection {0:.2f} (all: {1:.2f})").format(
                float(np.mean(self.data.overlap[indices])), float(np.mean(self.data.overlap)))
        self.status.setText(text)

    def _on_current(self, index: int) -> None:
        self.image_plot.set_current(index)
        self.text_plot.set_current(index)
        self.detail.show_sample(index)

    def _on_hover(self, index: int, global_pos: QPoint | None) -> None:
        if self.data is None:
            return
        self.hover.show_sample(self.data, index, global_pos)

    def hideEvent(self, ev) -> None:  # type: ignore[no-untyped-def]
        self.hover.hide()
        super().hideEvent(ev)

    # -- export ---------------------------------------------------------------------------
    def export_selection_csv(self, path: str | Path | None = None) -> Path | None:
        """Selected samples (all samples when nothing is selected) with coordinates, score, labels."""
        data = self.data
        if data is None:
            return None
        if path is None:
            path = ask_save_path(self, self.tr("Export selection"), "selection.csv", self.tr("CSV (*.csv)"))
            if path is None:
                return None
        idx = self.selection.indices()
        if idx.size == 0:
            idx = np.arange(data.n)
        xy_image, xy_text = self._coords.get(self.shown_method, (data.xy_image, data.xy_text))
        header, rows = selection_rows(idx, data.ids, xy_image, xy_text, data.overlap, data.columns)
        write_csv(path, header, rows)
        self.message.emit(self.tr("Exported {0} samples to {1}").format(len(rows), path))
        return Path(path)

    def _export_plots(self) -> None:
        out = export_plot_interactive(self, self.image_plot, "image_space")
        if out is not None:
            twin = out.with_name(out.stem.replace("image_space", "") + "report_space" + out.suffix)
            export_plot(self.text_plot, twin)
            self.message.emit(self.tr("Exported {0} and {1}").format(out, twin))
