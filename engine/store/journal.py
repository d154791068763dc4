"""In-place structural changes of a store under an undo journal (no whole-file copy).

HDF5 does not journal its own metadata: a process killed while the library writes a new
group's metadata can leave the file unreadable. AlignScope therefore opens the store for
a structural change through :class:`JournaledFile`, a file object handed to h5py's
``fileobj`` driver. Before any byte *below the store's size at the start* (``L0``) is
overwritten, its old content is appended to ``.STORE.h5.journal`` beside the real file and
fsynced; bytes at or above ``L0`` are new and need no undo. The change is committed by
fsyncing the store and deleting the journal. A journal left behind by a killed writer is
rolled back (old bytes restored in reverse order, file cut back to ``L0``) by the next
writer or reader: the store is then byte for byte what it was before the interrupted
change, so a kill loses at most that change.

The writer holds an ``flock`` on the journal for as long as the change runs, so a journal
whose lock can be taken is stale. Readers wait while a change runs (they take a few
hundred milliseconds) and roll back a stale journal when they can write the file.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import logging
import os
import struct
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import h5py

from engine.errors import StoreError
from engine.safe_io import fsync_dir

log = logging.getLogger(__name__)

MAGIC = b"ALIGNSCOPE-UNDO1"
_HEADER = struct.Struct("<16sQI")  # magic, original size, crc32 of the two
_RECORD = struct.Struct("<QII")  # offset, length, crc32(offset/length + old bytes)
WAIT_SECONDS = 60.0  # longest a reader waits for a running change (an import of 1M rows)


def real_path(path: Path) -> Path:
    """The file a (possibly symlinked) store path really names."""
    return Path(os.path.realpath(path))


def journal_path(store: Path) -> Path:
    real = real_path(store)
    return real.with_name(f".{real.name}.journal")



class EarlyWriteback:
    """Starts the disk writes of a large file being written, every ``step`` bytes, with
    Linux's ``sync_file_range(SYNC_FILE_RANGE_WRITE)``: asynchronous (it waits for nothing),
    so the closing fsync finds little left to flush. Only an early start: durability still
    comes from that fsync. Elsewhere (no such call) it does nothing."""

    STEP = 32 << 20

    def __init__(self, fd: int, step: int = STEP) -> None:
        self._fd = fd
        self._step = step
        self._pending = 0

    def wrote(self, n: int) -> None:
        self._pending += n
        if self._pending >= self._step:
            self._pending = 0
            call = _sync_file_range()
            if call is not None:
                call(self._fd, 0, 0, 2)  # SYNC_FILE_RANGE_WRITE, the whole file; errors ignored


@functools.cache
def _sync_file_range() -> Callable[[int, int, int, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        call = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    call.restype = ctypes.c_int
    return cast(Callable[[int, int, int, int], int], call)


def _record_crc(offset: int, old: bytes) -> int:
    return zlib.crc32(old, zlib.crc32(struct.pack("<QI", offset, len(old))))


class JournaledFile:
    """Raw file object over the store for h5py's ``fileobj`` driver; journals overwrites."""

    def __init__(self, store_fd: int, journal_fd: int, original_size: int) -> None:
        self._fd = store_fd
        self._jfd = journal_fd
        self.original_size = original_size
        self._pos = 0
        self.saved: list[tuple[int, bytes]] = []  # (offset, old bytes), in journal order
        self._writeback = EarlyWriteback(store_fd)  # the commit's fsync then has little left

    # -- the file-object protocol h5py uses -------------------------------------------------
    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_SET:
            self._pos = offset
        elif whence == os.SEEK_CUR:
            self._pos += offset
        else:
            self._pos = os.fstat(self._fd).st_size + offset
        return self._pos

    def tell(self) -> int:
        return self._pos

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = max(0, os.fstat(self._fd).st_size - self._pos)
        data = os.pread(self._fd, size, self._pos)
        self._pos += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        n = os.preadv(self._fd, [buffer], self._pos)
        self._pos += n
        return n

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self._save(self._pos, len(view))
        written = 0
        while written < len(view):
            written += os.pwrite(self._fd, view[written:], self._pos + written)
        self._pos += written
        self._writeback.wrote(written)
        return written

    def truncate(self, size: int | None = None) -> int:
        new_size = self._pos if size is None else size
        current = os.fstat(self._fd).st_size
        if new_size < min(current, self.original_size):
            self._save(new_size, min(current, self.original_size) - new_size)
        os.ftruncate(self._fd, new_size)
        return new_size

    def flush(self) -> None:
        return None

    # -- the journal --------------------------------------------------------------------------
    def _save(self, offset: int, length: int) -> None:
        """Journal (and fsync) the old bytes of [offset, offset+length) below the original size."""
        stop = min(offset + length, self.original_size)
        if offset >= stop:
            return
        old = os.pread(self._fd, stop - offset, offset)
        record = _RECORD.pack(offset, len(old), _record_crc(offset, old)) + old
        done = 0
        while done < len(record):
            done += os.write(self._jfd, record[done:])
        os.fsync(self._jfd)
        self.saved.append((offset, old))


def _write_header(jfd: int, size: int) -> None:
    head = MAGIC + struct.pack("<Q", size)
    os.write(jfd, _HEADER.pack(MAGIC, size, zlib.crc32(head)))
    os.fsync(jfd)


def _read_journal(jpath: Path) -> tuple[int, list[tuple[int, bytes]]] | None:
    """(original size, complete records) of a journal; None when even the header is torn
    (then nothing of the store was written yet)."""
    data = jpath.read_bytes()
    if len(data) < _HEADER.size:
        return None
    magic, size, crc = _HEADER.unpack_from(data, 0)
    if magic != MAGIC or crc != zlib.crc32(MAGIC + struct.pack("<Q", size)):
        return None
    records: list[tuple[int, bytes]] = []
    pos = _HEADER.size
    while pos + _RECORD.size <= len(data):
        offset, length, crc = _RECORD.unpack_from(data, pos)
        old = data[pos + _RECORD.size: pos + _RECORD.size + length]
        if len(old) != length or _record_crc(offset, old) != crc:
            break  # torn last record: the store write it announced never happened
        records.append((offset, old))
        pos += _RECORD.size + length
    return size, records


def _roll_back(store_fd: int, size: int, records: list[tuple[int, bytes]]) -> None:
    for offset, old in reversed(records):
        os.pwrite(store_fd, old, offset)
    os.ftruncate(store_fd, size)
    os.fsync(store_fd)


def recover(store: Path) -> bool:
    """Roll back a change a killed writer left half done. True when one was rolled back.

    Waits while a live writer holds the journal. Raises StoreError when a stale journal
    cannot be rolled back because the store cannot be written.
    """
    jpath = journal_path(store)
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            jfd = os.open(jpath, os.O_RDONLY)
        except FileNotFoundError:
            return False
        try:
            try:
                fcntl.flock(jfd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(f"{store}: another AlignScope process has been writing it for "
                                     f"over {WAIT_SECONDS:.0f} s; try again when it is done") from None
                time.sleep(0.05)
                continue
            try:
                same = os.fstat(jfd).st_ino == os.stat(jpath).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                continue  # finished or rolled back meanwhile: look again
            _roll_back_stale(store, jpath)
            return True
        finally:
            os.close(jfd)


def _roll_back_stale(store: Path, jpath: Path) -> None:
    parsed = _read_journal(jpath)
    if parsed is not None:
        size, records = parsed
        try:
            fd = os.open(real_path(store), os.O_RDWR)
        except OSError as exc:
            raise StoreError(
                f"{store}: a result write was interrupted and cannot be undone here ({exc.strerror}); "
                "open the store once with write access (e.g. alignscope info) to repair it") from exc
        try:
            _roll_back(fd, size, records)
        finally:
            os.close(fd)
        log.warning("%s: rolled back an interrupted change (%d journal records)", store, len(records))
    try:
        jpath.unlink()
    except OSError as exc:
        raise StoreError(f"{store}: cannot remove the journal {jpath} ({exc.strerror})") from exc
    fsync_dir(jpath.parent)


@contextlib.contextmanager
def journaled_update(store: Path) -> Iterator[h5py.File]:
    """The store opened read-write in place for a structural change, committed on exit.

    The caller holds the writer lock. Any exception (also a full disk) rolls the change
    back; a SIGKILL is rolled back by the next open.
    """
    from engine.store import integrity, opening_check
    from engine.store.h5io import disk_error, now_text

    real = real_path(store)
    recover(real)
    jpath = journal_path(real)
    size = os.stat(real).st_size
    jfd = _create_journal(store, jpath, size)
    store_fd = -1
    raw: JournaledFile | None = None
    try:
        store_fd = os.open(real, os.O_RDWR)
        raw = JournaledFile(store_fd, jfd, size)
        f = h5py.File(raw, "r+")
        try:
            yield f
            f.attrs["modified"] = now_text()
            # in-place changes touch no checked dataset (results and embedding tables are not
            # checksummed; new tables carry row CRCs); the attributes' checksum is renewed
            f.attrs["attrs_checksum"] = integrity.attrs_digest(f)
        finally:
            f.close()
        os.fsync(store_fd)
    except BaseException as exc:
        try:
            if raw is not None:
                _roll_back(store_fd, raw.original_size, raw.saved)
        except OSError:
            # keep the journal: the next open rolls the change back from it
            log.exception("%s: rolling back a failed change; left to the next open", store)
            _close(jfd, store_fd)
        else:
            _drop_journal(jpath, jfd, store_fd)
        if isinstance(exc, OSError):
            raise disk_error(store, exc) from exc
        if isinstance(exc, RuntimeError) and "errno = 28" in str(exc):
            raise disk_error(store, OSError(errno.ENOSPC, str(exc))) from exc
        raise
    _drop_journal(jpath, jfd, store_fd)
    opening_check.trust(real)


def _create_journal(store: Path, jpath: Path, size: int) -> int:
    """A locked journal with its header, put in place in one step (a reader never sees
    an unlocked or header-less journal and takes it for a stale one)."""
    from engine.store.h5io import disk_error

    tmp = jpath.with_name(f"{jpath.name}.new-{os.getpid()}")
    try:
        jfd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    except OSError as exc:
        raise disk_error(store, exc) from exc
    try:
        fcntl.flock(jfd, fcntl.LOCK_EX)
        _write_header(jfd, size)
        os.link(tmp, jpath)
        fsync_dir(jpath.parent)
    except OSError as exc:
        os.close(jfd)
        raise disk_error(store, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return jfd


def _drop_journal(jpath: Path, jfd: int, store_fd: int) -> None:
    with contextlib.suppress(OSError):
        jpath.unlink()
    fsync_dir(jpath.parent)
    _close(jfd, store_fd)


def _close(jfd: int, store_fd: int) -> None:
    os.close(jfd)  # releases the journal's flock
    if store_fd >= 0:
        os.close(store_fd)
