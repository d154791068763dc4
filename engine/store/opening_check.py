"""The check every first open of a store runs, and what this process trusts without it.

Opening (:func:`ensure_sound`) runs :func:`engine.store.integrity.verify` in a child process
under a time limit: HDF5 can loop forever or crash on a damaged file, and neither can be
interrupted from inside the process. A damaged file therefore gives a clear message within
seconds, never a hang. A file this process wrote itself (or verified, unchanged since) is not
checked again; :class:`BackgroundCheck` starts the check early, beside other work.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from engine.errors import StoreError
from engine.store.integrity import Verdict, verify

PROBE_SECONDS = 8.0  # the child's time limit (the message must come within 10 s)
_LOCK = threading.Lock()
_VERIFIED: dict[str, tuple[int, int, int, int]] = {}
_WRITING: dict[str, int] = {}
_COLLECTED: dict[tuple[str, tuple[int, int, int, int]], Verdict] = {}  # by BackgroundCheck


def _probe_command(path: Path, rows: bool) -> list[str]:
    args = [str(path), "rows" if rows else "structure"]
    if getattr(sys, "frozen", False):
        return [sys.executable, "--alignscope-store-probe", *args]
    code = ("import sys; from engine.store.opening_check import probe_main; "
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
