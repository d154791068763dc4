"""`alignscope demo DIR`: a realistic textile-inspection dataset built from conformal-clip-data.

Writes DIR/images/*.jpg, DIR/manifest.csv and DIR/planted.json. Deterministic for a seed.
``lang="ja"`` writes Japanese reports for the same images, metadata and planted problems
(the planted rows are drawn before any report is written, so they do not depend on it).
Planted on purpose (and documented in planted.json): reports swapped between a nominal and
a defective part, missing / zero-byte / truncated / not-an-image files, an empty report,
and a few over-long reports (kept, flagged truncated by the text encoder).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.demo.reports import Facts, write_report
from engine.demo.reports_ja import write_report_ja
from engine.errors import InputError
from engine.progress import Progress, report

CLASSES: tuple[str, ...] = ("nominal", "local_defect", "global_defect")
LINES: tuple[str, ...] = ("L1", "L2", "L3", "L4")
SHIFTS: tuple[str, ...] = ("day", "evening", "night")
INSPECTORS: tuple[str, ...] = ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito",
                               "Yamamoto", "Nakamura", "Kobayashi", "Kato")
# Line mix per class: global defects come more often from L3 (humidity problems), a fact
# the reports can carry and the images cannot.
LINE_P = {"nominal": (0.3, 0.3, 0.15, 0.25), "local_defect": (0.25, 0.3, 0.2, 0.25),
          "global_defect": (0.15, 0.15, 0.5, 0.2)}
HUMIDITY = {"L1": 45.0, "L2": 52.0, "L3": 61.0, "L4": 48.0}
TENSION = {"nominal": 22.0, "local_defect": 23.0, "global_defect": 24.5}
COLUMNS: tuple[str, ...] = ("id", "image", "report", "defect_class", "severity", "pass_fail",
                            "line", "shift", "inspector", "date", "tension_cN", "humidity_pct",
                            "loom_speed_rpm")


@dataclass(frozen=True)
class DemoSummary:
    out_dir: Path
    manifest: Path
    n_rows: int
    planted: dict[str, object]


def source_images() -> dict[str, list[Path]]:
    """The 2,000 conformal-clip-data images by class (sorted file names)."""
    try:
        import conformal_clip_data as ccd
    except ImportError as exc:  # pragma: no cover - it is a runtime dependency
        raise InputError("the demo needs the conformal-clip-data package (pip install "
                         "conformal-clip-data==0.1.4)") from exc
    dirs = {"nominal": ccd.nominal_dir(), "local_defect": ccd.local_dir(),
            "global_defect": ccd.global_dir()}
    return {c: sorted(Path(d).glob("*.jpg")) for c, d in dirs.items()}


def _choose(rng: np.random.Generator, pool: dict[str, list[Path]], n: int) -> list[tuple[str, Path]]:
    total = sum(len(v) for v in pool.values())
    if not 1 <= n <= total:
        raise InputError(f"--n must be between 1 and {total} (got {n})")
    counts = {c: round(n * len(pool[c]) / total) for c in CLASSES}
    counts["nominal"] += n - sum(counts.values())
    chosen: list[tuple[str, Path]] = []
    for c in CLASSES:
        idx = np.sort(rng.choice(len(pool[c]), size=counts[c], replace=False))
        chosen += [(c, pool[c][int(i)]) for i in idx]
    order = rng.permutation(len(chosen))
    return [chosen[int(i)] for i in order]


def _severity(rng: np.random.Generator, cls: str) -> str:
    if cls == "nominal":
        return "none"
    return str(rng.choice(("minor", "moderate", "major"), p=(0.45, 0.35, 0.2)))


LANGUAGES: tuple[str, ...] = ("en", "ja")


def build_demo(out_dir: str | Path, n: int | None = None, seed: int = 0,
               progress: Progress | None = None, lang: str = "en") -> DemoSummary:
    """Write the demo dataset into ``out_dir`` (created; existing demo files are replaced)."""
    if lang not in LANGUAGES:
        raise InputError(f"--lang must be one of {', '.join(LANGUAGES)} (got {lang!r})")
    report_writer = write_report_ja if lang == "ja" else write_report
    out = Path(out_dir)
    pool = source_images()
    n = sum(len(v) for v in pool.values()) if n is None else n
    rng = np.random.default_rng(seed)
    chosen = _choose(rng, pool, n)
    images_dir = out / "images"
    if images_dir.exists():
        shutil.rmtree(images_dir)
    images_dir.mkdir(parents=True)
    start = dt.date(2025, 4, 1)
    facts: list[Facts] = []
    meta: list[dict[str, str]] = []
    for i, (cls, _src) in enumerate(chosen):
        line = str(rng.choice(LINES, p=LINE_P[cls]))
        shift = str(rng.choice(SHIFTS))
        sev = _severity(rng, cls)
        f = Facts(cls, sev, line, shift,
                  tension_cn=float(rng.normal(TENSION[cls], 1.6)),
                  humidity_pct=float(np.clip(rng.normal(HUMIDITY[line], 4.0), 25, 90)),
                  speed_rpm=int(rng.choice((520, 560, 600, 640))))
        facts.append(f)
        meta.append({
            "id": f"TX-{i + 1:05d}", "image": f"images/textile_{i + 1:05d}.jpg",
            "defect_class": cls, "severity": sev, "pass_fail": "pass" if cls == "nominal" else "fail",
            "line": line, "shift": shift, "inspector": str(rng.choice(INSPECTORS)),
            "date": (start + dt.timedelta(days=int(rng.integers(0, 91)))).isoformat(),
            "tension_cN": f"{f.tension_cn:.1f}", "humidity_pct": f"{f.humidity_pct:.0f}",
            "loom_speed_rpm": str(f.speed_rpm),
        })
    k_bad = max(1, n // 500)
    k_swap = max(1, n // 200)
    k_long = max(1, n // 400)
    order = [int(i) for i in rng.permutation(n)]
    bad_kinds = ("missing", "zero_bytes", "truncated", "not_an_image", "empty_report")
    bad: dict[str, list[int]] = {}
    cursor = 0
    for kind in bad_kinds:
        bad[kind] = order[cursor : cursor + k_bad] if n > cursor else []
        cursor += k_bad
    broken = {i for rows in bad.values() for i in rows}
    nominal = [i for i in order[cursor:] if chosen[i][0] == "nominal"]
    defective = [i for i in order[cursor:] if chosen[i][0] != "nominal"]
    swaps = list(zip(nominal[:k_swap], defective[:k_swap], strict=False))
    used = broken | {i for pair in swaps for i in pair}
    long_rows = [i for i in order[cursor:] if i not in used][:k_long]
    vague = {i for i in range(n) if chosen[i][0] != "nominal" and rng.random() < 0.08}
    texts = [report_writer(rng, facts[i], vague=i in vague, long=i in long_rows) for i in range(n)]
    for a, b in swaps:
        texts[a], texts[b] = texts[b], texts[a]
    for i in bad["empty_report"]:
        texts[i] = "   "
    for i, (_cls, src) in enumerate(chosen):
        report(progress, i, n, "copying images")
        target = out / meta[i]["image"]
        if i in bad["missing"]:
            continue
        if i in bad["zero_bytes"]:
            target.write_bytes(b"")
        elif i in bad["truncated"]:
            data = src.read_bytes()
            target.write_bytes(data[: len(data) // 3])
        elif i in bad["not_an_image"]:
            target.write_text("This is not a picture: the camera export failed.\n")
        else:
            shutil.copyfile(src, target)
    manifest = out / "manifest.csv"
    with manifest.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for i in range(n):
            row = dict(meta[i], report=texts[i])
            writer.writerow([row[c] for c in COLUMNS])
    ident = [m["id"] for m in meta]
    planted: dict[str, object] = {
        "seed": seed,
        "lang": lang,
        "n_rows": n,
        "source": "conformal-clip-data==0.1.4 textile images (nominal / local / global defect)",
        "note": "manifest row = file line (header is line 1, so sample i is on line i + 2)",
        "swapped_reports": [
            {"ids": [ident[a], ident[b]], "rows": [a + 2, b + 2],
             "classes": [chosen[a][0], chosen[b][0]]} for a, b in swaps
        ],
        "long_reports": [{"id": ident[i], "row": i + 2} for i in long_rows],
        "vague_reports": sorted(ident[i] for i in vague),
        **{kind: [{"id": ident[i], "row": i + 2, "file": meta[i]["image"]} for i in rows]
           for kind, rows in bad.items()},
        "origin": {ident[i]: f"{chosen[i][0]}/{chosen[i][1].name}" for i in range(n)},
    }
    (out / "planted.json").write_text(json.dumps(planted, indent=1), encoding="utf-8")
    report(progress, n, n, "demo written")
    return DemoSummary(out, manifest, n, planted)
