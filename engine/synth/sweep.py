"""One cell of the synthetic sweep (a training seed × a uniqueness level), and the resumable cell file.

A cell draws the data at redundancy r = 8 − U (one dataset per U whatever the training seed, as
the reference: seeds change the encoders' initialisation and shuffling only), trains the untransformed modality's encoders
(x1, depths ``fixed_depths``) and, for every D_phi at once, the transformed modality's
encoders (x2, depths ``depths``), then measures the alignment of every (x1 encoder, x2
encoder) pair as the maximum over their layer pairs on the alignment batch. One row per
(D_phi, fixed depth, depth) with both metrics and both encoders' test accuracies.

With an output folder, finished cells are kept in ``synth_cells.jsonl`` (rewritten
atomically after every cell); a rerun with the same configuration skips them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError
from engine.safe_io import write_bytes
from engine.synth.config import REFERENCE_ADAMW, SynthConfig
from engine.synth.generator import generate, split_rows, split_standardised
from engine.synth.rows import SweepRow
from engine.typed_json import JSONObject

if TYPE_CHECKING:
    from engine.metrics.layerwise import LayerGraph
    from engine.synth.train_torch import TrainedGroup

log = logging.getLogger(__name__)

CELL_FILE = "synth_cells.jsonl"
CELL_FORMAT = 1
Step = Callable[[str], None]  # called after each unit of work inside a cell


def cell_units(config: SynthConfig) -> int:
    """Units of work reported per cell: each encoder group trained, then the alignment."""
    return len(config.fixed_depths) + len(config.depths) + 1


def _modality_data(config: SynthConfig, u: int) -> tuple[Any, list[Any], Any, Any]:
    """(x1 parts, [x2 parts per D_phi], labels, split); parts are z-scored (train statistics)."""
    r = 8 - u
    split = split_rows(config.n_samples, config.data_seed)
    x2_parts = []
    base = None
    for d_phi in config.dphi_values:
        data = generate(config.n_samples, r, d_phi, seed=config.data_seed, label_seed=config.label_seed,
                        transform_seed=config.transform_seed)
        base = data if base is None else base
        x2_parts.append(split_standardised(data.x2, split))
    assert base is not None
    return split_standardised(base.x1, split), x2_parts, base.y, split


def _group_data(parts: list[tuple[NDArray[np.float32], ...]], y: NDArray[np.int64], split: Any,
                n_align: int) -> Any:
    from engine.synth.train_torch import GroupData

    return GroupData(x_train=np.stack([p[0] for p in parts]), y_train=y[split.train],
                     x_val=np.stack([p[1] for p in parts]), y_val=y[split.val],
                     x_test=np.stack([p[2] for p in parts]), y_test=y[split.test], n_align=n_align)


def _train_seed(seed: int, modality: int, depth: int, d_phi: int) -> int:
    return ((seed * 3 + modality) * 100 + depth) * 100 + d_phi


def _unit(layers: list[NDArray[np.float32]]) -> list[NDArray[np.float32]]:
    from engine.metrics.validate import l2_normalize

    return [np.asarray(l2_normalize(x), dtype=np.float32) for x in layers]


def _unbiased_cka_max(fixed: list[NDArray[np.float32]], moved: list[NDArray[np.float32]]) -> float:
    """Max over layer pairs of unbiased linear CKA (rows already L2-normalised)."""
    from engine.metrics import unbiased_cka_linear

    vals = [unbiased_cka_linear(a, b) for a in fixed for b in moved]
    finite = [v for v in vals if np.isfinite(v)]
    return float(max(finite)) if finite else float("nan")


def _graphs(layers: list[NDArray[np.float32]], k: int) -> dict[str, LayerGraph]:
    from engine.metrics.layerwise import layer_graphs

    return layer_graphs({f"layer{i + 1}": x for i, x in enumerate(layers)}, k, normalize=False,
                        threads=1)


def _alignment_rows(config: SynthConfig, seed: int, u: int, fixed: dict[int, TrainedGroup],
                    moved: dict[int, TrainedGroup]) -> list[SweepRow]:
    from engine.metrics.layerwise import alignment_from_graphs

    fixed_units = {f: _unit(fixed[f].layers[0]) for f in config.fixed_depths}
    fixed_graphs = {f: _graphs(fixed_units[f], config.k) for f in config.fixed_depths}
    rows: list[SweepRow] = []
    for j, d_phi in enumerate(config.dphi_values):
        for depth in config.depths:
            units = _unit(moved[depth].layers[j])
            graphs = _graphs(units, config.k) if "mutual_knn" in config.metrics else {}
            for f in config.fixed_depths:
                mknn = (alignment_from_graphs(fixed_graphs[f], graphs, "mutual_knn").max
                        if "mutual_knn" in config.metrics else float("nan"))
                cka = (_unbiased_cka_max(fixed_units[f], units)
                       if "unbiased_cka_linear" in config.metrics else float("nan"))
                rows.append(SweepRow(
                    seed=seed, U=u, D_phi=d_phi, fixed_depth=f, depth=depth, mutual_knn=mknn,
                    unbiased_cka_linear=cka, accuracy_transformed=moved[depth].test_accuracy[j],
                    accuracy_fixed=fixed[f].test_accuracy[0],
                    val_accuracy_transformed=moved[depth].val_accuracy[j],
                    best_epoch_transformed=moved[depth].best_epoch[j]))
    return rows


def run_cell(config: SynthConfig, seed: int, u: int, *, step: Step | None = None,
             threads: int | None = 1) -> list[SweepRow]:
    """Train and measure one cell; return its rows."""
    from engine.synth.train_torch import TrainSpec, train_group

    r = 8 - u
    (lr1, wd1), (lr2, wd2) = REFERENCE_ADAMW[r]
    x1, x2_parts, y, split = _modality_data(config, u)
    fixed: dict[int, TrainedGroup] = {}
    for f in config.fixed_depths:
        spec = TrainSpec(depth=f, epochs=config.epochs_fixed, lr=lr1, weight_decay=wd1,
                         batch_size=config.batch_size)
        fixed[f] = train_group(_group_data([x1], y, split, config.n_align), spec,
                               [_train_seed(seed, 1, f, 0)], threads=threads)
        if step:
            step(f"x1 encoder of depth {f} trained")
    moved: dict[int, TrainedGroup] = {}
    x2_data = _group_data(x2_parts, y, split, config.n_align)
    for depth in config.depths:
        spec = TrainSpec(depth=depth, epochs=config.epochs_transformed, lr=lr2, weight_decay=wd2,
                         batch_size=config.batch_size)
        seeds = [_train_seed(seed, 2, depth, d) for d in config.dphi_values]
        moved[depth] = train_group(x2_data, spec, seeds, threads=threads)
        if step:
            step(f"x2 encoders of depth {depth} trained ({len(seeds)} D_phi values)")
    rows = _alignment_rows(config, seed, u, fixed, moved)
    if step:
        step("alignment measured")
    return rows


class CellFile:
    """The finished cells of one sweep configuration, kept in ``<out>/synth_cells.jsonl``."""

    def __init__(self, out_dir: str | Path | None, config: SynthConfig) -> None:
        self.path = None if out_dir is None else Path(out_dir) / CELL_FILE
        self.header = {"format": CELL_FORMAT, "config": config.cell_fingerprint()}
        self.cells: dict[tuple[int, int], JSONObject] = {}
        if self.path is not None and self.path.exists():
            self._load()

    def _load(self) -> None:
        assert self.path is not None
        lines = self.path.read_text(encoding="utf-8").splitlines()
        try:
            header = json.loads(lines[0]) if lines else None
        except json.JSONDecodeError as exc:
            raise InputError(f"{self.path}: line 1 is not JSON ({exc}); move the file away to "
                             "start the sweep afresh") from exc
        if header != self.header:
            raise InputError(f"{self.path} holds a sweep with another configuration; use another "
                             "--out folder (or move that file away) to start this one")
        for number, line in enumerate(lines[1:], start=2):
            try:
                cell = json.loads(line)
                for row in cell["rows"]:
                    SweepRow.from_json(row)
                self.cells[(int(cell["seed"]), int(cell["U"]))] = cell
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise InputError(f"{self.path}: line {number} is not a finished cell ({exc}); "
                                 "delete that line to recompute the cell") from exc

    def done(self, seed: int, u: int) -> bool:
        return (seed, u) in self.cells

    def add(self, seed: int, u: int, rows: list[SweepRow], seconds: float) -> None:
        self.cells[(seed, u)] = {"seed": seed, "U": u, "seconds": seconds,
                                 "rows": [r.to_json() for r in rows]}
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = "\n".join([json.dumps(self.header)] + [json.dumps(c) for c in self.cells.values()])
        write_bytes(self.path, (text + "\n").encode("utf-8"), "synthetic sweep cell file")
        log.info("cell seed %d U %d saved to %s", seed, u, self.path)

    def rows(self, seeds: tuple[int, ...], u_values: tuple[int, ...]) -> list[SweepRow]:
        out: list[SweepRow] = []
        for seed in seeds:
            for u in u_values:
                if (seed, u) in self.cells:
                    out.extend(SweepRow.from_json(r) for r in self.cells[(seed, u)]["rows"])
        return out

    def seconds(self) -> list[float]:
        return [float(c["seconds"]) for c in self.cells.values()]
