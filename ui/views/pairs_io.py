"""What the suspect-pairs view writes: the reviewed marks (into the store, one writer at a time,
in a worker when there is a job manager) and the CSV of the pairs listed (formula-escaped,
atomic: :mod:`engine.pairs`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from engine.errors import AlignScopeError
from engine.pairs import OVERLAP_COLUMN, save_reviewed, suspect_rows, write_csv
from engine.pairs.export import suspects_table
from engine.project.data import ProjectData
from ui.views.pairs_model import SuspectTableModel
from ui.worker import JobManager


def export_listed(path: str | Path, model: SuspectTableModel, data: ProjectData) -> int:
    """Write the pairs the table lists, in the order shown; ``rank`` is each pair's place in the
    whole ranking (not in the filtered list). Returns the number of pairs written."""
    order = model.order
    if model.scores is not None:
        shown = replace(model.scores, arrays=replace(model.scores.arrays, order=order))
        header, rows = suspects_table(shown, columns=data.columns, image_paths=data.image_paths,
                                      reports=data.reports, overlap=data.overlap, reviewed=data.reviewed)
        for row, i in zip(rows, order.tolist(), strict=True):
            row[0] = int(model.rank[i])
        write_csv(path, header, rows)
        return len(rows)
    entries = suspect_rows(order, data.ids, model.overlap, data.columns, data.reviewed, data.image_paths,
                           data.reports, snippet=400, score_column=OVERLAP_COLUMN)
    for entry, i in zip(entries, order.tolist(), strict=True):
        entry["rank"] = int(model.rank[i])
    names = list(entries[0]) if entries else ["rank", "id", OVERLAP_COLUMN, *data.columns, "image", "report",
                                              "reviewed"]
    write_csv(path, names, ([e[h] for h in names] for e in entries))
    return len(entries)


class ReviewedSaver:
    """Saves the project's reviewed marks; a save asked for while one runs follows when it ends."""

    def __init__(self, jobs: JobManager | None, done: Callable[[str], None],
                 failed: Callable[[str, str], None]) -> None:
        self.jobs = jobs
        self.done = done
        self.failed = failed
        self._saving = False
        self._again: ProjectData | None = None

    def save(self, data: ProjectData) -> None:
        if data.path is None:
            return
        marks = set(data.reviewed)
        done_text = QCoreApplication.translate("PairsView", "{0} pairs marked as reviewed").format(len(marks))
        if self.jobs is None:
            try:
                save_reviewed(data.path, marks)
            except AlignScopeError as exc:
                self.failed(str(exc), "")
            else:
                self.done(done_text)
            return
        if self._saving:
            self._again = data
            return
        self._saving = True
        job = self.jobs.run(save_reviewed, data.path, marks,
                            title=QCoreApplication.translate("PairsView", "Saving reviewed marks"),
                            pass_progress=False)
        job.succeeded.connect(lambda _r: self.done(done_text))
        job.failed.connect(lambda m, det: self.failed(m, det))
        job.done.connect(self._saved)

    def _saved(self) -> None:
        self._saving = False
        again, self._again = self._again, None
        if again is not None:
            self.save(again)
