"""The Qt-free project model: events, selection, study result and reviewed marks, no widgets."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from engine.project.data import ProjectData
from engine.project.model import ProjectModel
from engine.project.selection import SelectionModel
from tests.study_fixtures import sample_analysis


def _data(n: int = 6) -> ProjectData:
    rng = np.random.default_rng(0)
    return ProjectData.from_arrays([f"s{i}" for i in range(n)], rng.normal(size=(n, 2)), rng.normal(size=(n, 2)),
                                   image_paths=[Path(f"{i}.png") for i in range(n)])


def test_selection_model_modes() -> None:
    sel = SelectionModel(6)
    got: list[list[int]] = []
    sel.changed.connect(lambda idx: got.append(list(idx)))
    sel.select([1, 2])
    sel.select([2, 3], mode="add")
    sel.select([1], mode="remove")
    sel.select([3, 4], mode="toggle")
    assert got == [[1, 2], [1, 2, 3], [2, 3], [2, 4]]
    sel.select([2, 4])  # no change, no event
    assert len(got) == 4
    with pytest.raises(IndexError):
        sel.select([6])
    sel.reset(3)
    assert sel.count() == 0 and sel.current == -1 and sel.n == 3


def test_model_tells_subscribers_in_order_and_owns_the_state() -> None:
    model = ProjectModel()
    heard: list[str] = []
    model.project_changed.connect(lambda d: heard.append(f"project {None if d is None else d.n}"))
    model.selection.changed.connect(lambda idx: heard.append(f"selection {idx.tolist()}"))
    model.analysis_changed.connect(lambda a: heard.append(f"analysis {a.n}"))
    model.reviewed_changed.connect(lambda r: heard.append(f"reviewed {sorted(r)}"))
    data = _data()
    model.set_project(data)
    # the selection is reset before the views hear of the new project
    assert heard == ["selection []", "project 6"]
    model.selection.select([1, 3], source="test")
    model.set_analysis(sample_analysis(n=6))
    assert model.analysis is not None and data.analysis is model.analysis
    assert model.set_reviewed(["s1", "nope"], True) == frozenset({"s1"})  # unknown ids ignored
    model.set_reviewed(["s1"], True)  # no change: no event
    model.set_reviewed(["s1"], False)
    assert heard[2:] == ["selection [1, 3]", "analysis 6", "reviewed ['s1']", "reviewed []"]
    model.set_project(None)
    assert model.data is None and model.reviewed == frozenset() and model.selection.n == 0


def test_model_is_qt_free() -> None:
    """Importing and using the model loads no Qt module (it runs headless, in tests and tools)."""
    import subprocess

    code = ("import sys; from engine.project.model import ProjectModel; ProjectModel(); "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken6'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "[]"
