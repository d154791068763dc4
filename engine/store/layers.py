"""Pooled layer embeddings of a model (``alignscope embed --layers``): layout, tables, reading.

Inside a model's table group ``/embeddings/<modality>/<model id>`` (docs/store.md):

- ``layers/<layer name>`` float32 [n, dim_l]: every layer but the last, chunked by rows like
  ``vectors`` and allocated when created (rows are then written in place, as embeddings are);
- ``layer_done`` uint8 [n]: 0 pending, 1 computed, 2 carried over (same codes as ``done``);
- attrs of ``layers``: ``names`` (JSON list, all layers in depth order) and ``dims`` (JSON list).
  The last name is the model's embedding itself: its rows are ``vectors``, not stored twice.

Tables are created by an atomic rewrite (with the model's table when both are new); rows are
written by :class:`engine.store.writer.TableWriter` (``write_layers``), flags after the rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np

from engine.errors import StoreError
from engine.store import h5io
from engine.store.layout import CACHED, PENDING, chunk_rows, model_group

LAYERS = "layers"
LAYER_DONE = "layer_done"


@dataclass(frozen=True)
class LayerTableSpec:
    """The layers of one model: names in depth order (last = the embedding) and widths."""

    model_id: str
    modality: str
    names: tuple[str, ...]
    dims: tuple[int, ...]

    @property
    def stored(self) -> list[tuple[str, int]]:
        """(name, dim) of the layers kept in ``layers/`` (all but the last)."""
        return list(zip(self.names[:-1], self.dims[:-1], strict=True))

    def bytes_per_row(self) -> int:
        return 4 * sum(d for _, d in self.stored)


def create_layers(g: h5py.Group, spec: LayerTableSpec, n: int) -> None:
    """Allocate the layer datasets and ``layer_done`` in model table ``g`` (inside a rewrite)."""
    if len(spec.names) < 2 or len(spec.names) != len(spec.dims):
        raise StoreError(f"model {spec.model_id!r}: layer list {list(spec.names)} is not usable")
    for name in spec.names:
        if not name or "/" in name or name in (".", ".."):
            raise StoreError(f"layer name {name!r} of {spec.model_id!r} cannot be a dataset name")
    lg = g.create_group(LAYERS)
    lg.attrs["names"] = json.dumps(list(spec.names))
    lg.attrs["dims"] = json.dumps([int(d) for d in spec.dims])
    for name, dim in spec.stored:
        h5io.create_allocated(lg, name, (n, dim), np.float32, chunks=(chunk_rows(n, dim), dim))
    h5io.create_allocated(g, LAYER_DONE, (n,), np.uint8)


def add_layer_tables(path: Path, specs: Sequence[LayerTableSpec]) -> None:
    """Add empty (all pending) layer tables to model tables that exist and have none."""
    if not specs:
        return

    def mutate(f: h5py.File) -> None:
        n = int(f["samples/id"].shape[0])
        for spec in specs:
            g = f[model_group(spec.modality, spec.model_id)]
            if LAYERS not in g:
                create_layers(g, spec, n)

    h5io.atomic_rewrite(path, mutate)


def layer_spec_of(g: h5py.Group) -> LayerTableSpec | None:
    """The layer table of model table ``g``, or None when it has none."""
    if LAYERS not in g:
        return None
    lg = g[LAYERS]
    return LayerTableSpec(str(g.attrs["model_id"]), str(g.attrs["modality"]),
                          tuple(json.loads(lg.attrs["names"])), tuple(json.loads(lg.attrs["dims"])))


def carry_layers(old: h5py.Group, new: h5py.Group, old_keys: Sequence[str],
                 new_keys: Sequence[str]) -> int:
    """Copy the finished layer rows of ``old`` whose content key reappears into ``new``
    (marked carried over); returns how many rows were carried. Call inside a rewrite."""
    spec = layer_spec_of(old)
    if spec is None:
        return 0
    n = len(new_keys)
    create_layers(new, spec, n)
    done_old = np.asarray(old[LAYER_DONE][()])
    index = {k: i for i, k in enumerate(old_keys) if done_old[i] != PENDING}
    pairs = [(i, index[k]) for i, k in enumerate(new_keys) if k in index]
    if not pairs:
        return 0
    new_rows = np.array([p[0] for p in pairs])
    old_rows = np.array([p[1] for p in pairs])
    for name, dim in spec.stored:
        values = np.zeros((n, dim), np.float32)
        values[new_rows] = np.asarray(old[LAYERS][name][()], np.float32)[old_rows]
        new[LAYERS][name][...] = values
    done = np.zeros(n, np.uint8)
    done[new_rows] = CACHED
    new[LAYER_DONE][...] = done
    return len(pairs)


def layer_names(g: h5py.Group) -> list[str]:
    spec = layer_spec_of(g)
    return list(spec.names) if spec is not None else []


def layer_done_mask(g: h5py.Group) -> np.ndarray | None:
    return np.asarray(g[LAYER_DONE][()], dtype=np.uint8) if LAYER_DONE in g else None


def read_layers(path: Path, g: h5py.Group, vectors: np.ndarray | None,
                names: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """{layer: float32 [n, dim_l]} in depth order, refusing incomplete tables.

    ``vectors`` is the model's embedding (the last layer), read by the caller when needed.
    """
    model_id = str(g.attrs["model_id"])
    spec = layer_spec_of(g)
    if spec is None:
        raise StoreError(f"{path}: no layers were stored for '{model_id}'; embed with "
                         "`alignscope embed DATASET --store STORE --layers`")
    wanted = list(spec.names) if names is None else list(names)
    unknown = [w for w in wanted if w not in spec.names]
    if unknown:
        raise StoreError(f"{path}: '{model_id}' has no layer {', '.join(map(repr, unknown))} "
                         f"(layers: {', '.join(spec.names)})")
    done = np.asarray(g[LAYER_DONE][()])  # the mask first: a row marked done is on disk
    missing = int(np.count_nonzero(done == PENDING))
    if missing:
        raise StoreError(f"{path}: layers of '{model_id}' are incomplete ({missing} of {done.size} "
                         "rows missing); run alignscope embed --layers again")
    out: dict[str, np.ndarray] = {}
    for name in [n for n in spec.names if n in wanted]:
        if name == spec.names[-1]:
            if vectors is None:
                raise StoreError(f"{path}: embeddings of '{model_id}' are missing")
            out[name] = vectors
        else:
            out[name] = np.asarray(g[LAYERS][name][()], dtype=np.float32)
    return out
