"""`analyze_store` and `alignscope analyze|pid --store` on a small store built here.

The default pair is built as an exact rotation of each other (text = image · Q), so several
results are known exactly: mutual kNN = 1, PID has no unique information and no synergy
(both discretisations coincide), linear heterogeneity ≈ 0, retrieval through the linear map
is perfect.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.main import main
from engine.dataset.model import Dataset, Sample
from engine.errors import InputError
from engine.store import TableSpec, TableWriter, add_tables, write_dataset
from engine.study.analyze import AnalyzeOptions, analyze_store, cached_analysis
from engine.study.result import Analysis, ModelPair, read_analysis

N = 240
FAST = AnalyzeOptions(bootstrap=20, permutations=20, linear_bootstrap=5, linear_permutations=5,
                      pid_bootstrap=3)


def _make_store(path: Path, *, with_label: bool = True, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=N)
    z = rng.normal(size=(3, 6))[y] + 0.6 * rng.normal(size=(N, 6))
    columns = ["defect_class", "line"] if with_label else ["line"]
    samples = [
        Sample(row=i + 2, id=f"s{i:03d}", image=path.parent / f"i{i}.png", image_rel=f"i{i}.png",
               report=f"report {i}", image_sha256=f"{i:064x}", report_sha256=f"{i + 10**6:064x}",
               labels={"defect_class": f"c{y[i]}", "line": f"L{i % 2}"} if with_label else {"line": f"L{i % 2}"})
        for i in range(N)
    ]
    ds = Dataset(root=path.parent, source="test", kind="manifest", encoding="utf-8", n_rows=N,
                 columns=columns, label_columns=["defect_class"] if with_label else [], mapping={},
                 samples=samples, quarantine=[])
    write_dataset(path, ds)
    img0 = np.tanh(z @ rng.normal(size=(6, 24))) + 0.3 * rng.normal(size=(N, 24))
    q, _ = np.linalg.qr(rng.normal(size=(24, 24)))
    vectors = {
        ("image", "efficientnet-lite0"): img0,
        ("image", "efficientnet-lite1"): z @ rng.normal(size=(6, 40)) + 0.8 * rng.normal(size=(N, 40)),
        ("text", "paraphrase-minilm-l3"): img0 @ q,  # an exact rotation of the default image space
        ("text", "all-minilm-l6"): z @ rng.normal(size=(6, 16)) + 1.0 * rng.normal(size=(N, 16)),
    }
    add_tables(path, [TableSpec(model_id=m, modality=mod, dim=v.shape[1], sha256="0" * 64, preprocessing={})
                      for (mod, m), v in vectors.items()])
    for (mod, m), v in vectors.items():
        w = TableWriter(path, mod, m)
        w.write(np.arange(N), v.astype(np.float32))
        w.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("study") / "s.h5"
    _make_store(path)
    return path


@pytest.fixture(scope="module")
def analysis(store: Path) -> Analysis:
    return analyze_store(store, "defect_class", options=FAST, use_cache=False)


def _same_numbers(a: dict, b: dict) -> None:
    """Two study JSONs agree on every number (timings and notes aside)."""
    for key in set(a) | set(b):
        if key not in ("timings", "notes"):
            assert a.get(key) == b.get(key), key


def test_contract_round_trips_through_json(analysis: Analysis) -> None:
    assert analysis.schema == "alignscope.analysis/3"
    assert analysis.models.default == ModelPair("efficientnet-lite0", "paraphrase-minilm-l3")
    assert len(analysis.pairs) == 4
    assert analysis.recommendation is not None
    assert analysis.recommendation.decision in ("invest", "not yet", "measure more")
    assert analysis.findings and all(f.text for f in analysis.findings)
    text = json.dumps(analysis.to_json(), allow_nan=False)  # strict JSON
    again = read_analysis(json.loads(text))
    assert again.to_json() == analysis.to_json()
    assert again.pid == analysis.pid and again.pairs == analysis.pairs


def test_older_or_foreign_results_are_refused_plainly(analysis: Analysis) -> None:
    old = dict(analysis.to_json(), schema="alignscope.analysis/1")
    with pytest.raises(InputError, match="run the study again"):
        read_analysis(old, "old.json")
    broken = analysis.to_json()
    del broken["pairs"][0]["metrics"]
    with pytest.raises(InputError, match=r"pairs\[0\]: missing field 'metrics'"):
        read_analysis(broken, "broken.json")


def test_label_is_resolved_once_and_says_why(store: Path) -> None:
    out = analyze_store(store, None, options=FAST, use_cache=False)
    assert out.label.column == "defect_class" and out.label.how == "automatic"
    assert "label-like name" in out.label.reason
    assert [c.column for c in out.label.candidates] == ["defect_class", "line"]


def test_rotation_pair_known_values(analysis: Analysis) -> None:
    pair = analysis.default_pair()
    assert pair is not None and (pair.image, pair.text) == ("efficientnet-lite0", "paraphrase-minilm-l3")
    assert pair.metrics["mutual_knn"] == pytest.approx(1.0, abs=1e-9)
    assert pair.metrics["unbiased_cka_linear"] == pytest.approx(1.0, abs=1e-5)
    assert pair.null["mutual_knn"].p < 0.1
    np.testing.assert_allclose(analysis.per_sample.overlap, 1.0)
    pid = analysis.pid
    assert pid is not None and pid.solver == "CLARABEL"
    # both sides hold the same information: truly U = S = 0 and R = I. The two probes (fitted on
    # standardised, rotated features) discretise slightly differently, so the estimates are
    # small, and the truth lies inside every interval
    for part in ("unique_image", "unique_text", "synergy"):
        lo, hi = pid.ci[part]
        assert lo <= 0.0 + 1e-9 <= hi + 1e-9, (part, pid.ci[part])
        assert getattr(pid, part) < 0.15 * pid.total_mi, part
    assert pid.redundancy > 0.7 * pid.total_mi
    assert analysis.heterogeneity is not None
    assert analysis.heterogeneity.linear_deficit == pytest.approx(0.0, abs=0.02)
    assert analysis.retrieval is not None
    lin = analysis.retrieval.methods["linear_map"]
    assert lin.image_to_text["1"] > 0.95 and lin.text_to_image["1"] > 0.95


def test_intervals_lie_inside_each_range(analysis: Analysis) -> None:
    for pair in analysis.pairs:
        for name, (lo, hi) in pair.ci.items():
            top = pair.k if name == "lcs_knn" else 1.0
            assert 0.0 <= lo <= hi <= top, name
    assert analysis.pid is not None
    assert all(lo >= 0.0 for lo, _ in analysis.pid.ci.values())


def test_probes_and_correlation(analysis: Analysis) -> None:
    probes = analysis.probes
    assert probes is not None
    for mid in ("efficientnet-lite0", "efficientnet-lite1", "paraphrase-minilm-l3", "all-minilm-l6"):
        p = probes.get(mid)
        assert p is not None
        assert p.accuracy > probes.chance + 0.2  # the label is encoded in every space
        assert p.accuracy_ci[0] <= p.accuracy <= p.accuracy_ci[1]
        assert 0.0 < p.info_bits <= probes.label_entropy_bits
    corr = analysis.correlation
    assert corr.n_points == 4 and corr.meaningful is False and "4 model pairs" in corr.reason.text
    assert analysis.alignment_curve is not None
    assert analysis.alignment_curve.chance[0] == pytest.approx(1 / (N - 1))


def test_cached_result_equals_a_fresh_computation(store: Path, analysis: Analysis) -> None:
    """The fixture computed the study (and cached it); the cache returns the same numbers."""
    cached = analyze_store(store, "defect_class", options=FAST)
    assert "loaded from the store's result cache" in [n.text for n in cached.notes]
    assert "n_cached" not in [n.key for n in analysis.notes]
    _same_numbers(cached.to_json(), analysis.to_json())
    np.testing.assert_array_equal(cached.per_sample.overlap, analysis.per_sample.overlap)
    assert cached_analysis(store, "defect_class", options=FAST) is not None
    assert cached_analysis(store, "line", options=FAST) is None  # never computes


def test_unknown_label_names_the_columns(store: Path) -> None:
    with pytest.raises(InputError, match="defect_class"):
        analyze_store(store, "nope", options=FAST)


def test_without_label(tmp_path: Path) -> None:
    path = tmp_path / "nolabel.h5"
    _make_store(path, with_label=False)
    out = analyze_store(path, None, options=FAST, use_cache=False)
    assert out.label.column is None and out.label.how == "none"
    assert "production context" in out.label.reason  # 'line' is offered, never chosen by itself
    assert out.pid is None and out.probes is None
    assert out.recommendation is not None and out.recommendation.decision == "measure more"
    assert out.findings[0].key == "f_no_label"
    assert out.suspects and out.pairs[0].metrics["mutual_knn"] > 0


def test_cli_pid_store(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["pid", "--store", str(store), "--image-model", "efficientnet-lite0", "--text-model",
                 "paraphrase-minilm-l3", "--label", "defect_class", "--clusters", "6",
                 "--bootstrap", "3", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert {"redundancy", "unique_1", "unique_2", "synergy", "total_mi", "solver", "ci", "cells"} <= set(out)
    assert out["synergy"] == pytest.approx(0.0, abs=1e-5)


def test_cli_pid_store_missing_flag(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pid", "--store", str(store), "--label", "defect_class"]) == 2
    assert "--image-model" in capsys.readouterr().err


def test_cli_analyze_json_is_the_typed_result(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`analyze --json` with the default options prints the contract; its numbers equal a fresh run."""
    assert main(["analyze", "--store", str(store), "--label", "defect_class", "--json", "--no-cache"]) == 0
    printed = read_analysis(json.loads(capsys.readouterr().out), "stdout")
    fresh = analyze_store(store, "defect_class", use_cache=False)
    _same_numbers(printed.to_json(), fresh.to_json())


def test_verbose_cli_logs_the_study_steps(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--verbose", "analyze", "--store", str(store), "--label", "defect_class", "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert "engine.study.analyze: study stage probes" in err
    assert main(["analyze", "--store", str(store), "--label", "defect_class"]) == 0
    assert "study stage" not in capsys.readouterr().err  # quiet without --verbose


def test_headline_answers_in_plain_words_in_both_languages(analysis: Analysis) -> None:
    from engine.study.headline import render_headline

    pair = analysis.default_pair()
    assert pair is not None
    ratio = pair.metrics["mutual_knn"] / pair.chance_mutual_knn  # exact rotation: kNN 1.0
    assert analysis.headline.startswith(f"Photos and reports agree {ratio:.1f}× more than chance")
    assert "predicts defect_class" in analysis.headline or "predict defect_class" in analysis.headline
    assert analysis.headline_parts[0].params["source"] == "alignment"
    ja = render_headline(analysis.headline_parts, "ja")
    assert ja.startswith(f"写真と報告書は偶然の {ratio:.1f} 倍一致しています") and "defect_class" in ja
    assert analysis.to_json()["headline"] == analysis.headline
