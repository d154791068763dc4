"""The synthetic sweep: batched training, best checkpoint, resumable cells, the three results."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import spearmanr

from engine.errors import InputError
from engine.synth.calibrate import QUICK, run_sweep
from engine.synth.config import SynthConfig
from engine.synth.rows import SweepRow
from engine.synth.summary import summarise
from engine.synth.sweep import CELL_FILE
from engine.synth.train_torch import GroupData, TrainSpec, train_group

TINY = SynthConfig(u_values=(0, 8), dphi_values=(1, 2, 3), depths=(1, 2), fixed_depths=(1, 2),
                   n_samples=4096, epochs_fixed=2, epochs_transformed=2, k=10, seeds=(0,),
                   heterogeneity_check=False)


def _group_data(g: int, seed: int = 0) -> GroupData:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, 900)
    x = rng.normal(size=(g, 900, 12)).astype(np.float32)
    x[..., 0] += y  # learnable
    return GroupData(x[:, :600], y[:600], x[:, 600:750], y[600:750], x[:, 750:], y[750:], n_align=64)


def test_a_model_trained_in_a_group_follows_its_path_alone() -> None:
    data = _group_data(3)
    spec = TrainSpec(depth=3, epochs=3, lr=0.01, weight_decay=0.1, batch_size=128)
    group = train_group(data, spec, [5, 6, 7])
    for m in range(3):
        alone = train_group(GroupData(data.x_train[m:m + 1], data.y_train, data.x_val[m:m + 1],
                                      data.y_val, data.x_test[m:m + 1], data.y_test, n_align=64),
                            spec, [5 + m])
        assert group.test_accuracy[m] == alone.test_accuracy[0]
        assert group.best_epoch[m] == alone.best_epoch[0]
        for a, b in zip(group.layers[m], alone.layers[0], strict=True):
            assert a == pytest.approx(b, abs=1e-5)
    assert len(group.layers[0]) == 3 and group.layers[0][0].shape == (64, 12)


def test_best_validation_checkpoint_is_kept() -> None:
    data = _group_data(2, seed=1)
    short = train_group(data, TrainSpec(depth=2, epochs=3, lr=0.05, weight_decay=0.0), [1, 2])
    long = train_group(data, TrainSpec(depth=2, epochs=8, lr=0.05, weight_decay=0.0), [1, 2])
    for m in range(2):
        # the first 3 epochs are the same path, so the best of 8 is at least the best of 3 ...
        assert long.val_accuracy[m] >= short.val_accuracy[m]
        assert 0 <= long.best_epoch[m] < 8
        # ... and when the best came early, the kept model is the same one
        if long.best_epoch[m] < 3:
            assert long.test_accuracy[m] == short.test_accuracy[m]
    assert max(long.val_accuracy) > 0.5  # the planted feature is learnt (chance 0.25)


def test_tiny_sweep_contract_and_resume(tmp_path: Path) -> None:
    out = run_sweep(TINY, out_dir=tmp_path)
    for key in ("spearman_alignment_vs_U", "spearman_alignment_vs_Dphi", "pearson_alignment_vs_U",
                "pearson_alignment_vs_Dphi", "alignment", "targets_met", "paper", "config", "rows"):
        assert key in out
    assert set(out["spearman_alignment_vs_Dphi"]["mutual_knn"]) == {"0", "8"}
    by_u = out["alignment_performance"]["by_uniqueness"]
    assert set(by_u) == {"0", "8"} and all(set(v) >= {"median_spearman", "n"} for v in by_u.values())
    assert len(out["rows"]) == 2 * 3 * 2 * 2  # U × D_phi × fixed depth × depth
    for row in out["rows"]:
        assert 0.0 <= row["mutual_knn"] <= 1.0 and -1.0 <= row["unbiased_cka_linear"] <= 1.0
        assert 0.0 <= row["accuracy_transformed"] <= 1.0
    cells = (tmp_path / CELL_FILE).read_text(encoding="utf-8").splitlines()
    assert len(cells) == 1 + 2 and json.loads(cells[1])["U"] in (0, 8)
    # a rerun trains nothing: same rows, read back from the cell file
    messages: list[str] = []
    again = run_sweep(TINY, out_dir=tmp_path, progress=lambda d, t, m: messages.append(m))
    assert again["rows"] == out["rows"]
    assert any("2 cell(s) already" in m and "0 to run" in m for m in messages)
    assert not any("trained" in m for m in messages)
    # another configuration refuses to mix with the saved cells
    with pytest.raises(InputError, match="another configuration"):
        run_sweep(replace(TINY, epochs_transformed=3), out_dir=tmp_path)


def _row(u: int, d: int, depth: int, align: float, acc: float, seed: int = 0) -> SweepRow:
    return SweepRow(seed=seed, U=u, D_phi=d, fixed_depth=1, depth=depth, mutual_knn=align,
                    unbiased_cka_linear=align, accuracy_transformed=acc)


def test_summary_on_planted_rows() -> None:
    """Alignment = a known function of (U, D_phi, depth); correlations must come out exactly."""
    cfg = replace(QUICK, u_values=tuple(range(9)), dphi_values=tuple(range(1, 7)),
                  depths=(1, 2, 3, 4, 5), seeds=(0, 1))
    rng = np.random.default_rng(0)
    rows = []
    for seed in cfg.seeds:
        for u in cfg.u_values:
            for d in cfg.dphi_values:
                for depth in cfg.depths:
                    acc = 0.5 + 0.05 * depth + 0.01 * rng.random()
                    # low U: alignment follows accuracy; high U: unrelated noise
                    signal = acc if u <= 4 else rng.uniform(0.45, 0.5)
                    align = (1.0 - 0.1 * u) * (1.0 - 0.05 * d) * 0.1 * signal
                    rows.append(_row(u, d, depth, align, acc, seed))
    out = summarise(rows, cfg, seconds=0.0)
    for m in ("mutual_knn", "unbiased_cka_linear"):
        assert all(v == pytest.approx(-1.0) for v in out["spearman_alignment_vs_U"][m].values())
        for u in range(5):  # where alignment is planted to fall with D_phi at every depth
            assert out["spearman_alignment_vs_Dphi"][m][str(u)] == pytest.approx(-1.0)
    # the table is the maximum over depth and seeds
    best = max(r.mutual_knn for r in rows if r.U == 2 and r.D_phi == 3)
    assert out["alignment"]["mutual_knn"]["U=2"]["D_phi=3"] == best
    ap = out["alignment_performance"]
    assert ap["by_uniqueness"]["0"]["median_spearman"] == pytest.approx(1.0)
    assert ap["by_uniqueness"]["0"]["n"] == 6
    pts = [r for r in rows if r.U == 8 and r.D_phi == 1]
    rho = spearmanr([r.mutual_knn for r in pts], [r.accuracy_transformed for r in pts])[0]
    assert abs(ap["by_uniqueness"]["8"]["median_spearman"]) < 0.6 and abs(rho) < 0.8
    assert ap["gap"] == pytest.approx(ap["median_spearman_U_le_1"] - ap["median_spearman_U_ge_7"])
    assert out["targets_met"]["alignment_performance_U_le_1_exceeds_U_ge_7_by_0.3"] is True


def test_cli_refuses_bad_sweep_options(capsys: pytest.CaptureFixture[str]) -> None:
    from app.main import main

    assert main(["synth", "--quick", "--seeds", "0,x"]) == 2
    assert "--seeds: expected comma-separated integers" in capsys.readouterr().err
    assert main(["synth", "--quick", "--jobs", "0"]) == 2
    assert "--jobs must be at least 1" in capsys.readouterr().err
