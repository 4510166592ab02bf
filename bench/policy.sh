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
java -XX:+UseSerialGC -cp "bench/target/classes:bench/target/lib/*" org.teachlearn.bench.PolicyTickBench | tee "$OUT/policy_tick.txt"
source bench/lib.sh
quick_model
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start_master 11612
./teach_learn run sim_arm _task:=reach _lockstep:=true > "$OUT/lockstep-sim.log" 2>&1 & pids+=($!)
./teach_learn run policy_server _model:="$ROOT/$MODEL" _experience:=false > "$OUT/lockstep-policy.log" 2>&1 & pids+=($!)
java -XX:+UseSerialGC -cp "$CP" org.teachlearn.bench.LockstepRate "${BENCH_LOCKSTEP_SECONDS:-20}" 5 | tee "$OUT/lockstep.txt"
kill "${pids[@]:1}" 2>/dev/null || true

# Round trips through the node over TCPROS, one driver of ours alternating trip by trip between
# policy_server (lockstep) answering an observation with a command, a roscpp node echoing a
# JointState, and a roscpp node with policy_server's topics and no model.
CPP=ros/target/peers/peer
mkdir -p ros/target/peers
if [ ! -x "$CPP" ] || [ ros/src/test/peers/peer.cpp -nt "$CPP" ]; then
  g++ -O2 -o "$CPP" ros/src/test/peers/peer.cpp $(pkg-config --cflags --libs roscpp std_msgs sensor_msgs)
fi
N=${BENCH_ROUNDTRIPS:-20000}
./teach_learn run policy_server _model:="$ROOT/$MODEL" _experience:=false > "$OUT/roundtrip-policy.log" 2>&1 & pids+=($!)
"$CPP" jsecho /echo_in /echo_out > "$OUT/roundtrip-echo.log" 2>&1 & pids+=($!)
"$CPP" jspair __ns:=/pair > "$OUT/roundtrip-pair.log" 2>&1 & pids+=($!)
sleep 3
java -XX:+UseSerialGC -cp "$CP" org.teachlearn.bench.PolicyRoundTrip "$N" | tee "$OUT/roundtrip.txt"
/usr/bin/python3 - "$OUT/roundtrip.txt" <<'PY'
import re, sys
r = [tuple(float(x) for x in re.findall(r"p50 ([\d.]+) us, p99 ([\d.]+) us, p99.9 ([\d.]+)", l)[0]) for l in open(sys.argv[1]) if "round trip" in l]
print(f"round trip ratio policy_server/roscpp echo: p50 {r[0][0]/r[1][0]:.2f}, p99 {r[0][1]/r[1][1]:.2f}, p99.9 {r[0][2]/r[1][2]:.2f}  (target p99 <= 1.00)")
print(f"round trip ratio policy_server/roscpp same topics: p50 {r[0][0]/r[2][0]:.2f}, p99 {r[0][1]/r[2][1]:.2f}, p99.9 {r[0][2]/r[2][2]:.2f}")
PY
