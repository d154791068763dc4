"""`alignscope demo DIR --lang ja`: Japanese reports for the same images with the same planted problems."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from helpers import have_multilingual_models

from engine.dataset.language import report_script, script_mix
from engine.demo import build_demo
from engine.demo.reports_ja import GLOBAL_DEFECTS, LOCAL_DEFECTS, NOMINAL_FINDINGS, VAGUE_FINDINGS
from engine.errors import InputError


def _rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "manifest.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("demo_ja")
    build_demo(base / "en", n=400, seed=3)
    build_demo(base / "ja", n=400, seed=3, lang="ja")
    return base / "en", base / "ja"


def test_same_images_metadata_and_planted_problems(pair):
    en, ja = pair
    planted_en = json.loads((en / "planted.json").read_text(encoding="utf-8"))
    planted_ja = json.loads((ja / "planted.json").read_text(encoding="utf-8"))
    assert planted_ja.pop("lang") == "ja" and planted_en.pop("lang") == "en"
    assert planted_ja == planted_en
    assert planted_ja["swapped_reports"] and planted_ja["long_reports"]
    rows_en, rows_ja = _rows(en), _rows(ja)
    for a, b in zip(rows_en, rows_ja, strict=True):
        assert {k: v for k, v in a.items() if k != "report"} == {k: v for k, v in b.items() if k != "report"}
    for name in ("images/textile_00001.jpg", "images/textile_00200.jpg"):
        if (en / name).exists():
            assert (en / name).read_bytes() == (ja / name).read_bytes()


def test_reports_are_japanese_and_say_what_the_facts_say(pair):
    _, ja = pair
    rows = _rows(ja)
    planted = json.loads((ja / "planted.json").read_text(encoding="utf-8"))
    swapped = {i for s in planted["swapped_reports"] for i in s["ids"]}
    vague = set(planted["vague_reports"])
    empty = {e["id"] for e in planted["empty_report"]}
    mix, _ = script_mix(r["report"] for r in rows)
    assert mix.dominant == "ja" and mix.reports["ja"] >= len(rows) - len(empty)
    assert len({r["report"] for r in rows}) > 0.9 * len(rows)
    for r in rows:
        if r["id"] in swapped | vague | empty:
            continue
        text = r["report"]
        assert report_script(text) == "ja", text
        if r["defect_class"] == "nominal":
            assert any(f.rstrip("。") in text for f in NOMINAL_FINDINGS), text
        elif r["defect_class"] == "local_defect":
            assert any(k in text for k in LOCAL_DEFECTS), text
        else:
            assert any(k in text for k in GLOBAL_DEFECTS), text
    for r in rows:
        if r["id"] in vague - swapped:
            assert any(v in r["report"] for v in VAGUE_FINDINGS)
    for pair_ in planted["swapped_reports"]:  # a defective part's report now says "no defect" and back
        texts = {r["id"]: r["report"] for r in rows if r["id"] in pair_["ids"]}
        nominal_id = pair_["ids"][pair_["classes"].index("nominal")]
        assert not any(f.rstrip("。") in texts[nominal_id] for f in NOMINAL_FINDINGS)


@pytest.mark.skipif(not have_multilingual_models(), reason="run `make models`")
def test_long_reports_are_truncated_by_the_multilingual_rungs(pair):
    from engine.encoders import load_encoder

    _, ja = pair
    planted = json.loads((ja / "planted.json").read_text(encoding="utf-8"))
    long_ids = {e["id"] for e in planted["long_reports"]}
    rows = {r["id"]: r["report"] for r in _rows(ja)}
    for model_id in ("multilingual-e5-small", "use-multilingual-v3"):
        enc = load_encoder(model_id, device="cpu", threads=1)
        lengths = enc.token_lengths([rows[i] for i in sorted(long_ids)])
        assert (lengths > 512).all(), (model_id, lengths)


def test_unknown_language_is_refused(tmp_path):
    with pytest.raises(InputError, match="--lang"):
        build_demo(tmp_path / "x", n=10, lang="fr")
