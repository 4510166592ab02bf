#!/usr/bin/env bash
# Wire benchmarks, one run, peers side by side (./teach_learn bench):
#   round trip of a 14-value Float64MultiArray: ours<->ours, roscpp<->roscpp, rospy<->rospy
#   sensor_msgs/JointState throughput: ours->ours, roscpp->roscpp
#   bytes allocated per message on our publish and receive paths after warm-up
# Every process talks through one master (ours) on loopback; tcp_nodelay everywhere.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N=${BENCH_ROUND_TRIPS:-20000}
N_PY=${BENCH_ROUND_TRIPS_PY:-5000}
SECONDS_TP=${BENCH_SECONDS:-5}
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT" ros/target/peers
export ROS_IP=127.0.0.1
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])')
export ROS_MASTER_URI=http://127.0.0.1:$PORT/
JAVA=(java -XX:+UseSerialGC -XX:-UsePerfData -cp "bench/target/classes:nodes/target/lib/*" org.teachlearn.bench.WirePeer)
CPP=ros/target/peers/peer
PY=(/usr/bin/python3 ros/src/test/peers/peer.py)

if [ ! -x "$CPP" ] || [ ros/src/test/peers/peer.cpp -nt "$CPP" ]; then
  g++ -O2 -o "$CPP" ros/src/test/peers/peer.cpp $(pkg-config --cflags --libs roscpp std_msgs sensor_msgs)
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

java -cp "nodes/target/classes:nodes/target/lib/*" org.teachlearn.nodes.Main master -p "$PORT" > "$OUT/master.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "started master" "$OUT/master.log" 2>/dev/null && break; sleep 0.1; done

wait_ready() { for _ in $(seq 300); do grep -q '^ready' "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "peer never ready: $1" >&2; cat "$1" >&2; exit 1; }

round_trip() { # name, echo command..., -- ping command...
  local name=$1; shift
  local echo_cmd=() ping_cmd=()
  while [ "$1" != "--" ]; do echo_cmd+=("$1"); shift; done; shift
  ping_cmd=("$@")
  "${echo_cmd[@]}" > "$OUT/$name.echo.log" 2>&1 &
  local ep=$!; pids+=($ep)
  wait_ready "$OUT/$name.echo.log"
  "${ping_cmd[@]}" > "$OUT/$name.ping.log" 2>&1
  kill $ep 2>/dev/null || true
}

echo "round trips (${N} ours/roscpp, ${N_PY} rospy), 14 x float64, loopback ..." >&2
round_trip ours "${JAVA[@]}" echo /j_ping /j_pong -- "${JAVA[@]}" ping /j_ping /j_pong "$N"
round_trip roscpp "$CPP" echo /c_ping /c_pong -- "$CPP" ping /c_ping /c_pong "$N"
round_trip rospy "${PY[@]}" echo /p_ping /p_pong -- "${PY[@]}" ping /p_ping /p_pong "$N_PY"

throughput() { # name, sub command..., -- pub command...
  local name=$1; shift
  local sub_cmd=() pub_cmd=()
  while [ "$1" != "--" ]; do sub_cmd+=("$1"); shift; done; shift
  pub_cmd=("$@")
  "${sub_cmd[@]}" > "$OUT/$name.sub.log" 2>&1 &
  local sp=$!; pids+=($sp)
  wait_ready "$OUT/$name.sub.log"
  "${pub_cmd[@]}" > "$OUT/$name.pub.log" 2>&1 &
  local pp=$!; pids+=($pp)
  wait $sp || true
  wait $pp || true
}
echo "JointState throughput, ${SECONDS_TP} s each ..." >&2
throughput ours "${JAVA[@]}" jssub /j_js "$SECONDS_TP" -- "${JAVA[@]}" jspub /j_js $((SECONDS_TP + 3))
throughput roscpp "$CPP" jssub /c_js "$SECONDS_TP" -- "$CPP" jspub /c_js $((SECONDS_TP + 3))

/usr/bin/python3 - "$OUT" "$SECONDS_TP" <<'PY'
import sys, re
out, secs = sys.argv[1], float(sys.argv[2])
def rtts(name):
    v = sorted(int(l.split()[1]) for l in open(f"{out}/{name}.ping.log") if l.startswith("rtt_ns "))
    if not v: sys.exit(f"no round trips from {name}: see {out}/{name}.ping.log")
    q = lambda p: v[min(len(v) - 1, int(p * len(v)))] / 1000.0
    return len(v), q(0.5), q(0.99), q(0.999)
def grab(path, key):
    for l in open(path):
        if l.startswith(key + " "): return float(l.split()[1])
    return None
print("Round trip, std_msgs/Float64MultiArray with 14 values, loopback, tcp_nodelay (microseconds)")
print(f"{'pair':<18}{'n':>7}{'median':>10}{'p99':>10}{'p99.9':>10}")
r = {}
for name in ("ours", "roscpp", "rospy"):
    r[name] = rtts(name)
    n, p50, p99, p999 = r[name]
    print(f"{name + '<->' + name:<18}{n:>7}{p50:>10.1f}{p99:>10.1f}{p999:>10.1f}")
print(f"ratio ours/roscpp: median {r['ours'][1]/r['roscpp'][1]:.2f}, p99 {r['ours'][2]/r['roscpp'][2]:.2f}, p99.9 {r['ours'][3]/r['roscpp'][3]:.2f}  (target p99 <= 1.00)")
ours_rate = grab(f"{out}/ours.sub.log", "rate_msgs_per_s")
cpp_count = grab(f"{out}/roscpp.sub.log", "count")
cpp_rate = cpp_count / secs if cpp_count else None
print()
print("Throughput, sensor_msgs/JointState (7 joints), one publisher -> one subscriber (messages/s received)")
print(f"ours->ours     {ours_rate:>12,.0f}")
print(f"roscpp->roscpp {cpp_rate:>12,.0f}")
print(f"ratio ours/roscpp: {ours_rate / cpp_rate:.2f}  (target >= 1.00)")
print()
print("Allocation per message after warm-up (bytes)")
print(f"publish path, Float64MultiArray ping:  {grab(f'{out}/ours.ping.log', 'publish_thread_alloc_bytes_per_msg'):.3f}")
print(f"publish path, JointState:              {grab(f'{out}/ours.pub.log', 'publish_thread_alloc_bytes_per_msg'):.3f}")
print(f"receive path, JointState (all threads): {grab(f'{out}/ours.sub.log', 'receive_alloc_bytes_per_msg'):.3f}")
PY
