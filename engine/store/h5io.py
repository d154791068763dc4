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
from engine.safe_io import replace_durably
from engine.store import integrity, journal, opening_check
from engine.store.layout import FORMAT, FORMAT_VERSION
from engine.version import __version__

STR = h5py.string_dtype("utf-8")
# h5py reports HDF5 failures as OSError, ValueError, RuntimeError or KeyError by error class
H5_ERRORS: tuple[type[Exception], ...] = (OSError, ValueError, RuntimeError, KeyError)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def require_store_file(path: Path) -> None:
    """Raise StoreError unless ``path`` is an existing file that starts like an HDF5 file."""
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


def open_read(path: Path) -> h5py.File:
    """Open for reading without HDF5 file locks (our own lock file guards writers), after
    the bounded integrity check (see engine.store.opening_check).

    Waits while another process changes the structure in place (see journal.py) and rolls
    back a change a killed writer left half done, so the file read is consistent.
    """
    require_store_file(path)
    for _attempt in range(20):
        journal.recover(path)
        opening_check.ensure_sound(path)
        try:
            f = h5py.File(path, "r", locking=False, rdcc_nbytes=0)
        except H5_ERRORS as exc:
            if journal.journal_path(path).exists():
                continue  # a change started while we opened: wait for it, then again
            raise StoreError(f"{path}: cannot open as an HDF5 store ({_one_line(exc)})") from None
        if not journal.journal_path(path).exists():
            break
        f.close()
    else:
        raise StoreError(f"{path}: it is being changed again and again by another process; try later")
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



def atomic_rewrite(path: Path, mutate: Callable[[h5py.File], None], *, fresh: bool = False) -> None:
    """Apply ``mutate`` to a private copy of the store, then replace the store atomically.

    ``fresh=True`` starts from an empty file instead of a copy. Any failure leaves the
    store untouched and removes the copy. A store reached through a symbolic link is
    rewritten where the link points (the link stays). Checksums are recorded last.
    """
    path = journal.real_path(path)  # a symlinked store is rewritten where it really lives (the link stays)
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
        replace_durably(tmp, path)
        opening_check.trust(path)
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
    """Delete private copies left by a killed writer and roll back a change it left half
    done (call with the writer lock held)."""
    real = journal.real_path(path)
    for folder, name in {(path.parent, path.name), (real.parent, real.name)}:
        for pattern in (f".{name}.tmp-*", f".{name}.journal.new-*"):
            for stale in folder.glob(pattern):
                with contextlib.suppress(OSError):
                    stale.unlink()
    journal.recover(path)


def compact(path: Path) -> tuple[int, int]:
    """Rewrite the store without the space freed by replaced results; (bytes before, after).

    Atomic: a copy in the same folder as the real file (a symlinked store stays a symlink)
    replaces it by rename. The caller holds the writer lock.
    """
    real = journal.real_path(path)
    before = real.stat().st_size
    mode = real.stat().st_mode & 0o777

    def copy_all(dst: h5py.File) -> None:
        with h5py.File(real, "r", locking=False) as src:
            for key, value in src.attrs.items():
                dst.attrs[key] = value
            for name in src:
                src.copy(src[name], dst, name=name)

    journal.recover(real)
    atomic_rewrite(real, copy_all, fresh=True)
    with contextlib.suppress(OSError):
        os.chmod(real, mode)
    return before, real.stat().st_size


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
    chunks: tuple[int, ...] | None = None, *, fill: bool = True,
) -> h5py.Dataset:
    """A zero-filled table whose storage is allocated now (later writes touch no metadata).

    ``fill=False`` allocates without writing the zeros, for a caller that writes every
    byte at once (import-embeddings: half the bytes written)."""
    dt = np.dtype(dtype)
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    if chunks is not None and all(s > 0 for s in shape):
        dcpl.set_chunk(chunks)
    dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
    dcpl.set_fill_time(h5py.h5d.FILL_TIME_ALLOC if fill else h5py.h5d.FILL_TIME_NEVER)
    dcpl.set_fill_value(np.zeros((), dt))
    space = h5py.h5s.create_simple(shape)
    tid = h5py.h5t.py_create(dt)
    dsid = h5py.h5d.create(group.id, name.encode("utf-8"), tid, space, dcpl=dcpl)
    return h5py.Dataset(dsid)


def write_strings(group: h5py.Group, name: str, values: Sequence[str]) -> None:
    group.create_dataset(name, data=np.array(list(values), dtype=object), dtype=STR)


STRING_BLOCK = 8192  # strings decoded per HDF5 call
ROW_BLOCK_BYTES = 16 << 20  # bytes of a numeric table read per HDF5 call


def read_strings(ds: h5py.Dataset, column: int | None = None) -> list[str]:
    """A string table (or one column of a 2-D one) as a list, decoded by blocks of rows:
    one HDF5 call holds the GIL until it returns, so a worker reading 100,000 strings in
    one call would stall the GUI thread for as long."""
    n = int(ds.shape[0])
    text = ds.asstr()
    out: list[str] = []
    for start in range(0, n, STRING_BLOCK):
        stop = min(start + STRING_BLOCK, n)
        block = text[start:stop] if column is None else text[start:stop, column]
        out.extend(str(v) for v in block)
    return out


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


def read_rows(ds: h5py.Dataset) -> np.ndarray:
    """A 2-D float32 table read by blocks of rows (h5py holds the GIL for a whole call: one
    call for 500 MB would stall a GUI thread for as long)."""
    n = int(ds.shape[0])
    out = np.empty(ds.shape, dtype=np.float32)
    row_bytes = max(1, int(np.prod(ds.shape[1:])) * 4)
    step = max(1, ROW_BLOCK_BYTES // row_bytes)
    for start in range(0, n, step):
        sel = np.s_[start:min(start + step, n)]
        ds.read_direct(out, sel, sel)
    return out
