#!/usr/bin/env bash
# Recorder benchmark (./teach_learn bench record [SECONDS]): sensor_msgs/JointState at 1 kHz plus
# five other topics at 100 Hz, recorded at the same time by `rosbag record -a` (Debian) and by
# `./teach_learn bag record -a` on one roscore. Prints messages lost per recorder (target 0), their
# CPU time, and their resident memory sampled every second (bounded, not growing with the bag).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}/record
rm -rf "$OUT"; mkdir -p "$OUT"
SECS=${1:-60}
export ROS_MASTER_URI=http://127.0.0.1:11711 ROS_IP=127.0.0.1
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
roscore -p 11711 > "$OUT/roscore.log" 2>&1 & pids+=($!)
sleep 4
rosbag record -a -O "$OUT/theirs.bag" __name:=rosbag_record > "$OUT/theirs.log" 2>&1 & THEIRS=$!; pids+=($THEIRS)
./teach_learn bag record -a -O "$OUT/ours.bag" > "$OUT/ours.log" 2>&1 & OURS=$!; pids+=($OURS)   # exec: same pid as the JVM
sleep 2
# the C++ recorder runs as a child of the rosbag script
THEIRS_REC=$(pgrep -P "$THEIRS" -f record || echo "$THEIRS")
sample() { # pid label
  local ticks; ticks=$(awk '{print $14 + $15}' "/proc/$1/stat")
  echo "$2 cpu_s $(echo "$ticks / $(getconf CLK_TCK)" | bc -l | cut -c1-6) rss_mb $(( $(awk '/VmRSS/ {print $2}' "/proc/$1/status") / 1024 ))"
}
java -XX:+UseSerialGC -cp "bench/target/classes:nodes/target/lib/*" org.teachlearn.bench.RecordLoad "$SECS" > "$OUT/load.txt" &
LOAD=$!
for ((i = 0; i < SECS + 5; i++)); do
  { sample "$THEIRS_REC" theirs; sample "$OURS" ours; } >> "$OUT/samples.txt" 2>/dev/null || true
  sleep 1
done
wait $LOAD
{ sample "$THEIRS_REC" theirs; sample "$OURS" ours; } | tee "$OUT/final.txt"
kill -INT "$THEIRS" 2>/dev/null || true   # rosbag record closes its bag on SIGINT
kill -TERM "$OURS" 2>/dev/null || true     # a background JVM ignores SIGINT; SIGTERM runs its shutdown hooks
for p in "$THEIRS" "$OURS"; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
cat "$OUT/load.txt"
count() { /usr/bin/python3 -c "import rosbag,sys; b=rosbag.Bag(sys.argv[1]); print(b.get_message_count(topic_filters=['/joint_states','/load/array0','/load/array1','/load/array2','/load/array3','/ft_sensor/wrench']))" "$1"; }
[ -f "$OUT/theirs.bag.active" ] && rosbag reindex "$OUT/theirs.bag.active" >/dev/null && mv "$OUT/theirs.bag.active" "$OUT/theirs.bag"
echo "recorded: rosbag record $(count "$OUT/theirs.bag"), ours $(count "$OUT/ours.bag") of $(awk '{print $NF}' "$OUT/load.txt") sent on the six load topics"
echo "rss over time (MB), every 10 s: theirs $(awk '$1=="theirs" {print $5}' "$OUT/samples.txt" | awk 'NR%10==1' | tr '\n' ' ')"
echo "                                 ours   $(awk '$1=="ours" {print $5}' "$OUT/samples.txt" | awk 'NR%10==1' | tr '\n' ' ')"
