"""Integrity of a project store: checksums written with the data, checked when it is opened.

What is recorded (plain h5py can verify it; docs/store.md):
- every dataset a structural rewrite writes (all but the embeddings tables and cached
  results) carries the attribute ``checksum`` = ``"sha256:<hex>"`` of its values
  (:func:`dataset_digest`);
- each embeddings table, written row by row in place, has ``row_crc32`` (uint32 [n]): the
  CRC-32 of each finished row's float32 bytes, little-endian, written with the row;
- the root attribute ``attrs_checksum`` covers every attribute outside ``/results``.

Opening (:func:`ensure_sound`) runs :func:`verify` in a child process under a time limit:
HDF5 can loop forever or crash on a damaged file, and neither can be interrupted from
inside the process. A damaged file therefore gives a clear message within seconds, never a
hang. A file this process wrote itself (or verified, unchanged since) is not checked again.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import h5py
import numpy as np

from engine.errors import StoreError
from engine.typed_json import JSONObject

PROBE_SECONDS = 8.0  # the child's time limit (the message must come within 10 s)
IN_PLACE_TABLES = ("vectors", "done", "truncated", "row_crc32")
_SKIP_ATTRS = frozenset({"checksum", "attrs_checksum"})
_LOCK = threading.Lock()
_VERIFIED: dict[str, tuple[int, int, int, int]] = {}
_WRITING: dict[str, int] = {}
_COLLECTED: dict[tuple[str, tuple[int, int, int, int]], Verdict] = {}  # by BackgroundCheck


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


# ------------------------------------------------------------------- child process
def _probe_command(path: Path, rows: bool) -> list[str]:
    args = [str(path), "rows" if rows else "structure"]
    if getattr(sys, "frozen", False):
        return [sys.executable, "--alignscope-store-probe", *args]
    code = ("import sys; from engine.store.integrity import probe_main; "
            "sys.exit(probe_main(sys.argv[1:]))")
    return [sys.executable, "-c", code, *args]


def probe_main(argv: list[str]) -> int:
    """Child-process entry: verify, print one JSON line."""
    try:
        import resource

        limit = 4 << 30
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass
    verdict = verify(Path(argv[0]), rows=len(argv) < 2 or argv[1] == "rows")
    print(json.dumps(verdict.to_json()), flush=True)
    return 0


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    paths = [os.path.abspath(p) if p else os.getcwd() for p in sys.path]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    return env


def _spawn_probe(path: Path, rows: bool) -> subprocess.Popen[bytes]:
    return subprocess.Popen(_probe_command(path, rows), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=_child_env())


def _collect(child: subprocess.Popen[bytes], timeout: float) -> Verdict:
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return Verdict(problems=[f"checking it did not finish within {timeout:.0f} s (HDF5 "
                                 "loops on damaged metadata)"])
    lines = out.decode("utf-8", "replace").strip().splitlines()
    try:
        data = json.loads(lines[-1]) if lines else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        code = child.returncode
        how = f"signal {-code}" if code < 0 else f"status {code}"
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        return Verdict(problems=[f"reading it crashed the checker ({how}) {tail[0][:160]}".strip()])
    return Verdict(problems=list(data["problems"]), damaged_rows=dict(data["damaged_rows"]),
                   checked=int(data["checked"]), unchecked=list(data["unchecked"]),
                   rows_checked=int(data["rows_checked"]), seconds=float(data["seconds"]))


def run_probe(path: Path, *, rows: bool = False, timeout: float = PROBE_SECONDS) -> Verdict:
    """:func:`verify` in a child process; a hang or a crash becomes a problem, not a hang."""
    return _collect(_spawn_probe(path, rows), timeout)


class BackgroundCheck:
    """The opening check of :func:`ensure_sound`, started now in its child process while the
    caller does other work (reading a source file); :meth:`wait` collects the verdict, which
    the next :func:`ensure_sound` of the unchanged file uses instead of a second child: a
    sound store opens at once, a damaged one is named as every open names it. Use as a
    context manager (an error kills the child)."""

    def __init__(self, path: Path) -> None:
        self._key = _key(path)
        self._child: subprocess.Popen[bytes] | None = None
        if self._key is not None and not _known_sound(self._key):
            self._child = _spawn_probe(path, rows=False)

    def wait(self) -> None:
        child, self._child = self._child, None
        if child is None or self._key is None:
            return
        verdict = _collect(child, PROBE_SECONDS)
        if _key(Path(self._key[0])) == self._key:
            with _LOCK:  # the next open of this very file uses it (no second child)
                _COLLECTED[self._key] = verdict

    def __enter__(self) -> BackgroundCheck:
        return self

    def __exit__(self, *exc: object) -> None:
        child, self._child = self._child, None
        if child is not None:
            child.kill()
            child.communicate()


def _key(path: Path) -> tuple[str, tuple[int, int, int, int]] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return os.path.realpath(path), (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _known_sound(key: tuple[str, tuple[int, int, int, int]]) -> bool:
    with _LOCK:
        return key[0] in _WRITING or _VERIFIED.get(key[0]) == key[1]


def trust(path: Path) -> None:
    """This process just wrote ``path`` completely: no need to check it when it is opened."""
    key = _key(path)
    if key is not None:
        with _LOCK:
            _VERIFIED[key[0]] = key[1]


def writing(path: Path, active: bool) -> None:
    """Mark a store as being written in place by this process (opening it skips the check)."""
    real = os.path.realpath(path)
    with _LOCK:
        _WRITING[real] = _WRITING.get(real, 0) + (1 if active else -1)
        if _WRITING[real] <= 0:
            del _WRITING[real]
    if not active:
        trust(path)


def damaged_message(path: Path, problems: list[str]) -> str:
    shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
    return (f"{path} is damaged: {shown}. AlignScope will not read it as it is: restore it from a "
            "backup, or build a new project from the dataset (alignscope embed DATASET --store "
            "NEW.h5). `alignscope info --check` lists every problem")


def ensure_sound(path: Path) -> None:
    """Raise StoreError naming the damage when ``path`` fails the bounded integrity check."""
    key = _key(path)
    if key is None or _known_sound(key):
        return  # missing (the caller says so), written or checked by this process
    with _LOCK:
        verdict = _COLLECTED.pop(key, None)
    if verdict is None:
        verdict = run_probe(path)
    if not verdict.ok:
        raise StoreError(damaged_message(path, verdict.problems))
    with _LOCK:
        _VERIFIED[key[0]] = key[1]


def restamp(path: Path) -> None:
    """Record fresh checksums after a deliberate edit with plain h5py (tests, repairs)."""
    with h5py.File(path, "r+", locking=False) as f:
        stamp(f)
    trust(path)
