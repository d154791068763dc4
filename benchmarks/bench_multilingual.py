"""Japanese paraphrase check of every text rung through the CLI (`alignscope encode --texts`).

    .venv/bin/python benchmarks/bench_multilingual.py [--models ID ...] [--data TSV]

For each query of the TSV (query, Japanese paraphrase, English translation): is the paraphrase
the nearest of 20 Japanese candidates, and the translation the nearest of 20 English ones?
Floors (issue 16): ≥ 90 % and ≥ 80 % for the multilingual rungs. English-only rungs are
printed as the baseline. Quality figures, not speed: the load of the machine does not matter.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models_onnx.paraphrase_check import (
    DATA,
    FLOOR_EN,
    FLOOR_JA,
    N_CANDIDATES,
    load_items,
    paraphrase_score,
)

DEFAULT_MODELS = ["multilingual-e5-small", "use-multilingual-v3", "all-minilm-l6", "paraphrase-minilm-l3"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=DEFAULT_MODELS)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    from engine.encoders import get_spec

    items = load_items(args.data)
    print(f"{len(items)} Japanese queries from {args.data}; {N_CANDIDATES} candidates each "
          f"(floors: ja ≥ {FLOOR_JA:.0%}, en ≥ {FLOOR_EN:.0%})")
    for model_id in args.models:
        spec = get_spec(model_id)
        s = paraphrase_score(model_id, items)
        verdict = ("OK" if s.passes else "BELOW FLOOR") if "ja" in spec.languages else "English-only baseline"
        print(f"{model_id:<22} ja paraphrase top-1 {s.ja_hits:>2}/{s.queries} ({s.ja_rate:4.0%})   "
              f"ja→en translation top-1 {s.en_hits:>2}/{s.queries} ({s.en_rate:4.0%})   {verdict}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
