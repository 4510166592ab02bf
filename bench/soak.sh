#!/usr/bin/env bash
# Soak (./teach_learn bench soak [SECONDS]): policy_server's timed loop at 1 kHz on sim_arm running in
# real time at 1 kHz, three processes on our master, for SECONDS (600 by default). The server logs,
# every 30 s, its ticks, missed ticks (finished after their period), slowest tick and resident memory.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"
SECONDS_TO_RUN=${1:-600}
source bench/lib.sh
quick_model
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start_master 11611
./teach_learn run sim_arm _task:=reach _lockstep:=false _rate:=1000 _control_period:=0.001 _physics_dt:=0.001 \
  > "$OUT/soak-sim.log" 2>&1 & pids+=($!)
./teach_learn run policy_server _model:="$ROOT/$MODEL" _lockstep:=false _rate:=1000 _stats_period:=30 \
  > "$OUT/soak-policy.log" 2>&1 & pids+=($!)
sleep "$SECONDS_TO_RUN"
grep "policy_server loop" "$OUT/soak-policy.log" | tee "$OUT/soak.txt"
