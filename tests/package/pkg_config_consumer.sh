#!/bin/sh
# Builds the consumer with the pkg-config lines of docs/building.md against an
# installed (and moved) prefix, then runs it.
#   pkg_config_consumer.sh PREFIX static|shared SOURCE OUTPUT EXPECTED_DATA_DIR [extra flags]
set -eu
prefix=$1 linkage=$2 src=$3 out=$4 data=$5
shift 5
pc=$(find "$prefix" -name supportnlp.pc | head -n 1)
[ -n "$pc" ] || { echo "no supportnlp.pc under $prefix" >&2; exit 1; }
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
echo "pkg-config --variable=prefix supportnlp: $(pkg-config --variable=prefix supportnlp)"
case $linkage in
  static) flags=$(pkg-config --cflags --libs --static supportnlp) ;;
  shared) flags="$(pkg-config --cflags --libs supportnlp) -Wl,-rpath,$(pkg-config --variable=libdir supportnlp)" ;;
  *) echo "static or shared, not '$linkage'" >&2; exit 2 ;;
esac
echo "c++ -std=c++17 $src $flags $* -o $out"
# shellcheck disable=SC2086 # the flags are words
c++ -std=c++17 "$src" $flags "$@" -o "$out"
SUPPORTNLP_DATA='' "$out" "$data"
