"""What AlignScope may read and how it writes: the file-access policy and atomic outputs.

Reading a dataset (every path a manifest names or a folder holds):
- the path is resolved, symbolic links included, and must stay inside the dataset folder
  unless the user opted in to a place outside it (``--allow-outside PATH``, or the import
  dialog's check box);
- only regular files are read (never a device, pipe, socket or folder), and only up to a
  size limit per kind of file; both are checked before the first byte is read, and again on
  the opened file itself.

Writing (PDF, CSV, JSON, NPY, project-store rewrites):
- an output never replaces an input: not a project store (any HDF5 file), not a file this
  process read as input (stores opened, manifests, images, text lists), not a device;
- every write goes to a temporary file in the target's own folder, is flushed to disk and
  renamed over the target (through a symbolic link the file it points to is updated), so a
  kill at any instant leaves either the old or the new file.

CSV cells never start like a spreadsheet formula (:func:`write_csv` is the one CSV writer);
terminal output never carries control characters (:func:`terminal_text`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import secrets
import stat
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from engine.errors import InputError

log = logging.getLogger(__name__)

MIB = 1 << 20
GIB = 1 << 30
MAX_IMAGE_BYTES = 512 * MIB  # a 64-megapixel 16-bit RGBA TIFF fits; a 3 GB ".jpg" does not
MAX_REPORT_BYTES = 4 * MIB  # one report .txt file
MAX_MANIFEST_BYTES = 1 * GIB  # a manifest (CSV/TSV/JSONL/XLSX file on disk)
MAX_TEXT_LIST_BYTES = 1 * GIB  # `alignscope encode --texts FILE`
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


class Refused(InputError):
    """A file the access policy will not read; the message is the reason, for the quarantine."""


def human_bytes(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@dataclass(frozen=True)
class InputFile:
    """A dataset file the policy accepted: the path as named and the file actually read."""

    path: Path  # absolute, normalised, symbolic links kept (what the store records)
    real: Path  # symbolic links resolved
    size: int
    mtime_ns: int
    outside: bool  # outside the dataset folder, read because the user opted in


@dataclass(frozen=True)
class AccessPolicy:
    """Where dataset files may come from: ``root`` and the folders the user allowed."""

    root: Path
    allow_outside: tuple[Path, ...] = ()
    # folder → its real path, for this policy's one import (thousands of files share folders)
    _dirs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def real_root(self) -> str:
        return self._real_dir(str(self.root))

    def _real_dir(self, folder: str) -> str:
        real = self._dirs.get(folder)
        if real is None:
            real = self._dirs[folder] = os.path.realpath(folder)
        return real

    def _resolve(self, joined: str) -> tuple[str, os.stat_result | None]:
        """(real path, its stat when it is not a link) with one lstat for a plain file."""
        try:
            st = os.lstat(joined)
        except OSError:
            return os.path.realpath(joined), None
        if stat.S_ISLNK(st.st_mode):
            return os.path.realpath(joined), None
        parent, name = os.path.split(joined)
        return os.path.join(self._real_dir(parent), name), st

    def _allowed(self, real: str) -> bool:
        return any(_under(real, os.path.realpath(p)) for p in self.allow_outside)

    def locate(self, name: str, what: str) -> InputFile:
        """Resolve ``name`` (relative to the root, or absolute) and check it; raises Refused."""
        if not name:
            raise Refused(f"no {what} path given")
        if "\x00" in name:
            raise Refused(f"{what} path holds a NUL character (refused)")
        posix = name.replace("\\", "/")
        drive = len(posix) > 1 and posix[1] == ":"
        absolute = os.path.isabs(posix) or drive
        joined = os.path.normpath(posix if absolute else os.path.join(str(self.root), posix))
        root = os.path.normpath(str(self.root))
        try:
            real, known = self._resolve(joined)
        except OSError as exc:  # e.g. a symbolic-link loop
            raise Refused(f"{what} path '{name}' cannot be resolved ({exc.strerror or exc})") from None
        inside = _under(real, self.real_root)
        outside = not inside
        if outside and not self._allowed(real):
            hint = f"; to read files there: --allow-outside {os.path.dirname(real) or real}"
            if not _under(joined, root) or drive:
                raise Refused(f"{what} path '{name}' escapes the dataset folder {root} (refused{hint})")
            raise Refused(f"{what} '{name}' is a symbolic link to {real}, outside the dataset "
                          f"folder {root} (refused{hint})")
        st = _stat_regular(real, name, what, known)
        return InputFile(Path(joined), Path(real), st.st_size, st.st_mtime_ns, outside)


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file, not a regular file (refused)"
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a regular file (refused)"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file (refused)"
    return "not a regular file (refused)"


def _missing(what: str, name: str) -> str:
    return "missing file" if what == "image" else f"missing {what} file {name}"


def _stat_regular(path: str | Path, name: str, what: str,
                  known: os.stat_result | None = None) -> os.stat_result:
    try:
        st = known or os.stat(path)
    except FileNotFoundError:
        raise Refused(_missing(what, name)) from None
    except OSError as exc:
        raise Refused(f"cannot read the {what} file '{name}' ({exc.strerror or exc})") from None
    kind = _kind(st.st_mode)
    if kind is not None:
        raise Refused("not a file (a folder?)" if stat.S_ISDIR(st.st_mode) else f"{what} '{name}' is {kind}")
    return st


def _limit_message(name: str, what: str, size: int, limit: int) -> str:
    return (f"{what} file '{name}' is {human_bytes(size)}, above the {human_bytes(limit)} limit "
            f"for a {what} file (refused)")


@contextlib.contextmanager
def open_input(path: Path, what: str, limit: int, name: str | None = None) -> Iterator[BinaryIO]:
    """Open a regular file for reading, refusing special and oversize files before reading."""
    shown = name or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise Refused(_missing(what, shown)) from None
    except OSError as exc:
        raise Refused(f"cannot read the {what} file '{shown}' ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        kind = _kind(st.st_mode)
        if kind is not None:
            raise Refused(f"{what} '{shown}' is {kind}")
        if st.st_size > limit:
            raise Refused(_limit_message(shown, what, st.st_size, limit))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh


def read_input(path: Path, what: str, limit: int, name: str | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (Refused otherwise)."""
    shown = name or str(path)
    with open_input(path, what, limit, name) as fh:
        try:
            st = os.fstat(fh.fileno())
            data = fh.read(st.st_size + 1)  # (asking for `limit` bytes would allocate them)
            while len(data) <= limit and len(data) > st.st_size:  # grew, or a /proc-like file
                more = fh.read(1 << 20)
                if not more:
                    break
                data += more
        except OSError as exc:
            raise Refused(f"cannot read the {what} file '{shown}' ({exc.strerror or exc})") from None
    if len(data) > limit:  # e.g. a /proc file that reports size 0
        raise Refused(_limit_message(shown, what, len(data), limit))
    with _LOCK:
        _INPUT_IDS.add((st.st_dev, st.st_ino))
    return data


# ------------------------------------------------------------------------- outputs
_LOCK = threading.Lock()
_INPUT_IDS: set[tuple[int, int]] = set()
_STORES: dict[str, tuple[int, int]] = {}


def _identity(path: Path | str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def note_input(path: Path | str) -> None:
    """Remember a file this process read as input: no output may replace it."""
    ident = _identity(path)
    if ident is not None:
        with _LOCK:
            _INPUT_IDS.add(ident)


def note_store(path: Path | str) -> None:
    """Remember a project store this process opened: neither it nor its dataset's files
    (manifest, images) may be replaced by an output."""
    ident = _identity(path)
    if ident is not None:
        with _LOCK:
            _STORES[os.path.realpath(path)] = ident
            _INPUT_IDS.add(ident)


def _store_files(store: str) -> list[str]:
    """The manifest and image files a store was made from (empty when unreadable)."""
    try:
        import h5py

        with h5py.File(store, "r", locking=False) as f:
            files = [str(f["dataset"].attrs.get("source", ""))] if "dataset" in f else []
            if "samples/image" in f:
                files += [str(v) for v in f["samples/image"].asstr()[()]]
            return files
    except (OSError, KeyError, ValueError, RuntimeError) as exc:
        log.debug("cannot list the files of %s: %s", store, exc)
        return []


def _protected_reason(real: Path) -> str | None:
    ident = _identity(real)
    if ident is None:
        return None
    try:
        with open(real, "rb") as fh:
            head = fh.read(len(HDF5_SIGNATURE))
    except OSError:
        head = b""
    if head == HDF5_SIGNATURE:
        return "it is an HDF5 file (an AlignScope project store?)"
    with _LOCK:
        known = ident in _INPUT_IDS
        stores = list(_STORES)
    if known:
        return "it is an input of this run"
    for store in stores:
        for name in _store_files(store):
            if name and _identity(name) == ident:
                return f"it is a file of the dataset of {store}"
    return None


def check_output(target: Path | str, what: str, others: Iterable[Path | str | None] = ()) -> Path:
    """The real path an output will be written to, after refusing any target that would
    replace an input, a store, a device or a folder, or that another output also uses."""
    target = Path(target)
    real = Path(os.path.realpath(target))
    if not real.parent.is_dir():
        raise InputError(f"cannot write the {what} to {target}: folder {real.parent} does not exist")
    try:
        st = os.stat(real)
    except OSError:
        st = None
    if st is not None:
        kind = _kind(st.st_mode)
        if kind is not None:
            raise InputError(f"cannot write the {what} to {target}: it is {kind.split(' (')[0]}; "
                             "choose a file name")
        reason = _protected_reason(real)
        if reason is not None:
            raise InputError(f"refusing to write the {what} to {target}: {reason}, and an output "
                             "never replaces an input. Choose another file name (nothing was written)")
    for other in others:
        if other is not None and os.path.realpath(other) == str(real):
            raise InputError(f"{target} is given for two outputs; choose a different name for the {what}")
    return real


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: some file systems refuse)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def replace_durably(tmp: Path, target: Path) -> None:
    """Flush ``tmp`` to disk, rename it over ``target`` and make the rename durable."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    fsync_dir(target.parent)


@contextlib.contextmanager
def atomic_output(target: Path | str, what: str, *, checked: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; when the block ends without error, the
    temporary file is flushed to disk and renamed over the target. ``checked``: the caller
    already ran :func:`check_output`."""
    real = Path(os.path.realpath(target)) if checked else check_output(target, what)
    tmp = real.with_name(f".{real.name}.tmp-{os.getpid()}-{secrets.token_hex(3)}{real.suffix}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        os.close(fd)
        yield tmp
        replace_durably(tmp, real)
    except OSError as exc:
        raise InputError(f"cannot write the {what} to {target}: {exc.strerror or exc} "
                         "(an existing file there was left as it was)") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_bytes(target: Path | str, data: bytes, what: str, *, checked: bool = False) -> Path:
    """Write ``data`` atomically (see :func:`atomic_output`); returns ``target`` as a Path."""
    with atomic_output(target, what, checked=checked) as tmp:
        tmp.write_bytes(data)
    return Path(target)


# ----------------------------------------------------------------------------- CSV
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (numbers stay as they are)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    if text.lstrip(" ").startswith(FORMULA_START):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """The CSV as text: CRLF lines, every cell escaped (header too), no BOM."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buf.getvalue()


def csv_bytes(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with BOM (Excel opens it as UTF-8) of :func:`csv_text`."""
    return ("\ufeff" + csv_text(header, rows)).encode("utf-8")


def write_csv(target: Path | str, header: Sequence[object], rows: Iterable[Sequence[object]],
              what: str = "CSV") -> Path:
    """The one CSV writer: escaped cells, atomic, never over an input."""
    return write_bytes(target, csv_bytes(header, rows), what)


# ------------------------------------------------------------------------ terminal
_BIDI = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}


def terminal_text(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with control characters (ANSI escapes, C1, bidi overrides, undecodable
    file-name bytes) shown as escapes, so printing it cannot drive the terminal."""
    out = []
    for ch in str(text):
        code = ord(ch)
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in _BIDI:
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
