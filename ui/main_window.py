"""The main window: start page, the project's views, menus, shortcuts, status bar and jobs."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QByteArray, QSettings, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from engine.project.data import ProjectData, load_project, neighbour_lists
from engine.project.model import ProjectModel
from engine.study.result import Analysis
from engine.version import __version__
from ui import none_guard
from ui.job_panel import JobPanel, show_error
from ui.start_page import StartPage
from ui.theme import apply_theme, figure_theme
from ui.views.pairs import PairsView
from ui.views.quarantine import QuarantineView
from ui.views.spaces import SpacesView
from ui.views.study_views import InteractionsView, LadderView, OverviewView
from ui.worker import Job, JobManager

VIEW_NAMES = ("overview", "spaces", "pairs", "ladder", "interactions", "data")
MAX_RECENT = 8
REPO_ROOT = Path(__file__).resolve().parent.parent


def _demo_home() -> Path:
    """Where the demo project lives: ALIGNSCOPE_DEMO_HOME, else the checkout's data/ (what
    `make run` builds), else, in the frozen bundle, the user's data folder (writable)."""
    env = os.environ.get("ALIGNSCOPE_DEMO_HOME")
    if env:
        return Path(env)
    if not getattr(sys, "frozen", False):
        return REPO_ROOT / "data"
    return Path.home() / ".local" / "share" / "alignscope"


DEMO_DIR = _demo_home() / "demo"
DEMO_STORE = _demo_home() / "demo.h5"


def default_settings() -> QSettings:
    return QSettings("AlignScope", "AlignScope")


log = logging.getLogger(__name__)

class MainWindow(QMainWindow):
    project_loaded = Signal(object)
    idle = Signal()

    def __init__(self, settings: QSettings | None = None, theme: str | None = None) -> None:
        super().__init__()
        none_guard.install()
        self.settings = settings or default_settings()
        self.theme = theme or str(self.settings.value("theme", "light"))
        self.setWindowTitle("AlignScope")
        self.setObjectName("MainWindow")
        self.project = ProjectModel()
        self.selection = self.project.selection
        self.jobs = JobManager(self)
        self.jobs.job_started.connect(self._on_job_started)
        self.jobs.job_finished.connect(self._on_job_finished)
        self.errors: list[tuple[str, str]] = []
        self._last_error_box: QMessageBox | None = None

        self.stack = QStackedWidget()
        self.start = StartPage()
        self.start.open_requested.connect(self.open_project)
        self.start.open_dialog_requested.connect(self.ask_open)
        self.start.import_requested.connect(self.ask_import)
        self.start.demo_requested.connect(self.open_demo)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._build_views()
        self.stack.addWidget(self.start)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)
        self.job_panel = JobPanel()
        self.status_text = QLabel()
        self.statusBar().addWidget(self.status_text, 1)
        self.statusBar().addPermanentWidget(self.job_panel)
        self._build_menus()
        self._refresh_recent()
        splitter = self.settings.value("spaces/splitter")
        if isinstance(splitter, QByteArray | bytes):
            self.spaces.splitter.restoreState(QByteArray(splitter))
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(1366, 768)

    # -- construction ---------------------------------------------------------------------
    def _build_views(self) -> None:
        """Every view subscribes to the project model; the window never feeds them by hand."""
        self.overview = OverviewView()
        self.overview.run_study_requested.connect(self.run_study)
        self.spaces = SpacesView(self.project, self.jobs)
        self.spaces.message.connect(self.show_message)
        self.pairs = PairsView(self.project, self.jobs)
        self.pairs.message.connect(self.show_message)
        self.pairs.failed.connect(lambda m, d: self.report_error(self.tr("Could not save"), m, d))
        self.pairs.run_study_requested.connect(lambda: self.run_study(self.overview.label_combo.currentText()))
        self.ladder = LadderView(figure_theme(self.theme))
        self.interactions = InteractionsView(figure_theme(self.theme))
        self.quarantine = QuarantineView()
        for view in (self.overview, self.ladder, self.interactions, self.quarantine):
            self.project.project_changed.connect(view.set_project)
        for study_view in (self.overview, self.ladder, self.interactions):
            self.project.analysis_changed.connect(lambda _a, v=study_view: v.set_project(self.project.data))
        tabs: tuple[tuple[QWidget, str], ...] = (
            (self.overview, self.tr("Overview")), (self.spaces, self.tr("Spaces")),
            (self.pairs, self.tr("Suspect pairs")), (self.ladder, self.tr("Ladder")),
            (self.interactions, self.tr("Interactions")), (self.quarantine, self.tr("Data quality")))
        for tab, title in tabs:
            self.tabs.addTab(tab, title)

    @property
    def data(self) -> ProjectData | None:
        return self.project.data

    def _build_menus(self) -> None:
        mb = self.menuBar()
        file = mb.addMenu(self.tr("&File"))
        self.act_open = self._action(file, self.tr("&Open project…"), QKeySequence.StandardKey.Open, self.ask_open)
        self._action(file, self.tr("&New project from dataset…"), QKeySequence.StandardKey.New,
                     lambda: self.ask_import(None))
        self._action(file, self.tr("Open the &demo"), QKeySequence("Ctrl+Shift+D"), self.open_demo)
        self.recent_menu = file.addMenu(self.tr("&Recent projects"))
        file.addSeparator()
        self._action(file, self.tr("Export &selection as CSV…"), QKeySequence("Ctrl+E"),
                     lambda: self.spaces.export_selection_csv())
        self._action(file, self.tr("&Close project"), QKeySequence.StandardKey.Close, self.close_project)
        self._action(file, self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        view = mb.addMenu(self.tr("&View"))
        for i, (name, title) in enumerate(zip(VIEW_NAMES, [self.tabs.tabText(j) for j in range(self.tabs.count())],
                                              strict=True)):
            self._action(view, title, QKeySequence(f"Ctrl+{i + 1}"), lambda _=False, n=name: self.show_view(n))
        view.addSeparator()
        theme_menu = view.addMenu(self.tr("&Theme"))
        group = QActionGroup(self)
        for key, title in (("light", self.tr("Light")), ("dark", self.tr("Dark"))):
            act = theme_menu.addAction(title)
            act.setCheckable(True)
            act.setChecked(key == self.theme)
            act.triggered.connect(lambda _=False, k=key: self.set_theme(k))
            group.addAction(act)
        lang_menu = view.addMenu(self.tr("&Language"))
        lang_group = QActionGroup(self)
        current = str(self.settings.value("language", "auto"))
        for key, title in (("auto", self.tr("System")), ("en", "English"), ("ja", "日本語")):
            act = lang_menu.addAction(title)
            act.setCheckable(True)
            act.setChecked(key == current)
            act.triggered.connect(lambda _=False, k=key: self.set_language(k))
            lang_group.addAction(act)
        analysis = mb.addMenu(self.tr("&Analysis"))
        self._action(analysis, self.tr("&Run study"), QKeySequence("Ctrl+R"),
                     lambda: self.run_study(self.overview.label_combo.currentText()))
        self._action(analysis, self.tr("&Cancel running job"), QKeySequence("Ctrl+."), self.jobs.cancel_all_async)
        help_menu = mb.addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("Open &log folder"), None, self.open_log_folder)
        self._action(help_menu, self.tr("&About AlignScope"), None, self._about)

    def _action(self, menu: Any, text: str, key: QKeySequence | QKeySequence.StandardKey | None, slot: Any) -> QAction:
        act = cast(QAction, menu.addAction(text))
        if key is not None:
            act.setShortcut(key)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def open_log_folder(self) -> Path:
        """Show the folder of the rotating log file in the desktop's file manager."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from engine.logs import log_dir

        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.show_message(self.tr("Log folder: {0}").format(folder))
        return folder

    # -- project --------------------------------------------------------------------------
    def ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open project"), "", self.tr("AlignScope project (*.h5)"))
        if path:
            self.open_project(Path(path))

    def open_project(self, path: Path | str) -> Job:
        path = Path(path)
        # the neighbour lists (minutes at 100,000 pairs when no study cached them) come in a
        # second job, so the views show the project first
        job = Job(load_project, path, neighbours=False, title=self.tr("Opening {0}").format(path.name))
        job.succeeded.connect(self.set_project)
        job.succeeded.connect(self._complete_neighbours)
        job.failed.connect(lambda m, d: self.report_error(self.tr("Could not open the project"), m, d))
        self.jobs.submit(job)
        return job

    def set_project(self, data: ProjectData | None) -> None:
        self.project.set_project(data)
        wanted = self.settings.value("spaces/color_by", "")
        found = self.spaces.color_by.findData(wanted) if wanted else -1
        if found >= 0:
            self.spaces.color_by.setCurrentIndex(found)
        if data is None:
            self.stack.setCurrentWidget(self.start)
            self.setWindowTitle("AlignScope")
            return
        if data.path is not None:
            self._add_recent(data.path)
            self.setWindowTitle(f"AlignScope — {data.path.name}")
        self.stack.setCurrentWidget(self.tabs)
        self.show_view(str(self.settings.value("view", "spaces")))
        first = self.pairs.first_sample()  # the top of the suspect list (or of the overlap ranking)
        if first is not None:
            self.selection.set_current(first)
        self.show_message(self.tr("{0} samples loaded").format(data.n))
        self.project_loaded.emit(data)

    def _complete_neighbours(self, data: ProjectData | None) -> None:
        if data is None or data.nn_image is not None or data.image_model is None or data.text_model is None:
            return
        # computed in the worker from data it only reads; put into the project here, on the
        # GUI thread, and only while that project is still the one open
        job = Job(neighbour_lists, data, title=self.tr("Neighbour lists"))
        job.succeeded.connect(lambda lists: self.project.add_neighbours(data, lists))
        job.failed.connect(lambda m, d: self.report_error(self.tr("Could not compute the neighbour lists"), m, d))
        self.jobs.submit(job)

    def close_project(self) -> None:
        self.set_project(None)

    def show_view(self, name: str) -> None:
        if name in VIEW_NAMES and self.data is not None:
            self.tabs.setCurrentIndex(VIEW_NAMES.index(name))
            self.settings.setValue("view", name)

    def current_view(self) -> str:
        return VIEW_NAMES[self.tabs.currentIndex()] if self.stack.currentWidget() is self.tabs else "start"

    # -- jobs -----------------------------------------------------------------------------
    def run_study(self, label: str = "") -> Job | None:
        if self.data is None or self.data.path is None:
            return None
        from engine.study.analyze import analyze_store

        job = Job(analyze_store, self.data.path, label or None, title=self.tr("Study"))
        job.succeeded.connect(self._on_study)
        job.failed.connect(lambda m, d: self.report_error(self.tr("The study failed"), m, d))
        self.jobs.submit(job)
        return job

    def _on_study(self, result: Analysis) -> None:
        if self.data is None:
            return
        self.project.set_analysis(result)
        self.show_message(self.tr("Study finished"))

    def ask_import(self, path: Path | None) -> None:
        from ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self, path)
        dialog.import_started.connect(self.submit_embed)
        dialog.open()

    def submit_embed(self, job: Job, store: Path) -> None:
        job.succeeded.connect(lambda _r: self.open_project(store))
        job.failed.connect(lambda m, d: self.report_error(self.tr("Embedding stopped"), m, d))
        job.cancelled.connect(lambda: self.show_message(
            self.tr("Embedding cancelled: finished rows are kept; run it again to resume.")))
        self.jobs.submit(job)

    def open_demo(self) -> Job:
        from ui.dialogs.jobs import build_demo_store, store_ready

        if store_ready(DEMO_STORE):
            return self.open_project(DEMO_STORE)

        job = Job(build_demo_store, DEMO_DIR, DEMO_STORE, title=self.tr("Building the demo"))
        job.succeeded.connect(lambda _r: self.open_project(DEMO_STORE))
        job.failed.connect(lambda m, d: self.report_error(self.tr("Could not build the demo"), m, d))
        self.jobs.submit(job)
        return job

    def _on_job_started(self, job: Job) -> None:
        self.job_panel.track(job)

    def _on_job_finished(self, job: Job) -> None:
        if not self.jobs.running():
            self.idle.emit()

    def is_busy(self) -> bool:
        return bool(self.jobs.running())

    # -- messages, settings ---------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.status_text.setText(text)

    def report_error(self, title: str, message: str, details: str = "") -> None:
        self.errors.append((message, details))
        self.show_message(message)
        self._last_error_box = show_error(self, title, message, details)

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        self.settings.setValue("theme", theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.ladder.theme = self.interactions.theme = figure_theme(theme)
        self.ladder.set_project(self.data)
        self.interactions.set_project(self.data)

    def set_language(self, lang: str) -> None:
        self.settings.setValue("language", lang)
        self.show_message(self.tr("The language changes the next time AlignScope starts."))

    def _recent_list(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            return [value] if value else []
        if isinstance(value, list | tuple):
            return [str(p) for p in value if p]
        return []

    def _refresh_recent(self) -> None:
        recent = self._recent_list()
        self.start.set_recent(recent)
        self.recent_menu.clear()
        for p in recent:
            act = self.recent_menu.addAction(p)
            act.triggered.connect(lambda _=False, q=p: self.open_project(Path(q)))
        self.recent_menu.setEnabled(bool(recent))

    def _add_recent(self, path: Path) -> None:
        recent = self._recent_list()
        p = str(path.resolve())
        recent = [p] + [q for q in recent if q != p]
        self.settings.setValue("recent", recent[:MAX_RECENT])
        self._refresh_recent()

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About AlignScope"), self.tr(
            "AlignScope {0}\nImage–report representation alignment for quality inspection, offline.\n"
            "Following Tjandrasuwita et al., ICML 2025.").format(__version__))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("spaces/splitter", self.spaces.splitter.saveState())
        self.settings.setValue("spaces/color_by", self.spaces.color_by.currentData() or "")
        self.jobs.cancel_all(until_stopped=True)
        self.spaces.hover.hide()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)
