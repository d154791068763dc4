"""Integrity of a project store: checksums written with the data, checked when it is opened.

What is recorded (plain h5py can verify it; docs/store.md):
- every dataset a structural rewrite writes (all but the embeddings tables and cached
  results) carries the attribute ``checksum`` = ``"sha256:<hex>"`` of its values
  (:func:`dataset_digest`);
- each embeddings table, written row by row in place, has ``row_crc32`` (uint32 [n]): the
  CRC-32 of each finished row's float32 bytes, little-endian, written with the row;
- the root attribute ``attrs_checksum`` covers every attribute outside ``/results``.

:func:`verify` checks all of it; engine.store.opening_check runs it in a child process
whenever a store is first opened.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import h5py
import numpy as np

from engine.typed_json import JSONObject

IN_PLACE_TABLES = ("vectors", "done", "truncated", "row_crc32")
_SKIP_ATTRS = frozenset({"checksum", "attrs_checksum"})


# ------------------------------------------------------------------------- digests
def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, np.generic | np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def dataset_digest(ds: h5py.Dataset) -> str:
    """``sha256:<hex>`` of a dataset's values: variable-length strings as their UTF-8 bytes,
    each followed by a NUL byte, in C order; everything else as little-endian bytes."""
    h = hashlib.sha256()
    data = ds[()]
    if h5py.check_string_dtype(ds.dtype) is not None and ds.dtype.kind == "O":
        items = np.asarray(data, dtype=object).ravel().tolist()
        try:
            joined = b"\0".join(items)
        except TypeError:  # some items came back as str
            joined = b"\0".join(i if isinstance(i, bytes) else str(i).encode("utf-8") for i in items)
        if items:
            h.update(joined)
            h.update(b"\0")
    else:
        arr = np.ascontiguousarray(data)
        h.update(arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes())
    return "sha256:" + h.hexdigest()


def attrs_digest(f: h5py.File) -> str:
    """``sha256:<hex>`` of the JSON list of [object path, attribute, value] of every
    attribute outside /results (sorted; the checksum attributes themselves left out)."""
    items: list[list[Any]] = []

    def add(name: str, obj: Any) -> None:
        if name == "results" or name.startswith("results/"):
            return
        for key in sorted(obj.attrs):
            if key not in _SKIP_ATTRS:
                items.append([name, key, _plain(obj.attrs[key])])

    add("", f)
    f.visititems(add)
    items.sort(key=lambda it: (it[0], it[1]))
    text = json.dumps(items, ensure_ascii=False, allow_nan=True, default=str)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_crc32(vectors: np.ndarray) -> np.ndarray:
    """uint32 [n]: CRC-32 of each row's float32 little-endian bytes."""
    rows = np.ascontiguousarray(vectors, dtype="<f4")
    return np.fromiter(map(_crc32, rows), dtype=np.uint32, count=rows.shape[0])


def _zlib_ng_crc32() -> Callable[..., int]:
    """zlib-ng's CRC-32 (the same polynomial and values as zlib's, about twice as fast on
    the 5 KB rows of a 1280-d table); zlib's where the package is missing."""
    try:
        from zlib_ng import zlib_ng
    except ImportError:
        return zlib.crc32
    return cast(Callable[..., int], zlib_ng.crc32)


_crc32 = _zlib_ng_crc32()


def _checked(name: str) -> bool:
    parts = name.split("/")
    return parts[0] not in ("embeddings", "results")


def stamp(f: h5py.File) -> None:
    """Record checksums in a file being rewritten (call last, before closing)."""
    from engine.store import h5io
    from engine.store.layout import PENDING

    for modality in f.get("embeddings", {}):
        for model_id in f["embeddings"][modality]:
            g = f["embeddings"][modality][model_id]
            if "row_crc32" not in g and "vectors" in g:
                crc = h5io.create_allocated(g, "row_crc32", (g["vectors"].shape[0],), np.uint32)
                done = np.asarray(g["done"][()]) != PENDING
                sums = row_crc32(g["vectors"][()])
                crc[...] = np.where(done, sums, 0).astype(np.uint32)

    def visit(name: str, obj: Any) -> None:
        if isinstance(obj, h5py.Dataset) and _checked(name):
            obj.attrs["checksum"] = dataset_digest(obj)

    f.visititems(visit)
    f.attrs["attrs_checksum"] = attrs_digest(f)


# -------------------------------------------------------------------------- verify
@dataclass
class Verdict:
    """What :func:`verify` found: fatal ``problems``, and rows that can be recomputed."""

    problems: list[str] = field(default_factory=list)
    damaged_rows: dict[str, list[int]] = field(default_factory=dict)  # model id → rows
    checked: int = 0  # datasets whose checksum matched
    unchecked: list[str] = field(default_factory=list)  # datasets without a checksum
    rows_checked: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> JSONObject:
        return {"problems": self.problems, "damaged_rows": self.damaged_rows,
                "checked": self.checked, "unchecked": self.unchecked,
                "rows_checked": self.rows_checked, "seconds": round(self.seconds, 3)}


def _datasets(f: h5py.File) -> Iterator[tuple[str, h5py.Dataset]]:
    found: list[tuple[str, h5py.Dataset]] = []
    f.visititems(lambda n, o: found.append((n, o)) if isinstance(o, h5py.Dataset) else None)
    yield from found


def _storage_problem(name: str, ds: h5py.Dataset, file_size: int) -> str | None:
    """A dataset that declares more bytes than the file holds, or chunks beyond its end."""
    itemsize = 16 if ds.dtype.kind == "O" else ds.dtype.itemsize
    if ds.size * max(1, itemsize) > 64 * max(file_size, 1 << 20) or ds.ndim > 4:
        return f"{name}: declares shape {ds.shape}, far more than the file holds"
    if ds.chunks is not None and ds.size:
        for k in range(ds.id.get_num_chunks()):
            info = ds.id.get_chunk_info(k)
            if info.byte_offset is None or info.byte_offset + info.size > file_size:
                return f"{name}: chunk {k} lies beyond the end of the file"
    return None


def _layout_problems(f: h5py.File) -> list[str]:
    """Table lengths that disagree with the number of samples."""
    out: list[str] = []
    if "samples/id" not in f:
        return ["samples/id is missing"]
    n = f["samples/id"].shape[0]
    for name, ds in _datasets(f):
        parts = name.split("/")
        if parts[0] == "samples" and ds.shape[:1] != (n,):
            out.append(f"{name}: {ds.shape[0] if ds.shape else '?'} rows, but samples/id has {n}")
        if parts[0] == "embeddings" and parts[-1] in IN_PLACE_TABLES and ds.shape[:1] != (n,):
            out.append(f"{name}: {ds.shape[0] if ds.shape else '?'} rows, but there are {n} samples")
    if "samples/labels" in f and "columns" in f["samples"].attrs:
        try:
            ncol = len(json.loads(f["samples"].attrs["columns"]))
        except (ValueError, TypeError):
            return [*out, "samples: attribute 'columns' is not valid JSON"]
        if f["samples/labels"].shape[1:] != (ncol,):
            out.append(f"samples/labels: {f['samples/labels'].shape} does not match {ncol} columns")
    return out


def _check_table(verdict: Verdict, model_id: str, g: h5py.Group, rows: bool) -> None:
    from engine.store.layout import IMPORTED, PENDING

    done = np.asarray(g["done"][()])
    if np.any(done > IMPORTED):
        verdict.problems.append(f"{g.name}/done: values other than 0, 1, 2, 3 (damaged flags)")
        return
    if "truncated" in g and np.any(np.asarray(g["truncated"][()]) > 1):
        verdict.problems.append(f"{g.name}/truncated: values other than 0 and 1")
    if not rows or "row_crc32" not in g:
        return
    finished = np.flatnonzero(done != PENDING)
    bad = damaged_rows(g["vectors"], g["row_crc32"], finished)
    verdict.rows_checked += finished.size
    if bad:
        verdict.damaged_rows[model_id] = bad


def damaged_rows(vectors: h5py.Dataset, crc: h5py.Dataset, rows: np.ndarray) -> list[int]:
    """Finished rows whose bytes no longer match their CRC-32."""
    if rows.size == 0:
        return []
    stored = np.asarray(crc[()])[rows]
    actual = row_crc32(np.asarray(vectors[()])[rows])
    return [int(r) for r in rows[stored != actual]]


def verify(path: Path, *, rows: bool = True) -> Verdict:
    """Check a store's structure and every recorded checksum (``rows``: also the
    embeddings rows, by their CRC-32). Never raises for a damaged file: see ``problems``."""
    t0 = time.perf_counter()
    verdict = Verdict()
    try:
        _verify_into(verdict, path, rows)
    except Exception as exc:
        verdict.problems.append(f"HDF5 cannot read it ({type(exc).__name__}: "
                                f"{' '.join(str(exc).split())[:200]})")
    verdict.seconds = time.perf_counter() - t0
    return verdict


def _verify_into(verdict: Verdict, path: Path, rows: bool) -> None:
    from engine.store.layout import FORMAT, FORMAT_VERSION

    size = os.path.getsize(path)
    with h5py.File(path, "r", locking=False, rdcc_nbytes=0) as f:
        if f.attrs.get("format") != FORMAT:
            return  # not a store: the format check says so
        try:
            if int(f.attrs.get("format_version", 0)) > FORMAT_VERSION:
                return  # a newer AlignScope's store: the format check says so
        except (TypeError, ValueError):
            return  # the format check names the bad version
        expected = f.attrs.get("attrs_checksum")
        if expected is not None and attrs_digest(f) != _plain(expected):
            verdict.problems.append("attributes: checksum mismatch (names, settings or mapping changed)")
        for name, ds in _datasets(f):
            problem = _storage_problem(name, ds, size)
            if problem is not None:
                verdict.problems.append(problem)
        if verdict.problems:
            return
        verdict.problems += _layout_problems(f)
        for name, ds in _datasets(f):
            if not _checked(name):
                continue
            recorded = ds.attrs.get("checksum")
            if recorded is None:
                verdict.unchecked.append(name)
            elif dataset_digest(ds) != _plain(recorded):
                verdict.problems.append(f"{name}: checksum mismatch (its values changed)")
            else:
                verdict.checked += 1
        for modality in f.get("embeddings", {}):
            for model_id in f["embeddings"][modality]:
                _check_table(verdict, model_id, f["embeddings"][modality][model_id], rows)
        for name, ds in _datasets(f):
            if name.startswith("results/"):
                ds[()]  # readable at least (cached results carry no checksum)


def restamp(path: Path) -> None:
    """Record fresh checksums after a deliberate edit with plain h5py (tests, repairs)."""
    from engine.store.opening_check import trust

    with h5py.File(path, "r+", locking=False) as f:
        stamp(f)
    trust(path)
