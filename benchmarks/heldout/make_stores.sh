#!/usr/bin/env bash
# Build the default held-out datasets, embed them, and print their sanity figures.
#
#   benchmarks/heldout/make_stores.sh [--more] [NAME ...]
#
# NAME: garments-en parts-en parts-ja garments-ja (default: all four).
# --more also embeds all-minilm-l6 and efficientnet-lite1 (a second rung of each ladder).
# Japanese sets also get multilingual-e5-small when `app models` lists it.
# Output (outside any repository): $HELDOUT_DIR (default /work/heldout)/NAME/ (dataset),
# NAME.h5 (store), SANITY-NAME.txt (figures). Run from the repository root.
# garments needs Debian's dataset-fashion-mnist: apt-get install dataset-fashion-mnist
set -euo pipefail

PYTHON="${PYTHON:-.venv/bin/python}"
OUT="${HELDOUT_DIR:-/work/heldout}"
MODELS=(--image-model efficientnet-lite0 --text-model paraphrase-minilm-l3)
NAMES=()
for arg in "$@"; do
  case "$arg" in
    --more) MODELS+=(--image-model efficientnet-lite1 --text-model all-minilm-l6) ;;
    *) NAMES+=("$arg") ;;
  esac
done
[ ${#NAMES[@]} -gt 0 ] || NAMES=(garments-en parts-en parts-ja garments-ja)
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p "$OUT"

spec() {  # name -> "domain n planted lang seed labels"
  case "$1" in
    garments-en) echo "garments 1000 40 en 11 garment_class,visual_defect" ;;
    parts-en)    echo "parts 600 30 en 12 verdict,part_type,defect_type" ;;
    parts-ja)    echo "parts 240 8 ja 13 判定" ;;
    garments-ja) echo "garments 1000 40 ja 14 分類,外観不良" ;;
    *) echo "unknown held-out set: $1" >&2; return 1 ;;
  esac
}

for name in "${NAMES[@]}"; do
  read -r domain n planted lang seed labels <<<"$(spec "$name")"
  echo "== $name: $domain n=$n planted=$planted lang=$lang seed=$seed"
  nice -n 10 "$PYTHON" -m benchmarks.heldout.build --domain "$domain" --n "$n" \
    --planted "$planted" --lang "$lang" --seed "$seed" --out "$OUT/$name"
  rm -f "$OUT/$name.h5"
  extra=()
  if [ "$lang" = ja ] && "$PYTHON" -m app models | grep -q '^multilingual-e5-small '; then
    extra=(--text-model multilingual-e5-small)
  fi
  nice -n 10 "$PYTHON" -m app embed "$OUT/$name" --store "$OUT/$name.h5" "${MODELS[@]}" "${extra[@]}"
  label_args=()
  IFS=, read -r -a label_list <<<"$labels"
  for l in "${label_list[@]}"; do label_args+=(--label "$l"); done
  nice -n 10 "$PYTHON" -m benchmarks.heldout.sanity "$OUT/$name.h5" --dataset "$OUT/$name" \
    "${label_args[@]}" | tee "$OUT/SANITY-$name.txt"
done
