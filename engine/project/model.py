"""The GUI's state, Qt-free (in the spirit of napari's ``ViewerModel``).

``ProjectModel`` owns the open project (:class:`ProjectData`), the linked selection, the study
result and the reviewed marks. Views subscribe to its events instead of being fed by hand:

    model.project_changed   (data: ProjectData | None)   a project was opened or closed
    model.analysis_changed  (analysis: Analysis | None)  a study result arrived
    model.reviewed_changed  (reviewed: frozenset[str])   pairs were marked (un)reviewed
    model.selection.changed / model.selection.current_changed   see engine.project.selection

Nothing here touches the store; saving the reviewed marks is the caller's job (in a worker),
with :func:`engine.pairs.save_reviewed`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from engine.project.data import NeighbourLists, ProjectData, set_neighbours
from engine.project.events import Event
from engine.project.selection import SelectionModel
from engine.study.result import Analysis

log = logging.getLogger(__name__)


class ProjectModel:
    def __init__(self) -> None:
        self.project_changed = Event("project_changed")
        self.analysis_changed = Event("analysis_changed")
        self.reviewed_changed = Event("reviewed_changed")
        self.selection = SelectionModel(0)
        self._data: ProjectData | None = None

    @property
    def data(self) -> ProjectData | None:
        return self._data

    @property
    def analysis(self) -> Analysis | None:
        return self._data.analysis if self._data is not None else None

    @property
    def reviewed(self) -> frozenset[str]:
        return frozenset(self._data.reviewed) if self._data is not None else frozenset()

    def set_project(self, data: ProjectData | None) -> None:
        """Open ``data`` (or close with None): the selection is reset, then every view hears of it."""
        self._data = data
        log.info("project %s", "closed" if data is None else f"opened: {data.path} ({data.n} samples)")
        self.selection.reset(data.n if data is not None else 0)
        self.project_changed.emit(data)

    def add_neighbours(self, data: ProjectData, lists: NeighbourLists | None) -> None:
        """The neighbour lists of ``data``, computed after it opened, arrived: put them in (on
        this, the owning thread) and let every view hear of the project again, the selection
        kept. Ignored when another project has been opened meanwhile."""
        if data is not self._data:
            log.info("neighbour lists for a project no longer open: ignored")
            return
        if lists is None:
            return
        set_neighbours(data, lists)
        self.project_changed.emit(data)

    def set_analysis(self, analysis: Analysis | None) -> None:
        if self._data is None:
            log.warning("a study result arrived with no project open: ignored")
            return
        self._data.analysis = analysis
        self.analysis_changed.emit(analysis)

    def set_reviewed(self, ids: Iterable[str], reviewed: bool) -> frozenset[str]:
        """Mark (or unmark) pairs as reviewed; returns the new set of reviewed ids."""
        if self._data is None:
            return frozenset()
        known = set(self._data.ids)
        wanted = {i for i in ids if i in known}
        before = set(self._data.reviewed)
        if reviewed:
            self._data.reviewed |= wanted
        else:
            self._data.reviewed -= wanted
        if self._data.reviewed != before:
            self.reviewed_changed.emit(self.reviewed)
        return self.reviewed
