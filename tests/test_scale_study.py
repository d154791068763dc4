"""Issue 15, phase 2: the study at large n computes each kNN graph once, ranks retrieval by
blocks, caps what is superlinear with a note, and caches the project's neighbour lists.

Every shortcut is checked against the direct computation it replaces (exact equality where
the shortcut is exact) or against known values; none of these tests times anything.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.errors import InputError
from engine.metrics import compute_metrics, knn_graph
from engine.metrics.knn import pair_graphs
from engine.metrics.knn_metrics import lcs_lengths
from engine.metrics.validate import prepare_pair


def _lcs(x: list[int], y: list[int]) -> int:
    dp = [[0] * (len(y) + 1) for _ in range(len(x) + 1)]
    for i in range(len(x)):
        for j in range(len(y)):
            dp[i + 1][j + 1] = dp[i][j] + 1 if x[i] == y[j] else max(dp[i][j + 1], dp[i + 1][j])
    return dp[-1][-1]


@pytest.fixture(scope="module")
def spaces() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    z = rng.normal(size=(300, 5))
    a = (z @ rng.normal(size=(5, 24)) + 0.5 * rng.normal(size=(300, 24))).astype(np.float32)
    b = (np.tanh(z) @ rng.normal(size=(5, 16)) + 0.7 * rng.normal(size=(300, 16))).astype(np.float32)
    a[7] = a[3]  # exact duplicates: ties in similarity, broken by index
    b[7] = b[3]
    return a, b


def test_graph_prefix_is_the_graph_at_smaller_k(spaces: tuple[np.ndarray, np.ndarray]) -> None:
    aa, bb = prepare_pair(*spaces, normalize=True)
    g = pair_graphs(aa, bb, 40)
    for k in (1, 10, 17, 40):
        top = g.prefix(k)
        ia, sa = knn_graph(aa, k)
        ib, sb = knn_graph(bb, k)
        assert np.array_equal(top.ia, ia) and np.array_equal(top.ib, ib)
        assert np.array_equal(top.sa, sa) and np.array_equal(top.sb, sb)
    with pytest.raises(ValueError, match=r"within 1\.\.40"):
        g.prefix(41)


def test_metrics_from_given_graphs_equal_their_own_search(spaces: tuple[np.ndarray, np.ndarray]) -> None:
    a, b = spaces
    aa, bb = prepare_pair(a, b, normalize=True)
    graphs = pair_graphs(aa, bb, 30)
    kwargs = {"k": 8, "metrics": "all", "bootstrap": 12, "permutations": 9, "seed": 5}
    own = compute_metrics(a, b, **kwargs)
    given = compute_metrics(a, b, graphs=graphs, **kwargs)
    assert given == own  # every value, interval and null (same seed, same graphs)
    with pytest.raises(InputError, match="need 300 rows at k = 31"):
        compute_metrics(a, b, k=31, metrics="mutual_knn", graphs=graphs)
    short = pair_graphs(aa[:100], bb[:100], 30)
    with pytest.raises(InputError, match="cover 100 rows"):
        compute_metrics(a, b, k=8, metrics="mutual_knn", graphs=short)


def test_lcs_shortcut_matches_the_dynamic_programme() -> None:
    rng = np.random.default_rng(0)
    n, k = 400, 10
    ia = np.stack([rng.permutation(60)[:k] for _ in range(n)])
    ib = np.stack([rng.permutation(60)[:k] for _ in range(n)])
    ib[:50] = ia[:50, ::-1]        # all shared, reversed: LCS 1
    ib[50:100] = ia[50:100]        # identical: LCS k
    ib[100:150] = 1000 + np.arange(k)  # none shared: LCS 0
    got = lcs_lengths(ia, ib)
    want = np.array([_lcs(list(x), list(y)) for x, y in zip(ia, ib, strict=True)])
    assert np.array_equal(got, want)
    assert set(want[:50]) == {1} and set(want[50:100]) == {k} and set(want[100:150]) == {0}
    assert {0, 1, 2, 3} <= set(want[150:].tolist())  # the random rows cover every case


def test_blocked_recall_equals_the_full_similarity(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.study import retrieval

    rng = np.random.default_rng(1)
    q = rng.normal(size=(230, 6))
    g = q + 0.8 * rng.normal(size=(230, 6))
    qn = q / np.linalg.norm(q, axis=1, keepdims=True)
    gn = g / np.linalg.norm(g, axis=1, keepdims=True)
    sim = qn @ gn.T
    rank = (sim > np.diag(sim)[:, None]).sum(axis=1)
    monkeypatch.setattr(retrieval, "RANK_BLOCK_ELEMENTS", 7 * 230)  # blocks of 7 queries
    hits = retrieval.recall_hits(q, g)
    for k in (1, 5, 10):
        assert np.array_equal(hits[k], rank < k)
    assert 0 < hits[1].mean() < hits[10].mean() < 1


def test_retrieval_caps_the_held_out_set_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.study import retrieval

    rng = np.random.default_rng(2)
    z = rng.normal(size=(400, 4))
    img, txt = z @ rng.normal(size=(4, 10)), z @ rng.normal(size=(4, 8))
    monkeypatch.setattr(retrieval, "MAX_TEST", 50)
    out, notes = retrieval.retrieval_trial(img, txt, n_boot=20, contrastive=False)
    assert out.n_test == 50 and out.n_train == 350
    assert out.chance["10"] == pytest.approx(10 / 50)
    assert any(n.key == "n_scale_retrieval_test" and "50 held-out pairs ranked instead of 120" in n.text
               for n in notes)
    small, notes = retrieval.retrieval_trial(img[:100], txt[:100], n_boot=20, contrastive=False)
    assert small.n_test == 30 and not any(n.key.startswith("n_scale_") for n in notes)


def test_contrastive_epochs_keep_60_until_the_step_budget() -> None:
    from engine.study.retrieval import CONTRASTIVE_MAX_STEPS, contrastive_epochs

    assert contrastive_epochs(7_000) == 60        # 27 batches × 60 = 1,620 steps
    assert contrastive_epochs(100) == 60          # one (short) batch per epoch
    assert contrastive_epochs(90_000) == CONTRASTIVE_MAX_STEPS // (90_000 // 256)  # 5 epochs
    assert contrastive_epochs(10_000_000) == 1


def test_blockwise_pca_equals_the_dense_reduction(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.study import reduce

    rng = np.random.default_rng(4)
    x = (rng.normal(size=(500, 30)) @ rng.normal(size=(30, 30)) + 2.0).astype(np.float32)
    rows = np.sort(rng.choice(500, 320, replace=False))
    monkeypatch.setattr(reduce, "BLOCK_ROWS", 64)
    got = reduce.pca_reduce(x, 6, rows)
    arr = x[rows].astype(np.float64)
    arr /= np.linalg.norm(arr, axis=1, keepdims=True)
    arr -= arr.mean(axis=0)
    _, _, vt = np.linalg.svd(arr, full_matrices=False)
    want = arr @ vt[:6].T
    signs = np.sign(np.sum(got * want, axis=0))  # axes are defined up to sign
    np.testing.assert_allclose(got * signs, want, atol=1e-9)
    centred = reduce.pca_reduce(x[:, :5], 6)  # d ≤ dims: normalised and centred only
    ref = x[:, :5].astype(np.float64) / np.linalg.norm(x[:, :5].astype(np.float64), axis=1, keepdims=True)
    np.testing.assert_allclose(centred, ref - ref.mean(axis=0), atol=1e-12)


def test_heterogeneity_subsample_is_stated(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.study import heterogeneity
    from engine.study.messages import Message
    from engine.study.stages import heterogeneity_stage

    rng = np.random.default_rng(5)
    z = rng.normal(size=(260, 3))
    a = (z @ rng.normal(size=(3, 8))).astype(np.float32)
    b = (z @ rng.normal(size=(3, 6)) + 0.1 * rng.normal(size=(260, 6))).astype(np.float32)
    notes: list[Message] = []
    full = heterogeneity_stage(a, b, None, 0, notes)
    assert notes == []
    monkeypatch.setattr(heterogeneity, "MAX_SAMPLES", 200)
    capped = heterogeneity_stage(a, b, None, 0, notes)
    assert [n.key for n in notes] == ["n_scale_heterogeneity"] and notes[0].params == {"used": 200, "n": 260}
    assert notes[0].text == ("heterogeneity scores computed on a random subsample of 200 of 260 pairs "
                             "(kernel ridge costs O(n²); the scores are stable well below this size)")
    assert capped.linear_deficit is not None and full.linear_deficit is not None
    assert capped.linear_deficit < 0.2 and full.linear_deficit < 0.2  # linearly related spaces


def test_project_neighbours_are_cached_and_equal_the_search(tmp_path: Path) -> None:
    from engine.project.data import load_project
    from engine.project.neighbours import result_name
    from engine.store import Store
    from tests.test_study_analyze import _make_store

    store = tmp_path / "s.h5"
    _make_store(store)
    first = load_project(store, k=6)
    assert first.nn_image is not None and first.nn_text is not None and first.overlap is not None
    with Store.open(store) as st:
        a = st.embeddings(first.image_model or "")
        b = st.embeddings(first.text_model or "")
        assert len(st.result_keys(result_name(first.image_model or "", first.text_model or ""))) == 1
    aa, bb = prepare_pair(a, b, normalize=True)
    assert np.array_equal(first.nn_image, knn_graph(aa, 6)[0])
    assert np.array_equal(first.nn_text, knn_graph(bb, 6)[0])
    again = load_project(store, k=6)  # from the cache this time
    assert np.array_equal(again.nn_image, first.nn_image) and np.array_equal(again.overlap, first.overlap)
    without = load_project(tmp_path / "s.h5", k=7, neighbours=False)  # another k: not cached
    assert without.nn_image is None and without.xy_image is not None
    # the GUI's second job: computed from data it only reads, put in by the project model
    from engine.project.data import neighbour_lists
    from engine.project.model import ProjectModel

    lists = neighbour_lists(without)
    assert lists is not None and without.nn_image is None and without.overlap is None
    assert np.array_equal(lists.nn_image, knn_graph(aa, 7)[0])
    model, heard = ProjectModel(), []
    model.project_changed.connect(lambda d: heard.append(d))
    model.set_project(load_project(tmp_path / "s.h5", k=6, neighbours=False))
    model.add_neighbours(without, lists)  # for a project no longer open: ignored
    assert len(heard) == 1 and without.nn_image is None
    assert model.data is not None and model.data.nn_image is not None and model.data.k == 6
    model.set_project(without)
    model.add_neighbours(without, lists)
    assert len(heard) == 3 and heard[-1] is without
    assert without.nn_image is lists.nn_image and without.overlap is not None and without.k == 7


def test_study_caches_the_neighbour_lists_for_the_gui(tmp_path: Path) -> None:
    from engine.project.data import load_project
    from engine.study.analyze import analyze_store
    from tests.test_study_analyze import FAST, _make_store

    store = tmp_path / "s.h5"
    _make_store(store)
    analysis = analyze_store(store, "defect_class", options=FAST, use_cache=False)
    data = load_project(store, k=FAST.k, neighbours=False)  # no search allowed: lists from the study
    assert data.nn_image is not None and data.overlap is not None
    np.testing.assert_array_equal(data.overlap, analysis.per_sample.overlap)
    assert set(analysis.timings) >= {"knn_graphs", "metrics", "neighbours"}


def test_kernel_ridge_matches_scikit_learn() -> None:
    from sklearn.kernel_ridge import KernelRidge

    from engine.study.heterogeneity import kernel_ridge_predict

    rng = np.random.default_rng(6)
    x = rng.normal(size=(300, 5))
    y = np.sin(x[:, :2]) + 0.1 * rng.normal(size=(300, 2))
    ref = KernelRidge(alpha=1.0, kernel="rbf", gamma=0.1).fit(x[:200], y[:200]).predict(x[200:])
    np.testing.assert_allclose(kernel_ridge_predict(x[:200], y[:200], x[200:], 1.0, 0.1), ref, atol=1e-10)


def test_axes_fitted_on_a_subsample_span_the_planted_subspace() -> None:
    from engine.study import reduce

    rng = np.random.default_rng(7)
    w = rng.normal(size=(4, 40))
    x = (rng.normal(size=(2_000, 4)) @ w + 3.0 * w[0]).astype(np.float32)  # rank 4, off-centre
    rows = np.arange(0, 2_000, 2)
    fit = reduce.fit_rows(rows, 300, seed=1)
    assert fit.size == 300 and np.all(np.diff(fit) > 0) and np.isin(fit, rows).all()
    assert np.array_equal(reduce.fit_rows(rows, 300, seed=1), fit)  # seeded
    assert reduce.fit_rows(rows, 5_000) is rows                      # under the cap: all of them
    axes = reduce.fit_axes(x, 4, rows, fit_cap=300)
    assert axes.axes is not None
    # normalised, centred rows lie in the row space of w: 4 axes from 300 rows capture all of it
    full = reduce.unit_rows(x[rows]) - axes.mean
    residual = full - (full @ axes.axes) @ axes.axes.T
    assert np.abs(residual).max() < 1e-4 * np.abs(full).max()
    np.testing.assert_allclose(axes.mean, reduce.unit_rows(x[rows]).mean(axis=0), atol=1e-12)  # mean of all rows


def test_probes_on_a_subsample_fit_keep_the_planted_classes() -> None:
    from engine.study.probes import out_of_fold_probe, probe_scores, reduce_features

    rng = np.random.default_rng(8)
    y = rng.integers(0, 4, 3_000)
    centres = rng.normal(0, 4, (4, 6))
    x = ((centres[y] + rng.normal(size=(3_000, 6))) @ rng.normal(size=(6, 200))).astype(np.float32)
    rows = np.arange(3_000)
    red = reduce_features(x, 16, rows=rows, fit_cap=500)
    assert red.shape == (3_000, 16)
    acc = probe_scores(out_of_fold_probe(red, y.astype(str), folds=3, seed=0), seed=0, model="m",
                       modality="image").accuracy
    assert acc > 0.95  # the classes are 4 well-separated clusters: a linear probe finds them


def test_subsampling_notes_come_from_the_catalogue_in_both_languages() -> None:
    from engine.study import messages_en, messages_ja, scale_notes
    from engine.study.messages import Message, message
    from engine.typed_json import from_json, to_json

    keys = [k for k in messages_en.MESSAGES if k.startswith("n_scale_")]
    assert len(keys) == 5 and all(k in messages_ja.MESSAGES for k in keys)
    made = [scale_notes.probe_axes_sample(20_000, 100_000), scale_notes.retrieval_test_cap(100_000, 30_000, 10_000),
            scale_notes.retrieval_axes_sample(20_000, 90_000), scale_notes.heterogeneity_sample(3_000, 100_000),
            scale_notes.contrastive_epochs(5, 60, 90_000, 2_000)]
    assert sorted(m.key for m in made) == sorted(keys)
    probe, test = made[0], made[1]
    assert probe.text.startswith("probes: the 128 principal axes") and "random 20,000 of the 100,000" in probe.text
    ja_probe, ja_test = (message("ja", m.key, **m.params) for m in (probe, test))
    assert "プローブ" in ja_probe and "100,000" in ja_probe and "20,000" in ja_probe
    assert "検索" in ja_test and "10,000" in ja_test and "30,000" in ja_test
    assert from_json(Message, to_json(probe)) == probe
    for m in made:  # every sentence renders in Japanese with its numbers
        assert m.key in messages_ja.MESSAGES and message("ja", m.key, **m.params) != m.text


def test_distinct_rows_up_to_counts_exactly() -> None:
    from engine.study.discretize import distinct_rows_up_to

    rng = np.random.default_rng(9)
    base = rng.random((7, 5))
    x = base[rng.integers(0, 7, 500)]
    x[:7] = base  # all 7 present
    assert distinct_rows_up_to(x, 100) == 7 == np.unique(x, axis=0).shape[0]
    assert distinct_rows_up_to(x, 3) == 3
    y = x.copy()
    y[10, 4] += 1e-9  # one row differing in one value is another row
    assert distinct_rows_up_to(y, 100) == 8
    assert distinct_rows_up_to(np.zeros((0, 3)), 5) == 0


def test_large_pca_equals_the_dense_projection(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine import projections

    rng = np.random.default_rng(10)
    z = rng.normal(size=(3_000, 3)) * np.array([5.0, 2.0, 0.5])  # planted spectrum, well separated
    x = (z @ rng.normal(size=(3, 60)) + 0.05 * rng.normal(size=(3_000, 60)) + 4.0).astype(np.float32)
    x[17] = 0.0  # a zero row: left unscaled, then centred, as the dense path does
    dense = projections.pca_2d(x)
    monkeypatch.setattr(projections, "PCA_LARGE_FROM", 1_000)
    large = projections.pca_2d(x)
    np.testing.assert_allclose(large, dense, atol=2e-5)
    assert abs(np.corrcoef(large[:, 0], dense[:, 0])[0, 1] - 1) < 1e-9
    assert np.allclose(large.mean(axis=0), 0, atol=1e-5) and large[:, 0].var() > large[:, 1].var()


def test_study_rbf_cka_on_a_stated_subsample(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.study import stages
    from engine.study.messages import msg
    from engine.study.options import AnalyzeOptions
    from engine.study.result import ModelChoice, ModelPair

    rng = np.random.default_rng(11)
    z = rng.normal(size=(400, 4))
    a = (z @ rng.normal(size=(4, 12))).astype(np.float32)
    b = (z @ rng.normal(size=(4, 9))).astype(np.float32)   # both linear in z: strongly aligned
    shuffled = b[rng.permutation(400)]                        # no pairing left
    pair = ModelPair("img", "txt")
    models = ModelChoice(image=("img",), text=("txt",), default=pair, reason=msg("models_reason", image="img", image_why="given", text="txt", text_why="given"))
    opts = AnalyzeOptions(bootstrap=0, permutations=0)
    monkeypatch.setattr(stages, "STUDY_RBF_MAX_N", 250)
    (aligned,) = stages.pairs_stage({"img": a, "txt": b}, models, None, opts, 0, lambda _m: None)
    (broken,) = stages.pairs_stage({"img": a, "txt": shuffled}, models, None, opts, 0, lambda _m: None)
    assert any(n.key == "mn_rbf_subsample" and str(n.params.get("m")) == "250" and str(n.params.get("n")) == "400"
               for n in aligned.notes)
    assert aligned.metrics["cka_rbf"] > 0.5 > broken.metrics["cka_rbf"]
    assert abs(broken.metrics["unbiased_cka_rbf"]) < 0.1


def test_large_pca_fitted_on_a_subsample_keeps_the_planted_axes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Axes fitted on a random part of the rows, every row scored: the same picture as the
    dense PCA of all rows when the spectrum is planted well separated."""
    from engine import projections

    rng = np.random.default_rng(12)
    z = rng.normal(size=(6_000, 3)) * np.array([5.0, 2.0, 0.5])
    x = (z @ rng.normal(size=(3, 60)) + 0.05 * rng.normal(size=(6_000, 60)) + 4.0).astype(np.float32)
    dense = projections.pca_2d(x)
    monkeypatch.setattr(projections, "PCA_LARGE_FROM", 1_000)
    monkeypatch.setattr(projections, "PCA_FIT_ROWS", 1_500)
    sub = projections.pca_2d(x)
    assert sub.shape == dense.shape
    for j in range(2):
        assert np.corrcoef(sub[:, j], dense[:, j])[0, 1] > 0.999  # same axes, same signs
    assert sub[:, 0].var() > sub[:, 1].var()
    # a different fit subsample (seed) moves the picture only within the sampling error
    assert np.abs(sub - dense).max() < 0.05 * np.abs(dense).max()
