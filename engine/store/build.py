"""Structural writes: a dataset into a store (carrying over cached embeddings), model tables.

A rebuilt samples table goes through :func:`engine.store.h5io.atomic_rewrite`; new
model tables are added in place under the undo journal (engine/store/journal.py). The
caller holds the writer lock.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np

from engine.dataset.language import script_mix
from engine.dataset.model import Dataset
from engine.errors import StoreError
from engine.store import h5io, integrity
from engine.store.journal import journaled_update
from engine.store.layers import LayerTableSpec, carry_layers, create_layers
from engine.store.layout import CACHED, PENDING, chunk_rows, model_group
from engine.typed_json import JSONObject
from engine.version import __version__


@dataclass(frozen=True)
class TableSpec:
    """What an embeddings table records about its model."""

    model_id: str
    modality: str
    dim: int
    sha256: str
    preprocessing: JSONObject
    provider: str = ""
    max_tokens: int | None = None
    batch_size: int = 32
    origin: str = "encoder"  # "encoder" (embedded here) or "external" (import-embeddings)
    source: str = ""  # external: the file the vectors were imported from


def fingerprint(ds: Dataset) -> str:
    """sha256 over everything a store records about the dataset rows."""
    h = hashlib.sha256()
    h.update(json.dumps([ds.columns, ds.label_columns]).encode())
    for s in ds.samples:
        h.update(json.dumps([s.row, s.id, str(s.image), s.image_rel, s.image_sha256,
                             s.report_sha256, [s.labels.get(c, "") for c in ds.columns]]).encode())
    for q in ds.quarantine:
        h.update(json.dumps(q.to_dict()).encode())
    return h.hexdigest()


def stored_fingerprint(path: Path) -> str | None:
    if not path.exists():
        return None
    f = h5io.open_read(path)
    try:
        return str(f["dataset"].attrs.get("fingerprint", ""))
    finally:
        f.close()


def _write_samples(f: h5py.File, ds: Dataset) -> None:
    h5io.stamp_root(f)
    info = f.create_group("dataset")
    info.attrs.update({
        "source": ds.source, "root": str(ds.root), "kind": ds.kind, "encoding": ds.encoding,
        "n_rows": ds.n_rows, "n_samples": len(ds.samples), "n_quarantined": len(ds.quarantine),
        "mapping": json.dumps(ds.mapping), "created": h5io.now_text(), "app_version": __version__,
        "fingerprint": fingerprint(ds), "notes": json.dumps(ds.notes, ensure_ascii=False),
        "encoding_how": ds.encoding_how, "column_how": json.dumps(ds.column_how),
        "id_rule": ds.id_rule,
    })
    g = f.create_group("samples")
    s = ds.samples
    g.attrs["columns"] = json.dumps(ds.columns)
    g.attrs["label_columns"] = json.dumps(ds.label_columns)
    h5io.write_strings(g, "id", [x.id for x in s])
    g.create_dataset("row", data=np.array([x.row for x in s], dtype=np.int64))
    h5io.write_strings(g, "image", [str(x.image) for x in s])
    h5io.write_strings(g, "image_rel", [x.image_rel for x in s])
    h5io.write_strings(g, "report", [x.report for x in s])
    mix, scripts = script_mix(x.report for x in s)  # the language is checked, not assumed
    info.attrs["script_mix"] = mix.to_json()
    h5io.write_strings(g, "script", scripts)
    g.create_dataset("image_sha256", data=np.array([x.image_sha256 for x in s], dtype="S64"))
    g.create_dataset("report_sha256", data=np.array([x.report_sha256 for x in s], dtype="S64"))
    g.create_dataset("image_size", data=np.array([x.image_size for x in s], dtype=np.int64))
    g.create_dataset("image_mtime_ns", data=np.array([x.image_mtime_ns for x in s], dtype=np.int64))
    labels = np.array([[x.labels.get(c, "") for c in ds.columns] for x in s], dtype=object)
    g.create_dataset("labels", data=labels.reshape(len(s), len(ds.columns)), dtype=h5io.STR)
    q = f.create_group("quarantine")
    q.create_dataset("row", data=np.array([e.row for e in ds.quarantine], dtype=np.int64))
    for name in ("id", "file", "reason"):
        h5io.write_strings(q, name, [getattr(e, name) for e in ds.quarantine])


def _create_table(f: h5py.File, spec: TableSpec, n: int, *, fill: bool = True) -> h5py.Group:
    g = f.require_group(model_group(spec.modality, spec.model_id))
    h5io.create_allocated(g, "vectors", (n, spec.dim), np.float32,
                          chunks=(chunk_rows(n, spec.dim), spec.dim), fill=fill)
    h5io.create_allocated(g, "done", (n,), np.uint8)
    h5io.create_allocated(g, "row_crc32", (n,), np.uint32)
    if spec.modality == "text":
        h5io.create_allocated(g, "truncated", (n,), np.uint8)
    g.attrs.update({
        "model_id": spec.model_id, "modality": spec.modality, "dim": spec.dim,
        "sha256": spec.sha256, "preprocessing": json.dumps(spec.preprocessing),
        "app_version": __version__, "created": h5io.now_text(), "provider": spec.provider,
        "max_tokens": -1 if spec.max_tokens is None else spec.max_tokens,
        "batch_size": spec.batch_size, "origin": spec.origin, "source": spec.source,
    })
    return g


def _spec_from_attrs(g: h5py.Group) -> TableSpec:
    a = g.attrs
    max_tokens = int(a.get("max_tokens", -1))
    return TableSpec(str(a["model_id"]), str(a["modality"]), int(a["dim"]), str(a["sha256"]),
                     json.loads(a["preprocessing"]), str(a.get("provider", "")),
                     None if max_tokens < 0 else max_tokens, int(a.get("batch_size", 32)),
                     str(a.get("origin", "encoder")), str(a.get("source", "")))


def _unusable_rows(g: h5py.Group, done: np.ndarray) -> set[int]:
    """Finished rows not to carry over: damaged (checksum mismatch) or not finite."""
    finished = np.flatnonzero(done != PENDING)
    bad = set(integrity.damaged_rows(g["vectors"], g["row_crc32"], finished)) \
        if "row_crc32" in g else set()
    vectors = np.asarray(g["vectors"][()])
    bad |= {int(r) for r in finished if not np.all(np.isfinite(vectors[r]))}
    return bad


def write_dataset(path: Path, ds: Dataset) -> dict[str, int]:
    """(Re)write the store for ``ds``; embeddings whose content and model are unchanged are
    carried over (marked cached). Returns {model id: rows carried over}."""
    old_tables: list[tuple[TableSpec, dict[str, int], h5py.Group, list[str]]] = []
    old = h5io.open_read(path) if path.exists() else None
    carried: dict[str, int] = {}
    try:
        if old is not None and "embeddings" in old:
            for modality in old["embeddings"]:
                key_name = "image_sha256" if modality == "image" else "report_sha256"
                keys = [k.decode("ascii") for k in old["samples"][key_name][()]]
                for model_id in old["embeddings"][modality]:
                    g = old["embeddings"][modality][model_id]
                    done = g["done"][()]
                    unusable = _unusable_rows(g, done)
                    index = {k: i for i, k in enumerate(keys)
                             if done[i] != PENDING and i not in unusable}
                    old_tables.append((_spec_from_attrs(g), index, g, keys))

        def mutate(f: h5py.File) -> None:
            _write_samples(f, ds)
            n = len(ds.samples)
            for spec, index, og, old_keys in old_tables:
                g = _create_table(f, spec, n)
                key_of = [(s.image_sha256 if spec.modality == "image" else s.report_sha256)
                          for s in ds.samples]
                carry_layers(og, g, old_keys, key_of)
                pairs = [(new, index[k]) for new, k in enumerate(key_of) if k in index]
                carried[spec.model_id] = len(pairs)
                if not pairs:
                    continue
                new_rows = np.array([p[0] for p in pairs])
                old_rows = np.array([p[1] for p in pairs])
                vectors = np.asarray(og["vectors"][()], np.float32)[old_rows]
                done = np.zeros(n, np.uint8)
                done[new_rows] = CACHED
                all_vectors = np.zeros((n, spec.dim), np.float32)
                all_vectors[new_rows] = vectors
                g["vectors"][...] = all_vectors
                g["row_crc32"][...] = np.where(done == CACHED, integrity.row_crc32(all_vectors), 0)
                if "truncated" in og and "truncated" in g:
                    trunc = np.zeros(n, np.uint8)
                    trunc[new_rows] = og["truncated"][()][old_rows]
                    g["truncated"][...] = trunc
                g["done"][...] = done

        h5io.atomic_rewrite(path, mutate, fresh=True)
    finally:
        if old is not None:
            old.close()
    return carried


def add_tables(path: Path, specs: list[TableSpec],
               layer_specs: Sequence[LayerTableSpec] = ()) -> None:
    """Add empty (all pending) embeddings tables for models the store does not hold yet, with
    the layer tables of ``layer_specs`` (engine/store/layers.py): in place, under the undo
    journal (no copy of the file)."""
    if not specs:
        return
    for spec in specs:
        check_model_id(spec.model_id)
    with journaled_update(path) as f:
        n = int(f["samples/id"].shape[0])
        for spec in specs:
            g = _create_table(f, spec, n)
            for lspec in layer_specs:
                if lspec.model_id == spec.model_id and lspec.modality == spec.modality:
                    create_layers(g, lspec, n)


def check_model_id(model_id: str) -> None:
    if not model_id or "/" in model_id or model_id in (".", ".."):
        raise StoreError(f"model id {model_id!r} cannot be used as a table name")
