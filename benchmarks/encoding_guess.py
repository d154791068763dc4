"""How often the legacy-encoding guess (engine.dataset.encoding.decode_text) misreads short
reports: random Western European reports written as Windows-1252 and random Japanese ones
written as CP932, each in a two-column manifest, no BOM, nothing to go on but the bytes.

    .venv/bin/python benchmarks/encoding_guess.py [--n 3000] [--seed 1] [--show 5]

Prints the misread counts (a Western file read as anything but Windows-1252, a Japanese one
as anything but CP932) and the first misread texts. The vocabularies are small and the texts
short (1-6 words): the hard case, where a few bytes must decide.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.dataset.encoding import decode_text

WESTERN = ("défaut tissage près bord vérifier qualität geprüft mängel pièce rayure côté gauche größe "
           "oberfläche glänzend contrôle tache huile façade crème niño está dañada él sí usine nord "
           "riss fleck oben teil défectueux scratch left right edge part ok fine well known coating "
           "stain spot").split()
MARKS = ["“{}”", "„{}“", "‘{}’", "{}’s", "l’{}", "d’{}", "{} –", "• {}", "«{}»", "{}…", "{} °C", "{} µm"]
JAPANESE = ("外観 検査 不良品 傷 あり 湿度 良好 表面 に 幅 3mm 左上 異物 （黒） 判定 ： 不良 OK ｶﾞｲｶﾝ "
            "汚れ 欠陥 中央 下 上 工程 班 糸 張力 織機 pcs a b").split()


def western(rng: random.Random) -> str:
    words = [rng.choice(WESTERN) for _ in range(rng.randint(1, 6))]
    return " ".join(rng.choice(MARKS).format(w) if rng.random() < 0.3 else w for w in words)


def japanese(rng: random.Random) -> str:
    return "".join(rng.choice(JAPANESE) + (" " if rng.random() < 0.3 else "") for _ in range(rng.randint(1, 5)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    counted = {"cp1252": 0, "cp932": 0}
    misread: dict[str, list[str]] = {"cp1252": [], "cp932": []}
    for _ in range(args.n):
        for codec, text in (("cp1252", western(rng)), ("cp932", japanese(rng))):
            raw = f"id,report\n1,{text}\n".encode(codec)
            if raw.isascii():
                continue  # nothing to guess
            counted[codec] += 1
            if decode_text(raw).encoding != codec:
                misread[codec].append(text)
    for codec, name in (("cp1252", "Western (Windows-1252)"), ("cp932", "Japanese (CP932)")):
        print(f"{name}: {len(misread[codec])} misread of {counted[codec]}")
        for text in misread[codec][:args.show]:
            print(f"    {text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
