#!/usr/bin/env bash
# drag_teach benchmark (./teach_learn bench drag): the feel on the built-in simulator in both modes
# (force for 0.1 and 0.3 m/s, drift with a 0.5 kg tool, pushed into the table) and the tick in
# process; then drag_teach as its own process on our master at 1 kHz through ROS; then behaviour
# cloning from 50 drag-taught reach bags with the hand free, held and in gravity mode.
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
kill "${pids[@]}" 2>/dev/null || true; pids=()

# behaviour cloning from drag-taught bags (BENCH_DRAG_BC=0 skips): BENCH_DRAG_DEMOS (50) reach
# demonstrations by the simulated person in each setting, then bc --bags with the hand feature and
# the learning rate decaying (docs/nodes.md §14); about 2 minutes to record and 2-4 to train each
if [ "${BENCH_DRAG_BC:-1}" = 1 ]; then
  settings=("free" "held:selected_axes:=x y z" "gravity:mode:=gravity")
  for s in "${settings[@]}"; do
    name=${s%%:*}; arg=${s#*:}; [ "$arg" = "$s" ] && arg=""
    dir="$(cd "$OUT" && pwd)/drag-demos-$name"
    rm -rf "$dir"
    ./teach_learn launch launch/teach_drag.launch teacher:=true demos:="${BENCH_DRAG_DEMOS:-50}" seed:="${BENCH_DRAG_SEED:-0}" \
      dir:="$dir" ${arg:+"$arg"} > "$OUT/drag-demos-$name.log" 2>&1 || true
    taught=$(grep -c "virtual_teacher demo .*: succeeded" "$OUT/drag-demos-$name.log" || true)
    TEACH_LEARN_HEAP=${TEACH_LEARN_HEAP:-512m} ./teach_learn train bc --bags "$dir" --hand-feature on --lr-decay linear \
      --eval-episodes "${BENCH_DRAG_EVAL:-100}" --out "$OUT/drag-bc-$name" > "$OUT/drag-bc-$name.log" 2>&1 || true
    echo "bc from drag-taught bags ($name orientation/mode, $taught of ${BENCH_DRAG_DEMOS:-50} taught): $(tail -1 "$OUT/drag-bc-$name.log")" | tee -a "$OUT/drag.txt"
  done
fi
