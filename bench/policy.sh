#!/usr/bin/env bash
# Policy server benchmarks (./teach_learn bench policy): the policy tick in process (2x256 MLP, raw
# ONNX Runtime), and lockstep environment steps per second through ROS with sim_arm and
# policy_server as separate processes on our master (reach, a quickly cloned policy).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"
CP="bench/target/classes:nodes/target/lib/*"
java -XX:+UseSerialGC -cp "$CP" org.teachlearn.bench.PolicyTickBench | tee "$OUT/policy_tick.txt"
source bench/lib.sh
quick_model
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start_master 11612
./teach_learn run sim_arm _task:=reach _lockstep:=true > "$OUT/lockstep-sim.log" 2>&1 & pids+=($!)
./teach_learn run policy_server _model:="$ROOT/$MODEL" _experience:=false > "$OUT/lockstep-policy.log" 2>&1 & pids+=($!)
java -XX:+UseSerialGC -cp "$CP" org.teachlearn.bench.LockstepRate "${BENCH_LOCKSTEP_SECONDS:-20}" 5 | tee "$OUT/lockstep.txt"
