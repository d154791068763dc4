"""Low-level HDF5 helpers: safe opening, atomic rewrites and pre-allocated tables.

Crash-safety rule of the store: the file's *structure* (groups, attributes, table
shapes) is only ever changed on a private copy that replaces the store with an atomic
``os.replace``; in place, an embed run only overwrites bytes of tables whose storage was
allocated when they were created. A SIGKILL at any instant therefore leaves either the
old or the new file, each complete and consistent.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from engine.errors import StoreError
from engine.store import integrity
from engine.store.layout import FORMAT, FORMAT_VERSION
from engine.version import __version__

STR = h5py.string_dtype("utf-8")
# h5py reports HDF5 failures as OSError, ValueError, RuntimeError or KeyError by error class
H5_ERRORS: tuple[type[Exception], ...] = (OSError, ValueError, RuntimeError, KeyError)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def open_read(path: Path) -> h5py.File:
    """Open for reading without HDF5 file locks (our own lock file guards writers), after
    the bounded integrity check (see engine.store.integrity)."""
    if not path.exists():
        raise StoreError(f"{path}: no such store (create it with: alignscope embed DATASET --store {path})")
    if not path.is_file():
        raise StoreError(f"{path}: not a file (a folder or a device?); give the project's .h5 file")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if head != b"\x89HDF\r\n\x1a\n":
        raise StoreError(f"{path}: cannot open as an HDF5 store (not an HDF5 file at all); "
                         "give the project's .h5 file")
    integrity.ensure_sound(path)
    try:
        f = h5py.File(path, "r", locking=False, rdcc_nbytes=0)
    except H5_ERRORS as exc:
        raise StoreError(f"{path}: cannot open as an HDF5 store ({_one_line(exc)})") from None
    check_format(f, path)
    from engine.safe_io import note_store

    note_store(path)
    return f


def open_update(path: Path) -> h5py.File:
    """Open for in-place row writes (only pre-allocated bytes are ever written)."""
    try:
        return h5py.File(path, "r+", locking=False, rdcc_nbytes=8 << 20)
    except H5_ERRORS as exc:
        raise StoreError(f"{path}: cannot open for writing ({_one_line(exc)})") from None


def check_format(f: h5py.File, path: Path) -> None:
    if f.attrs.get("format") != FORMAT:
        f.close()
        raise StoreError(f"{path}: not an AlignScope store (no '{FORMAT}' format mark)")
    raw_version = f.attrs.get("format_version", 0)
    try:
        version = int(raw_version)
    except (TypeError, ValueError):
        f.close()
        raise StoreError(f"{path}: its format_version is {str(raw_version)[:40]!r}, not a number: "
                         "the store is damaged or was not written by AlignScope") from None
    if version > FORMAT_VERSION:
        made_by = f.attrs.get("app_version", "?")
        f.close()
        raise StoreError(
            f"{path}: made by a newer AlignScope ({made_by}, store format {version}); this is "
            f"AlignScope {__version__} (format {FORMAT_VERSION}). Update AlignScope to open it."
        )


def disk_error(path: Path, exc: BaseException) -> StoreError:
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or "No space" in str(exc) \
            or "errno = 28" in str(exc):
        return StoreError(
            f"{path}: disk full while writing; the store was left as it was (finished rows "
            "are safe). Free some space and run the same command again."
        )
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreError(f"{path}: cannot write here (read-only folder or file); nothing changed")
    return StoreError(f"{path}: write failed ({_one_line(exc)}); the store was left as it was")


def _write_failure(exc: BaseException) -> bool:
    """An h5py error that is really a failed write (disk full, read-only, quota)."""
    return isinstance(exc, OSError) or "write failed" in str(exc) or "errno =" in str(exc)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_rewrite(path: Path, mutate: Callable[[h5py.File], None], *, fresh: bool = False) -> None:
    """Apply ``mutate`` to a private copy of the store, then replace the store atomically.

    ``fresh=True`` starts from an empty file instead of a copy. Any failure leaves the
    store untouched and removes the copy. A store reached through a symbolic link is
    rewritten where the link points (the link stays). Checksums are recorded last.
    """
    path = Path(os.path.realpath(path))
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        if fresh or not path.exists():
            f = h5py.File(tmp, "w", locking=False, libver="earliest")
        else:
            shutil.copyfile(path, tmp)
            f = h5py.File(tmp, "r+", locking=False)
        try:
            mutate(f)
            f.attrs["modified"] = now_text()
            integrity.stamp(f)
        finally:
            f.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
        integrity.trust(path)
    except H5_ERRORS as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, StoreError) or not _write_failure(exc):
            raise
        raise disk_error(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def remove_stale_copies(path: Path) -> None:
    """Delete private copies left by a killed writer (call with the writer lock held)."""
    path = Path(os.path.realpath(path))
    for stale in path.parent.glob(f".{path.name}.tmp-*"):
        with contextlib.suppress(OSError):
            stale.unlink()


def now_text() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def stamp_root(f: h5py.File) -> None:
    f.attrs["format"] = FORMAT
    f.attrs["format_version"] = FORMAT_VERSION
    f.attrs["app_version"] = __version__
    if "created" not in f.attrs:
        f.attrs["created"] = now_text()


def create_allocated(
    group: h5py.Group, name: str, shape: tuple[int, ...], dtype: Any,
    chunks: tuple[int, ...] | None = None,
) -> h5py.Dataset:
    """A zero-filled table whose storage is allocated now (later writes touch no metadata)."""
    dt = np.dtype(dtype)
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    if chunks is not None and all(s > 0 for s in shape):
        dcpl.set_chunk(chunks)
    dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
    dcpl.set_fill_time(h5py.h5d.FILL_TIME_ALLOC)
    dcpl.set_fill_value(np.zeros((), dt))
    space = h5py.h5s.create_simple(shape)
    tid = h5py.h5t.py_create(dt)
    dsid = h5py.h5d.create(group.id, name.encode("utf-8"), tid, space, dcpl=dcpl)
    return h5py.Dataset(dsid)


def write_strings(group: h5py.Group, name: str, values: Sequence[str]) -> None:
    group.create_dataset(name, data=np.array(list(values), dtype=object), dtype=STR)


def read_strings(ds: h5py.Dataset) -> list[str]:
    return [str(v) for v in ds.asstr()[()]]


def contiguous_runs(rows: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Sorted row indices → (start, stop) runs."""
    start = prev = -2
    for r in rows:
        if r != prev + 1:
            if start >= 0:
                yield start, prev + 1
            start = r
        prev = r
    if start >= 0:
        yield start, prev + 1
