#!/usr/bin/env bash
# Installs the Debian 12 packages supportnlp needs to build, test and
# benchmark. Run as root (or with sudo available); does nothing when all are
# present already.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libicu-dev libeigen3-dev libsentencepiece-dev sentencepiece nlohmann-json3-dev
  catch2 libbenchmark-dev unicode-data
  # libFuzzer and its sanitizer runtimes for scripts/fuzz.sh
  clang libclang-rt-14-dev
  # peers measured in the benchmarks and evaluation tools
  fasttext libfasttext-dev libcld2-dev libfaiss-dev python3 python3-xapian
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "setup: missing packages and not root: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
