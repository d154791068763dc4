"""Floors of issue 16 through the CLI (`alignscope encode --model ID --texts FILE`).

28 held-out Japanese inspection sentences (tests/paraphrase_ja.tsv: eight kinds of
parts and processes, with near neighbours such as four weld and three paint defects): each
multilingual rung ranks the Japanese paraphrase first among 20 Japanese candidates for
≥ 90 % of the queries and the English translation first among 20 English candidates for
≥ 80 %. The English-only baseline fails the same check (so the check can fail).
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import have_multilingual_models

from models_onnx.ladder import MULTILINGUAL_MODELS
from models_onnx.paraphrase_check import FLOOR_EN, FLOOR_JA, load_items, paraphrase_score, top1_hits

needs_models = pytest.mark.skipif(not have_multilingual_models(),
                                  reason="run `make models` (exports the multilingual rungs)")


@needs_models
@pytest.mark.slow
@pytest.mark.parametrize("model_id", MULTILINGUAL_MODELS)
def test_multilingual_rung_passes_the_paraphrase_floors(model_id):
    score = paraphrase_score(model_id, load_items())
    assert score.queries >= 20
    assert score.ja_rate >= FLOOR_JA, score
    assert score.en_rate >= FLOOR_EN, score


@needs_models
@pytest.mark.slow
def test_english_only_rung_fails_the_japanese_check():
    score = paraphrase_score("all-minilm-l6", load_items())
    assert not score.passes, score
    assert score.en_rate < 0.5, score


def test_top1_hits_on_known_geometry():
    rng = np.random.default_rng(0)
    queries = rng.normal(size=(25, 16))
    assert top1_hits(queries, queries + 0.01 * rng.normal(size=queries.shape)) == 25
    assert top1_hits(queries, -queries) == 0
    shuffled = np.roll(queries, 1, axis=0)  # each answer belongs to the previous query
    assert top1_hits(queries, shuffled) == 0
