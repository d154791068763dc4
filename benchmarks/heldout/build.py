"""CLI: write one held-out dataset.

    python -m benchmarks.heldout.build --domain garments|parts --n N --planted P \
        --lang en|ja --seed S --out DIR

DIR receives the images, ``manifest.csv`` (UTF-8 for English; the Japanese garments sheet
is UTF-8 with BOM, the Japanese parts sheet CP932 as a Japanese plant's Excel writes it)
and ``planted.json``. Deterministic for a seed. Embed it with ``python -m app embed DIR``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.heldout.common import Sample, apply_plants, plant_mismatches, write_dataset

DOMAINS: tuple[str, ...] = ("garments", "parts")
HOW = ("the report of each listed row was replaced by a copy of the report of another row "
       "(its donor), chosen of another class and with other visible attributes where possible; "
       "the donor keeps its own report, so the copied text describes the donor's image, "
       "not this one. Manifest labels and metadata stay those of the row's own image.")


@dataclass(frozen=True)
class Built:
    out_dir: Path
    manifest: Path
    header: tuple[str, ...]
    samples: list[Sample]
    planted: dict[str, object]


def _samples(domain: str, rng: np.random.Generator, n: int, lang: str
             ) -> tuple[list[Sample], tuple[str, ...], str]:
    if domain == "garments":
        from benchmarks.heldout import garment_set
        return garment_set.build(rng, n, lang), garment_set.header(lang), (
            "utf-8-sig" if lang == "ja" else "utf-8")
    if domain == "parts":
        from benchmarks.heldout import part_set
        return part_set.build(rng, n, lang), part_set.header(lang), (
            "cp932" if lang == "ja" else "utf-8")
    raise ValueError(f"unknown domain {domain!r}; choose from {', '.join(DOMAINS)}")


def build_dataset(domain: str, n: int, planted: int, lang: str, seed: int, out: Path,
                  quiet: bool = True) -> Built:
    """Generate, plant and write one dataset; ``out`` is replaced if it holds an older one."""
    if lang not in ("en", "ja"):
        raise ValueError(f"--lang must be en or ja (got {lang!r})")
    if n < 20:
        raise ValueError(f"--n must be at least 20 (got {n})")
    rng = np.random.default_rng(seed)
    samples, header, encoding = _samples(domain, rng, n, lang)
    pairs = plant_mismatches(rng, samples, planted)
    apply_plants(samples, pairs)
    planted_info: dict[str, object] = {
        "mismatched": [samples[t].ident for t, _ in pairs],
        "how": HOW,
        "donors": {samples[t].ident: samples[d].ident for t, d in pairs},
        "classes": {samples[t].ident: [samples[t].group, samples[d].group] for t, d in pairs},
        "domain": domain, "lang": lang, "seed": seed, "n_rows": n, "encoding": encoding,
        "id_column": header[0], "image_column": header[1], "report_column": header[2],
    }
    out = Path(out)
    for stale in ("images", "photos", "写真"):
        if (out / stale).is_dir() and (out / "planted.json").is_file():
            shutil.rmtree(out / stale)

    def progress(i: int, total: int) -> None:
        if not quiet and (i % 200 == 0 or i == total):
            print(f"  wrote {i}/{total} images", file=sys.stderr)

    manifest = write_dataset(out, samples, header, encoding, planted_info, progress)
    return Built(out, manifest, header, samples, planted_info)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.heldout.build",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--domain", choices=DOMAINS, required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--planted", type=int, default=0)
    parser.add_argument("--lang", choices=("en", "ja"), default="en")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        built = build_dataset(args.domain, args.n, args.planted, args.lang, args.seed, args.out,
                              quiet=False)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"{built.manifest}: {len(built.samples)} rows, "
          f"{len(built.planted['mismatched'])} planted mismatches (planted.json)")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
