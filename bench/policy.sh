#!/usr/bin/env bash
# Policy server benchmarks (./teach_learn bench policy): the policy tick in process (2x256 MLP, raw
# ONNX Runtime), and lockstep environment steps per second through ROS with sim_arm and
# policy_server as separate processes on our master (reach, the demo's model or a quick clone).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"
CP="bench/target/classes:nodes/target/lib/*"
java -XX:+UseSerialGC -cp "$CP" org.teachlearn.bench.PolicyTickBench | tee "$OUT/policy_tick.txt"
MODEL=$OUT/soak-model/policy.onnx
[ -f "$MODEL" ] || ./teach_learn train bc --demos 20 --epochs 50 --eval-episodes 5 --out "$OUT/soak-model" | tail -1
export ROS_MASTER_URI=http://127.0.0.1:11612 ROS_IP=127.0.0.1
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
./teach_learn master -p 11612 > "$OUT/lockstep-master.log" 2>&1 & pids+=($!)
sleep 2
./teach_learn run sim_arm _task:=reach _lockstep:=true > "$OUT/lockstep-sim.log" 2>&1 & pids+=($!)
./teach_learn run policy_server _model:="$ROOT/$MODEL" _experience:=false > "$OUT/lockstep-policy.log" 2>&1 & pids+=($!)
java -XX:+UseSerialGC -cp "$CP" org.teachlearn.bench.LockstepRate "${BENCH_LOCKSTEP_SECONDS:-20}" 5 | tee "$OUT/lockstep.txt"
