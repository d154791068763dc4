"""The calibration sweep behind ``alignscope synth``: alignment vs uniqueness U, heterogeneity
D_phi and performance, like-for-like with the reference (see :mod:`engine.synth.config`).

The sweep is a list of cells (data seed × U), each trained and measured by
:func:`engine.synth.sweep.run_cell`. With an output folder every finished cell is saved at
once, a rerun skips the saved cells, and the progress messages carry a time estimate.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable
from pathlib import Path

from engine.errors import InputError
from engine.progress import Progress, report
from engine.safe_io import write_bytes
from engine.synth.config import DEFAULT_LABEL_SEED, FULL, QUICK, SYNTH_METRICS, SynthConfig
from engine.synth.rows import SweepRow
from engine.synth.summary import PAPER_RHO_VS_DPHI, PAPER_RHO_VS_U, summarise
from engine.synth.sweep import CellFile, cell_units, run_cell
from engine.typed_json import JSONObject

__all__ = ["DEFAULT_LABEL_SEED", "FULL", "PAPER_RHO_VS_DPHI", "PAPER_RHO_VS_U", "QUICK",
           "SYNTH_METRICS", "SynthConfig", "format_duration", "run_sweep", "write_outputs"]


def format_duration(seconds: float) -> str:
    """'45 s', '12 min', '3 h 05 min'."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


class _Clock:
    """Progress over the cells still to run, with an estimate of the time left."""

    def __init__(self, progress: Progress | None, todo: int, units: int) -> None:
        self.progress, self.todo, self.units = progress, todo, units
        self.total = todo * units
        self.done = 0
        self.cell_seconds: list[float] = []
        self.started = self.cell_started = time.perf_counter()

    def left(self) -> str:
        cells_left = self.todo - len(self.cell_seconds)
        if self.cell_seconds:
            in_cell = time.perf_counter() - self.cell_started
            mean = sum(self.cell_seconds) / len(self.cell_seconds)
            estimate = max(cells_left * mean - in_cell, 0.0)
        elif self.done:
            estimate = (time.perf_counter() - self.started) / self.done * (self.total - self.done)
        else:
            return "estimating time left"
        return f"about {format_duration(estimate)} left"

    def step(self, label: str, message: str) -> None:
        self.done += 1
        report(self.progress, self.done, self.total, f"{label}: {message} ({self.left()})")

    def cell_finished(self) -> None:
        now = time.perf_counter()
        self.cell_seconds.append(now - self.cell_started)
        self.cell_started = now


def _step_for(clock: _Clock, label: str) -> Callable[[str], None]:
    return lambda message: clock.step(label, message)


def _timed_cell(config: SynthConfig, seed: int, u: int) -> tuple[list[SweepRow], float]:
    t0 = time.perf_counter()
    rows = run_cell(config, seed, u, threads=1)
    return rows, time.perf_counter() - t0


def _run_parallel(config: SynthConfig, todo: list[tuple[int, int]], cells: CellFile,
                  progress: Progress | None, jobs: int) -> None:
    """Cells in ``jobs`` worker processes; progress (and the estimate) per finished cell."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    started = time.perf_counter()
    report(progress, 0, len(todo), f"{len(todo)} cells in {jobs} worker processes; progress and "
                                   "the time left are reported as cells finish")
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending = {pool.submit(_timed_cell, config, s, u): (s, u) for s, u in todo}
        finished = 0
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                seed, u = pending.pop(fut)
                rows, seconds = fut.result()
                cells.add(seed, u, rows, seconds)
                finished += 1
                per_cell = (time.perf_counter() - started) / finished
                left = format_duration(per_cell * (len(todo) - finished))
                report(progress, finished, len(todo),
                       f"cell seed {seed}, U={u} done in {format_duration(seconds)} "
                       f"({jobs} jobs; about {left} left)")


def run_sweep(config: SynthConfig = QUICK, *, out_dir: str | Path | None = None,
              progress: Progress | None = None, threads: int | None = 1,
              jobs: int = 1) -> JSONObject:
    """Run (or resume) the sweep; return the JSON object of ``alignscope synth --json``.

    ``jobs`` > 1 runs that many cells at once in worker processes (one thread each).
    """
    started = time.perf_counter()
    cells = CellFile(out_dir, config)
    todo = [(s, u) for s in config.seeds for u in config.u_values if not cells.done(s, u)]
    clock = _Clock(progress, len(todo), cell_units(config))
    if len(todo) < len(config.seeds) * len(config.u_values):
        report(progress, 0, max(clock.total, 1),
               f"resuming: {len(config.seeds) * len(config.u_values) - len(todo)} cell(s) already "
               f"in {cells.path}, {len(todo)} to run")
    parallel = jobs > 1 and len(todo) > 1
    if parallel:
        _run_parallel(config, todo, cells, progress, jobs)
    for number, (seed, u) in enumerate([] if parallel else todo, start=1):
        label = f"cell {number}/{len(todo)} (seed {seed}, U={u})"
        t0 = time.perf_counter()
        rows = run_cell(config, seed, u, step=_step_for(clock, label), threads=threads)
        cells.add(seed, u, rows, time.perf_counter() - t0)
        clock.cell_finished()
    out = summarise(cells.rows(config.seeds, config.u_values), config,
                    seconds=time.perf_counter() - started)
    if config.heterogeneity_check:
        from engine.synth.validate_heterogeneity import validate_on_encoders

        report(progress, clock.total, max(clock.total, 1), "validating the heterogeneity scores")
        out["heterogeneity_validation"] = validate_on_encoders(
            quick=config.heterogeneity_quick, label_seed=config.label_seed)
        out["seconds"] = time.perf_counter() - started
    return out


def _atomic_write(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"), "synthetic calibration output")


def write_outputs(result: JSONObject, out_dir: str | Path) -> list[Path]:
    """Write synth.json (the whole result) and synth_rows.csv (one row per trained pair)."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot create the output folder ({exc})") from exc
    json_path = out / "synth.json"
    _atomic_write(json_path, json.dumps(result, indent=2))
    csv_path = out / "synth_rows.csv"
    buf = io.StringIO()
    rows = result.get("rows", [])
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    _atomic_write(csv_path, buf.getvalue())
    return [json_path, csv_path]
