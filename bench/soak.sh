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

# The machine's own floor, in the same run: cyclictest (C, mlocked, SCHED_FIFO 50, 1 kHz) for 60 s
# next to the same sim_arm load, in place of the policy server. Wake-ups late by a whole period are
# what no control loop on this machine can avoid.
kill "${pids[2]}" 2>/dev/null || true
if ! command -v cyclictest >/dev/null && [ "$(id -u)" -eq 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rt-tests >/dev/null 2>&1 || true
fi
if command -v cyclictest >/dev/null; then
  cyclictest -m -p 50 -i 1000 -l 60000 -q -h 100000 > "$OUT/soak-cyclictest.txt" 2>&1
  awk '/Max Latencies/ {max=$4+0} !/^#/ && $1>=1000 {late+=$2} END {printf "machine floor (cyclictest, 60 s, same load): %d of 60000 wake-ups late by >= 1 ms, worst %d us\n", late, max}' \
    "$OUT/soak-cyclictest.txt" | tee -a "$OUT/soak.txt"
else
  echo "machine floor: cyclictest (Debian rt-tests) is not installed; run as root to measure it" | tee -a "$OUT/soak.txt"
fi
