"""The resumable embed job: dataset files → validated samples → embeddings in the store.

Resumable and bitwise reproducible: rows are processed on a fixed grid of batches over
a fixed row order (batch j = positions j·B … (j+1)·B−1 of that order, without rows carried
over from the cache): the store's row order for images, longest report first for texts
(the encoder's ``batch_order``: similar lengths share a batch, so little padding). A batch
with any pending row is recomputed with exactly that composition and only its pending rows
are written, so a run killed at any instant and then rerun gives
the same bytes as an uninterrupted run (given the same batch size and device).

With ``layers=True`` (``alignscope embed --layers``) the pooled layers of each model come out
of the same forward pass into the model's layer table (engine/store/layers.py). A row is then
pending when its embedding or its layers are; once a store holds layers for a model, later
runs keep them complete (the option is sticky per model table).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engine.dataset import Dataset, QuarantineEntry, load_dataset
from engine.errors import InputError, ModelError, StoreError
from engine.progress import Progress, report
from engine.store import (
    Store,
    TableSpec,
    TableWriter,
    WriterLock,
    add_tables,
    h5io,
    write_dataset,
)
from engine.store.build import stored_fingerprint
from engine.store.layers import LayerTableSpec, add_layer_tables, layer_spec_of
from engine.store.layout import CACHED, COMPUTED, PENDING, model_group

DEFAULT_BATCH = 32
log = logging.getLogger(__name__)
MAX_ABS = 1e10  # an embedding value beyond this is as unusable as NaN (its square overflows)


@dataclass
class ModelRun:
    model_id: str
    modality: str
    computed: int = 0  # rows embedded by this run
    cached: int = 0  # rows carried over from earlier content (same content and model sha256)
    already_done: int = 0  # rows finished by an earlier (possibly interrupted) run
    truncated: int = 0  # reports longer than the encoder takes (kept, flagged)
    provider: str = ""
    seconds: float = 0.0
    repaired: int = 0  # finished rows found damaged (checksum, NaN) and computed again
    dropped: int = 0  # finished rows of samples quarantined afterwards (another model's NaN)
    layers: list[str] = field(default_factory=list)  # layer table of this model ([] = none)
    layer_rows: int = 0  # rows whose layers this run computed
    layer_bytes_per_row: int = 0  # storage of the layer table per row (float32)
    note: str = ""


@dataclass
class EmbedSummary:
    store: Path
    source: str
    encoding: str
    n_rows: int
    n_samples: int
    n_quarantined: int
    rebuilt: bool
    models: list[ModelRun] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # the import's notes (Dataset.notes)

    @property
    def complete(self) -> bool:
        return all(m.computed + m.cached + m.already_done - m.dropped == self.n_samples
                   for m in self.models)


EncoderLoader = Callable[[str, str, int | None], Any]


def _default_loader(model_id: str, device: str, threads: int | None) -> Any:
    from engine.encoders import load_encoder

    return load_encoder(model_id, device=device, threads=threads)


def resolve_models(image_models: Sequence[str] | None, text_models: Sequence[str] | None
                   ) -> list[Any]:
    """ModelSpecs for the requested ids (defaults: the smallest rung of each ladder)."""
    from engine.encoders import DEFAULT_IMAGE_MODEL, DEFAULT_TEXT_MODEL, get_spec
    from engine.encoders.registry import MAX_DIM

    wanted = [("image", m) for m in (image_models or [DEFAULT_IMAGE_MODEL])]
    wanted += [("text", m) for m in (text_models or [DEFAULT_TEXT_MODEL])]
    specs = []
    for modality, model_id in dict.fromkeys(wanted):
        spec = get_spec(model_id)
        if spec.modality != modality:
            flag = "--image-model" if spec.modality == "image" else "--text-model"
            raise ModelError(f"'{model_id}' is a {spec.modality} model: pass it with {flag}")
        if not 0 < spec.dim <= MAX_DIM:
            raise ModelError(f"model '{model_id}' declares {spec.dim:,} embedding dimensions; "
                             f"AlignScope takes 1 to {MAX_DIM:,}: re-register it with a card "
                             "giving its real output size")
        specs.append(spec)
    return specs


def batch_plan(done: np.ndarray, batch: int) -> list[list[np.ndarray]]:
    """Segments of grid batches to compute; each segment is encoded in one call.

    Each batch is the rows of its grid cell that are not carried from the cache; a cell
    is computed when any of its rows is pending. Full batches run back to back in one
    segment; a short batch is a segment of its own so batch composition never shifts.
    """
    segments: list[list[np.ndarray]] = []
    current: list[np.ndarray] = []
    for start in range(0, done.size, batch):
        cell = np.arange(start, min(start + batch, done.size))
        comp = cell[done[cell] != CACHED]
        if comp.size == 0 or not np.any(done[comp] == PENDING):
            if current:
                segments.append(current)
                current = []
            continue
        if comp.size == batch:
            current.append(comp)
        else:
            if current:
                segments.append(current)
                current = []
            segments.append([comp])
    if current:
        segments.append(current)
    return segments


def _check_models(path: Path, specs: Sequence[Any], reembed_changed: bool) -> set[str]:
    """Ids of the models the store already holds. A model whose installed file differs from the
    one the store was made with (e.g. after an AlignScope upgrade) is refused, or, with
    ``reembed_changed``, its table is dropped so that it is embedded again."""
    present: set[str] = set()
    changed: list[str] = []
    if not path.exists():
        return present
    f = h5io.open_read(path)
    try:
        for spec in specs:
            name = model_group(spec.modality, spec.id)
            if name in f:
                stored = str(f[name].attrs.get("sha256", ""))
                if stored == spec.sha256:
                    present.add(spec.id)
                elif reembed_changed:
                    changed.append(name)
                else:
                    raise StoreError(
                        f"{path}: the embeddings of '{spec.id}' were made with a model file of "
                        f"sha256 {stored[:12]}…, but the installed one is {spec.sha256[:12]}… "
                        "(an updated encoder). The stored rows were left untouched; to embed them "
                        "again with the installed model add --reembed-changed, or embed into a "
                        "new store with --store NEW.h5"
                    )
    finally:
        f.close()
    if changed:
        from engine.store.journal import journaled_update

        log.info("%s: dropping tables of changed models to embed them again: %s", path, changed)
        with journaled_update(path) as w:
            for name in changed:
                del w[name]
    return present


def run_embed(
    dataset: str | Path | Dataset,
    store: str | Path,
    image_models: Sequence[str] | None = None,
    text_models: Sequence[str] | None = None,
    *,
    device: str = "auto",
    batch_size: int | None = None,
    mapping: Mapping[str, str] | None = None,
    threads: int | None = None,
    progress: Progress | None = None,
    loader: EncoderLoader | None = None,
    allow_outside: Sequence[str | Path] = (),
    layers: bool = False,
    reembed_changed: bool = False,
    encoding: str | None = None,
    on_dataset: Callable[[Dataset], None] | None = None,
) -> EmbedSummary:
    """Validate ``dataset``, (re)write the store, and embed every good row with each model
    (with ``layers``, also every pooled layer of the models that export them).

    Rows for which a model gives NaN, infinite or absurd values are quarantined (naming
    the model) once every model ran; finished rows found damaged are computed again.
    ``allow_outside``: see :func:`engine.dataset.load_dataset`. ``reembed_changed``: embed again
    the models whose installed file changed since the store was made (else they are refused).
    ``encoding``: read the manifest and report files as that (see load_dataset).
    ``on_dataset``: called with the validated dataset before anything is written (the CLI
    prints what the import guessed there, before the long part). Progress counts the rows of
    one model at a time; the message names the model and its place ("model 2 of 3").
    Raises Cancelled (from ``progress``) with every finished row saved.
    """
    t0 = time.perf_counter()
    path = Path(store).absolute()
    specs = resolve_models(image_models, text_models)
    ds = dataset if isinstance(dataset, Dataset) else load_dataset(
        dataset, mapping, progress=progress, known=_known_files(path),
        allow_outside=allow_outside, encoding=encoding)
    if on_dataset is not None:
        on_dataset(ds)
    _refuse_store_over_input(path, ds)
    lock = WriterLock(path)
    lock.acquire()
    try:
        h5io.remove_stale_copies(path)
        present = _check_models(path, specs, reembed_changed)
        rebuilt = stored_fingerprint(path) != _fingerprint(ds)
        if rebuilt:
            report(progress, 0, 1, "writing the samples table")
            write_dataset(path, ds)
        summary = EmbedSummary(path, ds.source, ds.encoding, ds.n_rows, len(ds.samples),
                               len(ds.quarantine), rebuilt, notes=list(ds.notes))
        items = {"image": [str(s.image) for s in ds.samples],
                 "text": [s.report for s in ds.samples]}
        unusable: dict[int, str] = {}  # store row → why a model's output cannot be used
        for number, spec in enumerate(specs, start=1):
            step = f"{spec.id} (model {number} of {len(specs)})"
            run = _embed_model(path, spec, present, items[spec.modality], device, batch_size,
                               threads, loader or _default_loader, progress, step, unusable, layers)
            summary.models.append(run)
        if unusable:
            _quarantine_unusable(path, ds, unusable, summary)
        summary.seconds = time.perf_counter() - t0
        return summary
    finally:
        lock.release()


def _refuse_store_over_input(path: Path, ds: Dataset) -> None:
    """The store must not be the manifest or an image of the dataset it is made from."""
    if not path.exists():
        return
    st = os.stat(path)
    ident = (st.st_dev, st.st_ino)
    for name in [ds.source, *(str(s.image) for s in ds.samples)]:
        with contextlib.suppress(OSError):
            other = os.stat(name)
            if (other.st_dev, other.st_ino) == ident:
                raise InputError(f"--store {path} is {name}, a file of the dataset itself; "
                                 "choose another name for the project file (nothing was written)")


def _quarantine_unusable(path: Path, ds: Dataset, unusable: dict[int, str],
                         summary: EmbedSummary) -> None:
    """Move rows some model could not embed into the quarantine (every finished row of
    the other samples is carried over by content)."""
    with Store.open(path) as st:
        finished = {m.model_id: st.done_mask(m.model_id) != PENDING for m in summary.models}
    for run in summary.models:
        run.dropped = int(sum(bool(finished[run.model_id][r]) for r in unusable))
    bad = [QuarantineEntry(ds.samples[r].row, ds.samples[r].id, ds.samples[r].image_rel, why)
           for r, why in unusable.items()]
    kept = [s for i, s in enumerate(ds.samples) if i not in unusable]
    quarantine = sorted([*ds.quarantine, *bad], key=lambda q: q.row)
    write_dataset(path, dataclasses.replace(ds, samples=kept, quarantine=quarantine))
    summary.n_samples = len(kept)
    summary.n_quarantined = len(quarantine)


def _known_files(path: Path) -> dict[str, tuple[int, int, str]] | None:
    """Files the store already validated (skipped when unchanged); None if unreadable."""
    if not path.exists():
        return None
    try:
        with Store.open(path) as st:
            return st.known_files()
    except StoreError:
        return None


def _fingerprint(ds: Dataset) -> str:
    from engine.store import fingerprint

    return fingerprint(ds)


def _stored_batch(path: Path, spec: Any) -> int | None:
    f = h5io.open_read(path)
    try:
        name = model_group(spec.modality, spec.id)
        return int(f[name].attrs.get("batch_size", DEFAULT_BATCH)) if name in f else None
    finally:
        f.close()


def sane_rows(vectors: np.ndarray) -> np.ndarray:
    """bool [n]: rows whose values are all finite and within ±MAX_ABS."""
    with np.errstate(invalid="ignore"):
        ok: np.ndarray = np.all(np.isfinite(vectors) & (np.abs(vectors) <= MAX_ABS), axis=1)
    return ok


def _unusable_reason(spec: Any) -> str:
    what = "image" if spec.modality == "image" else "report"
    return (f"the {spec.modality} model '{spec.id}' gave NaN, infinite or absurd values "
            f"(beyond ±{MAX_ABS:.0e}) for this {what}; the row was left out")


def layer_table_spec(spec: Any) -> LayerTableSpec | None:
    """The layer table a model's layers go to; None for a model without layer outputs."""
    layers = tuple(getattr(spec, "layers", ()))
    if len(layers) < 2:
        return None
    return LayerTableSpec(spec.id, spec.modality, tuple(x.name for x in layers),
                          tuple(int(x.dim) for x in layers))


def _has_layer_table(path: Path, spec: Any) -> bool:
    f = h5io.open_read(path)
    try:
        name = model_group(spec.modality, spec.id)
        return name in f and layer_spec_of(f[name]) is not None
    finally:
        f.close()


def grid_mask(done: np.ndarray, layer_done: np.ndarray | None) -> np.ndarray:
    """Per-row state for the batch grid: pending if the embedding or the layers are, carried
    over only if both are (then the row leaves the grid, as without layers)."""
    if layer_done is None:
        return done
    grid = np.full(done.shape, COMPUTED, np.uint8)
    grid[(done == CACHED) & (layer_done == CACHED)] = CACHED
    grid[(done == PENDING) | (layer_done == PENDING)] = PENDING
    return grid


def _wanted_layers(path: Path, spec: Any, present: set[str], requested: bool,
                   run: ModelRun) -> LayerTableSpec | None:
    lspec = layer_table_spec(spec)
    if lspec is None:
        if requested:
            run.note = "no layer outputs (only the bundled ladder exports them); embedding only"
        return None
    if requested or (spec.id in present and _has_layer_table(path, spec)):
        run.layers = list(lspec.names)
        run.layer_bytes_per_row = lspec.bytes_per_row()
        return lspec
    return None


def _pending_state(writer: TableWriter, lspec: LayerTableSpec | None
                   ) -> tuple[np.ndarray, np.ndarray | None]:
    """(done, layer_done) of the table; a wanted but absent layer table counts as all pending."""
    done = writer.done_mask()
    if lspec is None:
        return done, None
    layer_done = writer.layer_done_mask()
    return done, (np.zeros_like(done) if layer_done is None else layer_done)


def _embed_model(path: Path, spec: Any, present: set[str], items: list[str], device: str,
                 batch_size: int | None, threads: int | None, loader: EncoderLoader,
                 progress: Progress | None, step: str,
                 unusable: dict[int, str], layers: bool) -> ModelRun:
    t0 = time.perf_counter()
    run = ModelRun(spec.id, spec.modality)
    batch = batch_size or _stored_batch(path, spec) or DEFAULT_BATCH
    if batch < 1:
        raise StoreError(f"--batch must be at least 1 (got {batch})")
    lspec = _wanted_layers(path, spec, present, layers, run)
    if spec.id in present:
        writer = TableWriter(path, spec.modality, spec.id)
        try:
            damaged = writer.damaged_rows()
            if damaged:
                writer.mark_pending(damaged)
                run.repaired = len(damaged)
            done, layer_done = _pending_state(writer, lspec)
        finally:
            writer.close()
        if not np.any(grid_mask(done, layer_done) == PENDING):
            run.cached = int(np.count_nonzero(done == CACHED))
            run.already_done = done.size - run.cached
            report(progress, done.size, done.size, f"{step}: all rows already embedded")
            return run
    enc = loader(spec.id, device, threads)
    run.provider = str(getattr(enc, "provider", ""))
    if spec.id not in present:
        add_tables(path, [TableSpec(spec.id, spec.modality, spec.dim, spec.sha256,
                                    dict(spec.preprocessing), run.provider,
                                    spec.max_tokens, batch)], [lspec] if lspec else [])
    elif lspec is not None:
        add_layer_tables(path, [lspec])
    writer = TableWriter(path, spec.modality, spec.id)
    try:
        _fill_table(writer, enc, spec, items, batch, lspec is not None, run, progress, step, unusable)
    finally:
        writer.close()
    run.seconds = time.perf_counter() - t0
    return run


def _fill_table(writer: TableWriter, enc: Any, spec: Any, items: list[str], batch: int,
                layers: bool, run: ModelRun, progress: Progress | None, step: str,
                unusable: dict[int, str]) -> None:
    """Compute every pending grid batch and write its pending rows (and layers); rows whose
    values are not finite or absurd are not written and are noted in ``unusable``. Progress:
    rows of this model done (computed or carried over) out of its rows."""
    done = writer.done_mask()
    layer_done = writer.layer_done_mask() if layers else None
    grid = grid_mask(done, layer_done)
    run.cached = int(np.count_nonzero(done == CACHED))
    run.already_done = int(np.count_nonzero(done != PENDING)) - run.cached
    progressed = int(np.count_nonzero(grid != PENDING))
    total = len(items)
    report(progress, progressed, total, f"{step}: starting")
    # the batch grid runs over this fixed order (texts: by token length, so batches pad little)
    order = np.asarray(enc.batch_order(items)) if hasattr(enc, "batch_order") else np.arange(len(items))
    for segment in batch_plan(grid[order], batch):
        rows = np.concatenate([np.sort(order[cell]) for cell in segment])  # rows of a batch ascending
        seg_items = [items[int(r)] for r in rows]
        with contextlib.closing(enc.iter_batches(seg_items, batch_size=batch, layers=layers)) as it:
            for b in it:
                got = rows[b.start : b.start + len(b.vectors)]
                vectors = np.asarray(b.vectors, np.float32)
                sane = sane_rows(vectors)
                for r in got[~sane]:
                    unusable.setdefault(int(r), _unusable_reason(spec))
                pending = done[got] == PENDING
                keep = pending & sane
                trunc = None
                if spec.modality == "text" and spec.max_tokens:
                    lengths = np.asarray(enc.token_lengths([items[int(r)] for r in got]))
                    trunc = lengths[keep] > spec.max_tokens
                    run.truncated += int(np.count_nonzero(trunc))
                writer.write(got[keep], vectors[keep], trunc)
                if layer_done is not None:
                    lp = (layer_done[got] == PENDING) & sane
                    writer.write_layers(got[lp], {k: v[lp] for k, v in b.layers.items()})
                    run.layer_rows += int(np.count_nonzero(lp))
                run.computed += int(np.count_nonzero(keep))
                progressed += int(np.count_nonzero(grid[got] == PENDING))
                report(progress, progressed, total, f"{step}: embedding")
