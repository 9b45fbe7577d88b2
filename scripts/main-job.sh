#!/usr/bin/env bash
# The main job: builds supportnlp and analyses the bundled sample tickets with
# the default models, printing one JSON object per ticket.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >&2
exec "${BUILD_DIR:-build}/examples/supportnlp" analyze --input data/samples/tickets.jsonl "$@"
