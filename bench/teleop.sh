#!/usr/bin/env bash
# vr_teleop benchmark (./teach_learn bench teleop): the simulated operator's demonstrations through
# vr_teleop with the recorder (success, demonstrations per minute), the tick in process, then vr_teleop
# as its own process through ROS with poses at a headset's 90 Hz and at 1 kHz (joint_states at 1 kHz).
# Seeded: BENCH_TELEOP_SEED (0); BENCH_TELEOP_DEMOS (50) reach demonstrations; BENCH_TELEOP_PP_DEMOS (40,
# 0: none) pick-and-place demonstrations from BENCH_TELEOP_PP_SEED (200); then bc --bags on the reach
# bags with labels from the motion (along the operator's path), the hand feature and the learning
# rate decaying (docs/nodes.md §15; BENCH_TELEOP_BC=0: not).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"
CP="bench/target/classes:bench/target/lib/*"
DEMOS=${BENCH_TELEOP_DEMOS:-50}
SEED=${BENCH_TELEOP_SEED:-0}
source bench/lib.sh
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
: > "$OUT/teleop.txt"

DEMO_DIR="$(cd "$OUT" && pwd)/teleop-demos"
rm -rf "$DEMO_DIR"
start_master 11614
t0=$(date +%s)
./teach_learn launch launch/teach_vr.launch operator:=true demos:="$DEMOS" seed:="$SEED" dir:="$DEMO_DIR" \
  > "$OUT/teleop-demos.log" 2>&1 || true
t1=$(date +%s)
summary=$(grep -o "vr_operator: [0-9]* of [0-9]* demonstrations succeeded ([0-9.]* demonstrations per minute)" "$OUT/teleop-demos.log" || echo "no summary")
bags=$(find "$DEMO_DIR" -name '*.bag' 2>/dev/null | wc -l)
echo "reach through vr_teleop, simulated operator (seed $SEED): $summary; $bags bags; $((t1 - t0)) s wall" | tee -a "$OUT/teleop.txt"
grep -o "vr_operator demo [0-9]* (seed [0-9]*): [a-z ]*; .*" "$OUT/teleop-demos.log" > "$OUT/teleop-demos-each.txt" || true
kill "${pids[@]}" 2>/dev/null || true; pids=()
sleep 1

PP_DEMOS=${BENCH_TELEOP_PP_DEMOS:-40}
PP_SEED=${BENCH_TELEOP_PP_SEED:-200}
if [ "$PP_DEMOS" -gt 0 ]; then
  PP_DIR="$(cd "$OUT" && pwd)/teleop-pick-place-demos"
  rm -rf "$PP_DIR"
  start_master 11616
  t0=$(date +%s)
  ./teach_learn launch launch/teach_vr.launch operator:=true task:=pick_place demos:="$PP_DEMOS" seed:="$PP_SEED" dir:="$PP_DIR" \
    > "$OUT/teleop-pick-place.log" 2>&1 || true
  t1=$(date +%s)
  summary=$(grep -o "vr_operator: [0-9]* of [0-9]* demonstrations succeeded ([0-9.]* demonstrations per minute)" "$OUT/teleop-pick-place.log" || echo "no summary")
  echo "pick and place through vr_teleop, simulated operator (seed $PP_SEED): $summary; $((t1 - t0)) s wall" | tee -a "$OUT/teleop.txt"
  grep -o "vr_operator demo [0-9]* (seed [0-9]*): [a-z ]*; .*" "$OUT/teleop-pick-place.log" > "$OUT/teleop-pick-place-each.txt" || true
  kill "${pids[@]}" 2>/dev/null || true; pids=()
  sleep 1
fi

java -XX:+UseSerialGC -Dteachlearn.home="$ROOT" -cp "$CP" org.teachlearn.bench.TeleopBench inproc "${BENCH_TELEOP_TICKS:-200000}" | tee -a "$OUT/teleop.txt"
start_master 11615
./teach_learn run vr_teleop > "$OUT/teleop-node.log" 2>&1 & pids+=($!)
java -XX:+UseSerialGC -cp "$CP" org.teachlearn.bench.TeleopBench ros "${BENCH_TELEOP_POSES:-2000}" 90 1000 | tee -a "$OUT/teleop.txt"
java -XX:+UseSerialGC -cp "$CP" org.teachlearn.bench.TeleopBench ros "${BENCH_TELEOP_POSES_1K:-10000}" 1000 1000 | tee -a "$OUT/teleop.txt"

# behaviour cloning from the teleoperated bags (BENCH_TELEOP_BC=0 skips): success of the cloned policy on reach
if [ "${BENCH_TELEOP_BC:-1}" = 1 ] && [ "$bags" -gt 0 ]; then
  kill "${pids[@]}" 2>/dev/null || true; pids=()
  TEACH_LEARN_HEAP=${TEACH_LEARN_HEAP:-512m} ./teach_learn train bc --bags "$DEMO_DIR" --bag-labels motion --hand-feature on --lr-decay linear --epochs "${BENCH_TELEOP_EPOCHS:-300}" --eval-episodes "${BENCH_TELEOP_EVAL:-100}" \
    --out "$OUT/teleop-bc" > "$OUT/teleop-bc.log" 2>&1 || true
  echo "bc from the $bags teleoperated bags: $(tail -3 "$OUT/teleop-bc.log" | tr '\n' ' ')" | tee -a "$OUT/teleop.txt"
fi
