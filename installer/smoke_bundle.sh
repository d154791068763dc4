#!/usr/bin/env bash
# Smoke test of the frozen bundle in a clean environment: no Python on PATH, fresh HOME,
# no network variables, offscreen Qt. Prints the start-up time of the main window.
set -euo pipefail
BUNDLE=${1:-dist/alignscope}
EXE="$(cd "$BUNDLE" && pwd)/alignscope"
WORK=$(mktemp -d)
run() { env -i HOME="$WORK/home" PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 "$EXE" "$@"; }
mkdir -p "$WORK/home"
cd "$WORK"
run --version
run models --json > models.json
# a user-registered encoder (validated with onnx + onnxruntime inside the bundle)
cp "$(dirname "$EXE")/_internal/models_onnx/exported/efficientnet-lite0.onnx" my-encoder.onnx
run models add my-encoder.onnx --modality image --id my-encoder
run models --json | grep -q '"my-encoder"'
run demo demo --n 120 --seed 1
run embed demo --store demo.h5
run info demo.h5 --json > info.json
run analyze --store demo.h5 --label defect_class --json > analysis.json
run report --store demo.h5 --out report.pdf
test -s report.pdf
# Japanese reports: the multilingual rungs run from the bundle alone (no weight packages inside)
run models --json | grep -q '"multilingual-e5-small"'
run demo demo-ja --n 60 --seed 1 --lang ja
run embed demo-ja --store ja.h5 --text-model multilingual-e5-small --text-model use-multilingual-v3
run info ja.h5 --json > info-ja.json
grep -q '"dominant": "ja"' info-ja.json
run report --store ja.h5 --out report-ja.pdf --lang ja
test -s report-ja.pdf
start=$(date +%s%N)
run gui --screenshot start.png
end=$(date +%s%N)
echo "start-up to main window and screenshot: $(( (end - start) / 1000000 )) ms"
run gui demo.h5 --screenshot spaces.png --view spaces
test -s spaces.png
echo "bundle smoke test passed in $WORK"
