"""What the GUI shows of one project, loaded from the store in a worker (no Qt here).

``load_project(store_path, ...)`` gathers everything the views need in one pass: sample ids,
paths, reports, label/metadata columns, the chosen image/text model pair, their k-nearest
neighbours (engine.metrics.knn_indices), the per-sample overlap score, 2-D projections
(engine.projections, cached in the store), reviewed marks, and the cached study result when
there is one. ``ProjectData.from_arrays`` builds the same object from arrays already in memory
(benchmarks, tests, a store without embeddings yet).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engine.dataset.language import LanguageCheck
from engine.errors import InputError, StoreError
from engine.progress import Progress, report
from engine.study.result import Analysis, LabelChoice

DEFAULT_K = 10


@dataclass
class ProjectData:
    path: Path | None
    ids: list[str]
    image_paths: Sequence[Path]
    reports: list[str]
    columns: dict[str, list[str]]
    label_columns: list[str]
    image_model: str | None = None
    text_model: str | None = None
    models: dict[str, list[str]] = field(default_factory=lambda: {"image": [], "text": []})
    k: int = DEFAULT_K
    nn_image: np.ndarray | None = None
    nn_text: np.ndarray | None = None
    overlap: np.ndarray | None = None
    xy_image: np.ndarray | None = None
    xy_text: np.ndarray | None = None
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    reviewed: set[str] = field(default_factory=set)
    analysis: Analysis | None = None
    label_choice: LabelChoice | None = None
    language: LanguageCheck | None = None  # can the report encoders read the reports' language?
    dataset_info: dict[str, Any] = field(default_factory=dict)
    model_info: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> dim, provider, sha256, created

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def has_spaces(self) -> bool:
        return self.xy_image is not None and self.xy_text is not None

    @classmethod
    def from_arrays(
        cls,
        ids: Sequence[str],
        xy_image: np.ndarray,
        xy_text: np.ndarray,
        overlap: np.ndarray | None = None,
        columns: Mapping[str, Sequence[str]] | None = None,
        image_paths: Sequence[Path] | None = None,
        reports: Sequence[str] | None = None,
        nn_image: np.ndarray | None = None,
        nn_text: np.ndarray | None = None,
    ) -> ProjectData:
        n = len(ids)
        cols = {k: list(v) for k, v in (columns or {}).items()}
        return cls(
            path=None,
            ids=list(ids),
            image_paths=image_paths if image_paths is not None else [Path("")] * n,
            reports=list(reports) if reports is not None else [""] * n,
            columns=cols,
            label_columns=list(cols)[:1],
            nn_image=nn_image,
            nn_text=nn_text,
            overlap=overlap,
            xy_image=np.asarray(xy_image, dtype=np.float32),
            xy_text=np.asarray(xy_text, dtype=np.float32),
            k=int(nn_image.shape[1]) if nn_image is not None else DEFAULT_K,
        )


def neighbour_data(
    emb_image: np.ndarray, emb_text: np.ndarray, k: int, progress: Progress | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """k-NN in each space (self excluded) and the per-sample overlap score."""
    from engine.pairs import overlap_from_neighbours
    from engine.project.neighbours import compute_neighbours

    k_eff = max(1, min(k, emb_image.shape[0] - 1))
    nn_a, nn_b = compute_neighbours(emb_image, emb_text, k_eff, progress)
    return nn_a, nn_b, overlap_from_neighbours(nn_a, nn_b)


def cached_analysis(store_path: Path, label: str | None = None) -> Analysis | None:
    """The study result cached in the store for ``label`` (default: the resolved label) with
    default options; None when absent. Never runs the study."""
    from engine.study.analyze import cached_analysis as engine_cached

    return engine_cached(store_path, label)


STEPS = 100  # progress of load_project: reading 0-10, projections 10-20, study 20-25, neighbours 25-100


def load_project(
    store_path: str | Path,
    image_model: str | None = None,
    text_model: str | None = None,
    k: int = DEFAULT_K,
    progress: Progress | None = None,
    neighbours: bool = True,
) -> ProjectData:
    """Everything the GUI shows for one store. Runs in a worker; raises StoreError readably.

    The neighbour lists come from the store's cache (written by the study or by an earlier
    open); without one they are computed here (minutes at 100,000 pairs, with progress) and
    cached — unless ``neighbours`` is False: then the data comes back at once without them
    (the per-sample overlap taken from a cached study when there is one) and
    :func:`neighbour_lists` computes them later in another job.
    """
    from engine.store import Store

    path = Path(store_path)
    if not path.exists():
        raise StoreError(f"project file not found: {path}")
    report(progress, 0, STEPS, "reading samples")
    with Store.open(path, mode="r") as st:
        data = _read_project(st, path, image_model, text_model, k)
        pair_ready = data.image_model is not None and data.text_model is not None and data.n >= 3 and all(
            st.is_complete(m) for m in (data.image_model, data.text_model) if m)
        cached = _cached_lists(st, data) if pair_ready else None
    _read_reviewed(data)
    if pair_ready:
        _read_projections(data, progress)
    report(progress, 20, STEPS, "study results")
    data.analysis = cached_analysis(path)
    if cached is not None:
        _set_lists(data, *cached)
    elif pair_ready and neighbours:
        lists = neighbour_lists(data, progress)
        if lists is not None:
            set_neighbours(data, lists)
    elif data.analysis is not None and data.analysis.per_sample.k == data.k:
        data.overlap = np.asarray(data.analysis.per_sample.overlap, dtype=np.float64)
    report(progress, STEPS, STEPS, "project ready")
    return data


@dataclass(frozen=True)
class NeighbourLists:
    """The k-NN lists of a project's model pair (rows: samples; columns: neighbours)."""

    nn_image: np.ndarray
    nn_text: np.ndarray


def neighbour_lists(data: ProjectData, progress: Progress | None = None) -> NeighbourLists | None:
    """The neighbour lists of ``data``'s model pair: read from the store's cache, or computed
    and cached there. ``data`` is only read (a worker computes them while the GUI shows it);
    None when the project has no complete pair."""
    from engine.project.neighbours import save_neighbours
    from engine.store import Store

    if data.path is None or data.image_model is None or data.text_model is None or data.n < 3:
        return None
    with Store.open(data.path, mode="r") as st:
        cached = _cached_lists(st, data)
        if cached is None:
            report(progress, 25, STEPS, "reading embeddings")
            emb_a, emb_b = st.embeddings(data.image_model), st.embeddings(data.text_model)
    if cached is not None:
        return NeighbourLists(*cached)

    def within(done: int, total: int, message: str) -> None:
        report(progress, 30 + 69 * done // max(total, 1), STEPS, message)

    nn_a, nn_b, _ = neighbour_data(emb_a, emb_b, data.k, within)
    del emb_a, emb_b
    save_neighbours(data.path, data.image_model, data.text_model, nn_a, nn_b)
    return NeighbourLists(nn_a, nn_b)


def set_neighbours(data: ProjectData, lists: NeighbourLists) -> None:
    """Put ``lists`` (and the per-sample overlap they give) into ``data``: on the thread that
    owns ``data`` (the GUI's, for an open project)."""
    _set_lists(data, lists.nn_image, lists.nn_text)


def _set_lists(data: ProjectData, nn_a: np.ndarray, nn_b: np.ndarray) -> None:
    from engine.pairs import overlap_from_neighbours

    data.nn_image, data.nn_text = nn_a, nn_b
    data.k = int(nn_a.shape[1])
    data.overlap = overlap_from_neighbours(nn_a, nn_b)


def _cached_lists(st: Any, data: ProjectData) -> tuple[np.ndarray, np.ndarray] | None:
    from engine.project.neighbours import cached_neighbours

    assert data.image_model is not None and data.text_model is not None
    k_eff = max(1, min(data.k, data.n - 1))
    return cached_neighbours(st, data.image_model, data.text_model, data.ids, k_eff)


def _read_project(st: Any, path: Path, image_model: str | None, text_model: str | None, k: int) -> ProjectData:
    """Samples, columns, models and the default pair of an open store (no embeddings read)."""
    from engine.dataset.label_choice import choose_label
    from engine.dataset.language import language_check, open_store_script_mix
    from engine.study.model_choice import choose_models_for_store

    cols = {c: st.column(c) for c in st.columns()}
    data = ProjectData(path=path, ids=st.sample_ids(), image_paths=st.image_paths(),
                       reports=st.report_texts(), columns=cols, label_columns=[], models=st.models(),
                       quarantine=st.quarantine(), dataset_info=st.dataset_info(), k=k)
    data.label_choice = choose_label(cols, source=str(path))
    data.label_columns = [c.column for c in data.label_choice.candidates]
    complete = {m: st.is_complete(m) for ms in data.models.values() for m in ms}
    choice = None
    try:
        choice = choose_models_for_store(st, image=image_model, text=text_model)
        mix, _ = open_store_script_mix(st)
        data.language = language_check(mix, list(choice.text))
    except InputError as exc:
        if image_model is not None or text_model is not None:
            raise StoreError(str(exc)) from exc
    for modality, ms in data.models.items():
        for m in ms:
            attrs = st.model_attrs(m)
            data.model_info[m] = {"modality": modality, "dim": attrs.get("dim"),
                                  "provider": attrs.get("provider", ""), "complete": complete[m],
                                  "sha256": str(attrs.get("sha256", ""))[:12], "created": attrs.get("created", "")}
    if choice is not None:
        data.image_model, data.text_model = choice.default.image, choice.default.text
    return data


def _read_reviewed(data: ProjectData) -> None:
    from engine.pairs import load_reviewed

    assert data.path is not None
    try:
        data.reviewed = load_reviewed(data.path)
    except StoreError:
        data.reviewed = set()


def _read_projections(data: ProjectData, progress: Progress | None) -> None:
    """The cached (else computed and cached) PCA of both spaces."""
    from engine.projections import store_projection

    assert data.path is not None and data.image_model is not None and data.text_model is not None
    report(progress, 10, STEPS, "image projection")
    data.xy_image = store_projection(data.path, data.image_model)
    report(progress, 15, STEPS, "report projection")
    data.xy_text = store_projection(data.path, data.text_model)
