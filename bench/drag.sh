#!/usr/bin/env bash
# drag_teach benchmark (./teach_learn bench drag): the feel on the built-in simulator in both modes
# (force for 0.1 and 0.3 m/s, drift with a 0.5 kg tool, pushed into the table) and the tick in
# process; then drag_teach as its own process on our master at 1 kHz through ROS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"
CP="bench/target/classes:bench/target/lib/*"
java -XX:+UseSerialGC -cp "$CP" org.teachlearn.bench.DragBench "${BENCH_DRAG_TICKS:-200000}" | tee "$OUT/drag.txt"
source bench/lib.sh
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start_master 11613
./teach_learn run drag_teach > "$OUT/drag-node.log" 2>&1 & pids+=($!)
java -XX:+UseSerialGC -cp "$CP" org.teachlearn.bench.DragRoundTrip "${BENCH_DRAG_ROS_TICKS:-60000}" 1000 | tee -a "$OUT/drag.txt"
