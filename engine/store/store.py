"""The project store: one HDF5 file with samples, quarantine, embeddings and cached results.

See docs/store.md for the layout. Readers (mode "r") never take a lock and always see a
consistent file, also while ``alignscope embed`` writes; writers (mode "a") hold
``STORE.h5.lock`` and change structure in place under an undo journal (see journal.py)
or, for a rebuilt samples table and compaction, through atomic rewrites (see h5io).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, overload

import h5py
import numpy as np

from engine.errors import StoreError
from engine.store import h5io, journal, layers, results
from engine.store.layout import MODALITIES, PENDING
from engine.store.lock import WriterLock
from engine.typed_json import JSONObject

CHECK_BLOCK_ROWS = 8192  # rows per block when checking embeddings (checksums, finite values)


class PathList(Sequence[Path]):
    """The samples' image paths, made into Path objects when asked for (100,000 of them at once
    cost most of a second when a large project opens)."""

    def __init__(self, texts: list[str]) -> None:
        self._texts = texts

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> Path: ...
    @overload
    def __getitem__(self, index: slice) -> list[Path]: ...
    def __getitem__(self, index: int | slice) -> Path | list[Path]:
        if isinstance(index, slice):
            return [Path(t) for t in self._texts[index]]
        return Path(self._texts[index])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PathList):
            return self._texts == other._texts
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and all(Path(o) == p for o, p in zip(other, self, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, like a list


class Store:
    """Open with :meth:`Store.open`; use as a context manager."""

    def __init__(self, path: Path, mode: str, lock: WriterLock | None) -> None:
        self.path = path
        self.mode = mode
        self._lock = lock
        self._f: h5py.File | None = h5io.open_read(path)

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | Path, mode: str = "r") -> Store:
        """mode "r": read (safe while embed writes); "a": also write results (takes the lock)."""
        p = Path(path).absolute()
        if mode not in ("r", "a"):
            raise StoreError(f"{p}: unknown store mode {mode!r} (use 'r' or 'a')")
        lock: WriterLock | None = None
        if mode == "a":
            if not p.exists():
                raise StoreError(f"{p}: no such store")
            lock = WriterLock(p)
            lock.acquire()
            h5io.remove_stale_copies(p)
        try:
            return cls(p, mode, lock)
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def file(self) -> h5py.File:
        if self._f is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._f

    def reopen(self) -> None:
        """Re-read the file after a rewrite (the old handle still shows the old file)."""
        if self._f is not None:
            self._f.close()
        self._f = h5io.open_read(self.path)

    def _detach(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None

    # ------------------------------------------------------------------ samples
    @property
    def n_samples(self) -> int:
        return int(self.file["samples/id"].shape[0])

    def sample_ids(self) -> list[str]:
        return h5io.read_strings(self.file["samples/id"])

    def rows(self) -> np.ndarray:
        return np.asarray(self.file["samples/row"][()], dtype=np.int64)

    def columns(self) -> list[str]:
        return list(json.loads(self.file["samples"].attrs["columns"]))

    def label_columns(self) -> list[str]:
        return list(json.loads(self.file["samples"].attrs["label_columns"]))

    def column(self, name: str) -> list[str]:
        cols = self.columns()
        if name not in cols:
            raise StoreError(f"{self.path}: no column '{name}' (columns: {', '.join(cols) or 'none'})")
        if self.n_samples == 0:
            return []
        ds = self.file["samples/labels"]
        return h5io.read_strings(ds, cols.index(name))

    def image_paths(self) -> PathList:
        return PathList(h5io.read_strings(self.file["samples/image"]))

    def report_texts(self) -> list[str]:
        return h5io.read_strings(self.file["samples/report"])

    def content_keys(self, modality: str) -> list[str]:
        name = "image_sha256" if modality == "image" else "report_sha256"
        return [v.decode("ascii") for v in self.file["samples"][name][()]]

    def known_files(self) -> dict[str, tuple[int, int, str]]:
        """{absolute image path: (size, mtime_ns, sha256)} as validated into this store."""
        g = self.file["samples"]
        if "image_size" not in g:
            return {}
        sizes = g["image_size"][()].tolist()
        mtimes = g["image_mtime_ns"][()].tolist()
        return {p: (int(sz), int(mt), k) for p, sz, mt, k in zip(
            h5io.read_strings(g["image"]), sizes, mtimes, self.content_keys("image"), strict=True)}

    def quarantine(self) -> list[JSONObject]:
        g = self.file["quarantine"]
        rows = [int(r) for r in g["row"][()]]
        ids, files, reasons = (h5io.read_strings(g[k]) for k in ("id", "file", "reason"))
        return [{"row": r, "id": i, "file": fl, "reason": why}
                for r, i, fl, why in zip(rows, ids, files, reasons, strict=True)]

    def dataset_info(self) -> JSONObject:
        a = self.file["dataset"].attrs
        return {k: (json.loads(a[k]) if k in ("mapping", "script_mix", "notes", "column_how") else _plain(a[k]))
                for k in a}

    # --------------------------------------------------------------- embeddings
    def models(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {m: [] for m in MODALITIES}
        if "embeddings" in self.file:
            for modality in MODALITIES:
                if modality in self.file["embeddings"]:
                    out[modality] = sorted(self.file["embeddings"][modality].keys())
        return out

    def _group(self, model_id: str) -> h5py.Group:
        for modality, ids in self.models().items():
            if model_id in ids:
                return self.file[f"embeddings/{modality}/{model_id}"]
        known = [i for ids in self.models().values() for i in ids]
        raise StoreError(f"{self.path}: model '{model_id}' was never embedded here "
                         f"(embedded: {', '.join(known) or 'none'})")

    def has_model(self, model_id: str) -> bool:
        return any(model_id in ids for ids in self.models().values())

    def done_mask(self, model_id: str) -> np.ndarray:
        return np.asarray(self._group(model_id)["done"][()], dtype=np.uint8)

    def n_done(self, model_id: str) -> int:
        return int(np.count_nonzero(self.done_mask(model_id) != PENDING))

    def is_complete(self, model_id: str) -> bool:
        return bool(np.all(self.done_mask(model_id) != PENDING))

    def embeddings(self, model_id: str) -> np.ndarray:
        g = self._group(model_id)
        done = np.asarray(g["done"][()])  # read the mask first: a row marked done is on disk
        missing = int(np.count_nonzero(done == PENDING))
        if missing:
            raise StoreError(f"{self.path}: embeddings of '{model_id}' are incomplete "
                             f"({missing} of {done.size} rows missing); run alignscope embed again")
        vectors = np.asarray(h5io.read_rows(g["vectors"]), dtype=np.float32)  # in blocks: the GIL breathes
        bad = self.damaged_rows(model_id, vectors)
        if bad:
            ids = self.sample_ids()
            shown = ", ".join(f"row {r} ({ids[r]})" for r in bad[:5]) + (" …" if len(bad) > 5 else "")
            raise StoreError(
                f"{self.path}: {len(bad)} embeddings of '{model_id}' are damaged or not finite "
                f"numbers: {shown}. Run `alignscope embed DATASET --store {self.path}` to compute "
                "them again (the other rows are kept)")
        return vectors

    def damaged_rows(self, model_id: str, vectors: np.ndarray | None = None) -> list[int]:
        """Finished rows whose bytes fail their checksum or hold NaN/infinite values.

        Checked in blocks of rows, so a large table is never copied whole (a copy of 100,000 ×
        1,280 floats is 0.5 GB and most of a project's first-open time).
        """
        from engine.store.integrity import row_crc32

        g = self._group(model_id)
        finished = np.asarray(g["done"][()]) != PENDING
        if vectors is None:
            vectors = np.asarray(h5io.read_rows(g["vectors"]), dtype=np.float32)
        crc = np.asarray(g["row_crc32"][()]) if "row_crc32" in g else None
        bad: list[int] = []
        for start in range(0, vectors.shape[0], CHECK_BLOCK_ROWS):
            stop = min(start + CHECK_BLOCK_ROWS, vectors.shape[0])
            rows = start + np.flatnonzero(finished[start:stop])
            block = vectors[start:stop] if rows.size == stop - start else vectors[rows]
            wrong = ~np.all(np.isfinite(block), axis=1)
            if crc is not None:
                wrong |= crc[rows] != row_crc32(block)
            bad.extend(int(r) for r in rows[wrong])
        return bad

    def truncated_mask(self, model_id: str) -> np.ndarray:
        g = self._group(model_id)
        if "truncated" not in g:
            return np.zeros(self.n_samples, dtype=bool)
        return np.asarray(g["truncated"][()], dtype=bool)

    # ------------------------------------------------------------- layers (embed --layers)
    def layer_names(self, model_id: str) -> list[str]:
        """Pooled layers stored for ``model_id``, depth order, last = its embedding; [] if none."""
        return layers.layer_names(self._group(model_id))

    def layers_complete(self, model_id: str) -> bool:
        done = layers.layer_done_mask(self._group(model_id))
        return done is not None and bool(np.all(done != PENDING))

    def layer_embeddings(self, model_id: str, names: Sequence[str] | None = None
                         ) -> dict[str, np.ndarray]:
        """{layer name: float32 [n, dim_l]} in depth order (all layers, or ``names``); the last
        layer is :meth:`embeddings`. StoreError when none were stored or rows are missing."""
        g = self._group(model_id)
        stored = layers.layer_names(g)
        final = bool(stored) and (names is None or stored[-1] in names)
        return layers.read_layers(self.path, g, self.embeddings(model_id) if final else None, names)

    def model_attrs(self, model_id: str) -> JSONObject:
        a = self._group(model_id).attrs
        return {k: (json.loads(a[k]) if k == "preprocessing" else _plain(a[k])) for k in a}

    def model_origin(self, model_id: str) -> str:
        """"encoder" (embedded by AlignScope) or "external" (alignscope import-embeddings)."""
        return str(_plain(self._group(model_id).attrs.get("origin", "encoder")))

    def external_models(self) -> dict[str, str]:
        """{model id: the file its vectors were imported from} for every external model."""
        return {m: str(_plain(self._group(m).attrs.get("source", "")))
                for ids in self.models().values() for m in ids if self.model_origin(m) == "external"}

    # ------------------------------------------------------------------ results
    def put_result(self, name: str, key: str, payload: JSONObject,
                   arrays: dict[str, np.ndarray] | None = None) -> None:
        """Cache an analysis result under (name, key), beside the other keys of ``name``.

        Written in place under the undo journal (never a copy of the file): a kill during
        the write loses at most this result. Needs mode "a".
        """
        if self.mode != "a":
            raise StoreError(f"{self.path}: opened read-only; open with mode 'a' to save results")
        if not name or "/" in name or name in (".", ".."):
            raise StoreError(f"result name {name!r} must be non-empty and contain no '/'")
        self._detach()
        try:
            with journal.journaled_update(self.path) as f:
                results.write_result(f, name, key, payload, arrays or {})
        finally:
            self.reopen()

    def compact(self) -> tuple[int, int]:
        """Rewrite the file without space freed by replaced results: (bytes before, after).
        Atomic (copy in the real file's folder, then rename); needs mode "a"."""
        if self.mode != "a":
            raise StoreError(f"{self.path}: opened read-only; open with mode 'a' to compact it")
        self._detach()
        try:
            return h5io.compact(self.path)
        finally:
            self.reopen()

    def get_result(self, name: str, key: str) -> tuple[JSONObject, dict[str, np.ndarray]] | None:
        """(payload, arrays) cached under (name, key), or None."""
        return results.read_result(self.file, name, key)

    def result_keys(self, name: str) -> list[str]:
        """Keys cached under ``name``, most recently written first."""
        return results.result_keys(self.file, name)


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value
