"""One writer at a time: an advisory lock file beside the store that names its holder.

The kernel drops an ``flock`` when its process dies, so a SIGKILLed ``embed`` never leaves
a stale lock behind; the PID written into the file is only there for the message. The lock
belongs to the store's real path (symbolic links resolved), so two names of one store share
one lock.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
from pathlib import Path

from engine.errors import StoreError


def lock_path(store: Path) -> Path:
    real = Path(os.path.realpath(store))
    return real.with_name(real.name + ".lock")


class WriterLock:
    """Exclusive, non-blocking writer lock on ``STORE.h5.lock``."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.path = lock_path(store)
        self._fd: int | None = None

    def acquire(self) -> None:
        folder = self.path.parent
        if not folder.is_dir():
            raise StoreError(f"{self.store}: folder {folder} does not exist")
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise StoreError(
                    f"{self.store}: folder {folder} is read-only; copy the store to a "
                    "writable folder (nothing was changed)"
                ) from exc
            raise StoreError(f"{self.store}: cannot create lock file ({exc.strerror})") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise StoreError(
                f"{self.store} is in use by PID {holder} (another AlignScope job is writing "
                "it); wait for it to finish or stop it"
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {' '.join(sys.argv[:3])}\n".encode(), 0)
        except OSError:
            pass  # the lock holds even when the note cannot be written (disk full)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return "?"
    return text.split(" ", 1)[0] if text else "?"
