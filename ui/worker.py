"""The one worker abstraction: run an engine callable off the GUI thread.

    job = Job(fn, *args, title="Embedding", **kwargs)   # fn(*args, progress=cb, **kwargs)
    job.progressed.connect(...)      # (done, total, message, rate_per_s, eta_s or -1)
    job.succeeded.connect(...)       # (result)
    job.failed.connect(...)          # (message, details): a readable line + the traceback
    job.cancelled.connect(...)       # ()
    job.done.connect(...)            # () always last, whatever happened
    job.start(); job.cancel(); job.wait(ms)

The engine's :data:`engine.progress.Progress` callback is given to ``fn`` as ``progress=``;
it forwards progress to the GUI through queued signals (throttled to ~20 per second) and
raises :class:`engine.progress.Cancelled` once :meth:`Job.cancel` was called, which is how
the engine's resumable jobs stop cleanly. User-facing engine errors
(:class:`engine.errors.AlignScopeError`) arrive as their own message; anything else as
"Unexpected error" with the traceback in ``details`` — never only on stderr.

:class:`JobManager` keeps running jobs alive, cancels them all on close.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from engine.errors import AlignScopeError
from engine.progress import Cancelled, RateMeter

log = logging.getLogger(__name__)

_MIN_INTERVAL_S = 0.05


class _Thread(QThread):
    def __init__(self, body: Callable[[], None]) -> None:
        super().__init__()
        self._body = body

    def run(self) -> None:  # runs in the worker thread
        self._body()


class Job(QObject):
    """One engine call in a worker thread, with progress, cancel and readable errors."""

    progressed = Signal(int, int, str, float, float)
    succeeded = Signal(object)
    failed = Signal(str, str)
    cancelled = Signal()
    done = Signal()

    def __init__(
        self,
        fn: Callable[..., Any],
        *args: Any,
        title: str = "",
        pass_progress: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        self.title = title
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._pass_progress = pass_progress
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self._meter = RateMeter(total=0)
        self._thread: _Thread | None = None
        self.result: Any = None
        self.error: tuple[str, str] | None = None
        self.state = "new"  # new, running, ok, failed, cancelled

    # -- called from the worker thread -------------------------------------------------
    def _progress(self, done: int, total: int, message: str) -> None:
        if self._cancel.is_set():
            raise Cancelled(self.title or "job")
        if total != self._meter.total:
            self._meter = RateMeter(total=total)
        now = time.perf_counter()
        if now - self._last_emit < _MIN_INTERVAL_S and 0 < done < total:
            return
        self._last_emit = now
        eta = self._meter.eta_seconds(done)
        self.progressed.emit(int(done), int(total), str(message), float(self._meter.rate(done)),
                             -1.0 if eta is None else float(eta))

    def _body(self) -> None:
        try:
            kwargs = dict(self._kwargs)
            if self._pass_progress:
                kwargs["progress"] = self._progress
            self.result = self._fn(*self._args, **kwargs)
        except Cancelled:
            self.state = "cancelled"
            self.cancelled.emit()
        except AlignScopeError as exc:
            self.state = "failed"
            self.error = (str(exc), traceback.format_exc())
            log.warning("job %r failed: %s", self.title, exc)
            self.failed.emit(*self.error)
        except Exception as exc:
            log.exception("job %r failed unexpectedly", self.title)
            self.state = "failed"
            msg = QCoreApplication.translate("Job", "Unexpected error: {0}").format(
                f"{type(exc).__name__}: {exc}"
            )
            self.error = (msg, traceback.format_exc())
            self.failed.emit(*self.error)
        else:
            self.state = "ok"
            self.succeeded.emit(self.result)
        finally:
            self.done.emit()

    # -- GUI thread API ---------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("a Job runs once")
        self.state = "running"
        self._thread = _Thread(self._body)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the job to stop at its next progress call."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the thread ends (tests and shutdown only)."""
        if self._thread is None:
            return True
        return bool(self._thread.wait(msecs))


class JobManager(QObject):
    """Owns running jobs so they outlive the caller's scope; one place to cancel them all."""

    job_started = Signal(object)
    job_finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[Job] = []

    def run(self, fn: Callable[..., Any], *args: Any, title: str = "", **kwargs: Any) -> Job:
        job = Job(fn, *args, title=title, **kwargs)
        self.submit(job)
        return job

    def submit(self, job: Job) -> None:
        self._jobs.append(job)
        job.done.connect(lambda j=job: self._finished(j))
        self.job_started.emit(job)
        job.start()

    def _finished(self, job: Job) -> None:
        job.wait(5_000)
        if job in self._jobs:
            self._jobs.remove(job)
        self.job_finished.emit(job)

    def running(self) -> list[Job]:
        return [j for j in self._jobs if j.is_running()]

    def cancel_all_async(self) -> None:
        """Ask every running job to stop; returns at once."""
        for job in list(self._jobs):
            job.cancel()

    def cancel_all(self, wait_ms: int = 10_000, *, until_stopped: bool = False) -> None:
        """Cancel every job and wait up to ``wait_ms`` for each; with ``until_stopped`` keep
        waiting for a job stuck in a step that cannot be interrupted (a running t-SNE), since a
        QThread destroyed while it runs takes the whole process down (used at shutdown)."""
        for job in list(self._jobs):
            job.cancel()
        for job in list(self._jobs):
            if not job.wait(wait_ms) and until_stopped:
                while not job.wait(1_000):
                    pass
