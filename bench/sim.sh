#!/usr/bin/env bash
# Simulator benchmark (./teach_learn bench sim): physics steps per second on one core for reach
# (arm only) and pick and place (contacts), and time and bytes inside ode4j versus ours.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"
PIN=()
command -v taskset >/dev/null && PIN=(taskset -c 0)
"${PIN[@]}" java -XX:+UseSerialGC -XX:-UsePerfData -XX:ActiveProcessorCount=1 \
  -cp "bench/target/classes:nodes/target/lib/*" org.teachlearn.bench.SimBench "${BENCH_SIM_SECONDS:-10}" | tee "$OUT/sim.txt"
