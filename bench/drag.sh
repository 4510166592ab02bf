#!/usr/bin/env bash
# drag_teach benchmark (./teach_learn bench drag): the feel on the built-in simulator in both modes
# (force for 0.1 and 0.3 m/s, drift with a 0.5 kg tool, pushed into the table) and the tick in
# process; then drag_teach as its own process on our master at 1 kHz through ROS; then behaviour
# cloning from 50 drag-taught reach bags with the hand free, held and in gravity mode; then from 50
# drag-taught pick-and-place bags with one action per query against action chunks of 10 and 20, and at 100 Hz with 1 and 20.
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

# pick and place from drag-taught bags (BENCH_DRAG_PICK=0 skips): BENCH_DRAG_DEMOS (50) demonstrations
# by the simulated person (seed BENCH_DRAG_PICK_SEED, 400; about 6 minutes), then BC from the same bags
# predicting one action per query against chunks of 10 and 20 actions played with ACT's temporal
# ensembling, at the pick-and-place recipe's 20 Hz (about 5, 7 and 9 minutes to train on a 2-core
# machine), then at the bags' 100 Hz one action per query (also evaluated with the gripper sent as the
# regression outputs it) and chunks of 20 (about 8 and 10 minutes), and chunks of 20 learnt from the bags
# mirrored and turned (--mirror on --turns 4; about 15 minutes, and served through ROS; docs/nodes.md §14,
# docs/design.md §6)
if [ "${BENCH_DRAG_PICK:-1}" = 1 ]; then
  dir="$(cd "$OUT" && pwd)/drag-demos-pick-place"
  rm -rf "$dir"
  ./teach_learn launch launch/teach_drag.launch teacher:=true task:=pick_place demos:="${BENCH_DRAG_DEMOS:-50}" \
    seed:="${BENCH_DRAG_PICK_SEED:-400}" dir:="$dir" > "$OUT/drag-demos-pick-place.log" 2>&1 || true
  taught=$(grep -c "virtual_teacher demo .*: succeeded" "$OUT/drag-demos-pick-place.log" || true)
  for k in 1 10 20; do
    chunks=(); [ "$k" -gt 1 ] && chunks=(--chunk "$k" --chunk-mode ensemble --ensemble-decay 0.01)
    TEACH_LEARN_HEAP=${TEACH_LEARN_HEAP:-1g} ./teach_learn train bc --task pick_place --bags "$dir" --hand-feature on --lr-decay linear \
      --hidden 256x256 --control-period 0.05 "${chunks[@]}" --eval-episodes "${BENCH_DRAG_EVAL:-100}" \
      --out "$OUT/drag-bc-pick-place-k$k" > "$OUT/drag-bc-pick-place-k$k.log" 2>&1 || true
    echo "bc from drag-taught pick-and-place bags, chunks of $k ($taught of ${BENCH_DRAG_DEMOS:-50} taught): $(tail -1 "$OUT/drag-bc-pick-place-k$k.log")" | tee -a "$OUT/drag.txt"
  done
  # at the bags' own rate (a reading every 10 ms), one action per query, as many updates (about 8 minutes)
  TEACH_LEARN_HEAP=${TEACH_LEARN_HEAP:-1g} ./teach_learn train bc --task pick_place --bags "$dir" --hand-feature on --lr-decay linear \
    --hidden 256x256 --control-period 0.01 --epochs 60 --eval-episodes "${BENCH_DRAG_EVAL:-100}" \
    --out "$OUT/drag-bc-pick-place-100hz" > "$OUT/drag-bc-pick-place-100hz.log" 2>&1 || true
  echo "bc from drag-taught pick-and-place bags at 100 Hz ($taught of ${BENCH_DRAG_DEMOS:-50} taught): $(tail -1 "$OUT/drag-bc-pick-place-100hz.log")" | tee -a "$OUT/drag.txt"
  # the same network with the gripper sent as the regression outputs it, not open or closed (about 1 minute)
  echo "  the same, --gripper-command continuous: $(./teach_learn eval "$OUT/drag-bc-pick-place-100hz" --gripper-command continuous \
    --episodes "${BENCH_DRAG_EVAL:-100}" 2>&1 | tail -1)" | tee -a "$OUT/drag.txt"
  # chunks of 20 (0.2 s) at 100 Hz, ensembled (about 10 minutes)
  TEACH_LEARN_HEAP=${TEACH_LEARN_HEAP:-2g} ./teach_learn train bc --task pick_place --bags "$dir" --hand-feature on --lr-decay linear \
    --hidden 256x256 --control-period 0.01 --epochs 60 --chunk 20 --chunk-mode ensemble --ensemble-decay 0.01 \
    --eval-episodes "${BENCH_DRAG_EVAL:-100}" --out "$OUT/drag-bc-pick-place-100hz-k20" > "$OUT/drag-bc-pick-place-100hz-k20.log" 2>&1 || true
  echo "bc from drag-taught pick-and-place bags at 100 Hz, chunks of 20: $(tail -1 "$OUT/drag-bc-pick-place-100hz-k20.log")" | tee -a "$OUT/drag.txt"
  # the same with the arm's symmetries: each sample mirrored, and all turned 4 more times about the base
  # axis (819,270 samples from 50 bags; about 15 minutes alone on a 2-core machine, 9 GB of heap), then
  # served through ROS by policy_server on sim_arm (about 2 minutes)
  TEACH_LEARN_HEAP=${BENCH_DRAG_SYMMETRY_HEAP:-9g} ./teach_learn train bc --task pick_place --bags "$dir" --hand-feature on --lr-decay linear \
    --hidden 256x256 --control-period 0.01 --epochs 12 --mirror on --turns 4 --chunk 20 --chunk-mode ensemble --ensemble-decay 0.01 \
    --eval-episodes "${BENCH_DRAG_EVAL:-100}" --out "$OUT/drag-bc-pick-place-symmetries" > "$OUT/drag-bc-pick-place-symmetries.log" 2>&1 || true
  echo "bc from drag-taught pick-and-place bags at 100 Hz, chunks of 20, mirrored and turned: $(tail -1 "$OUT/drag-bc-pick-place-symmetries.log")" | tee -a "$OUT/drag.txt"
  echo "  the same served through ROS: $(bench/served.sh "$OUT/drag-bc-pick-place-symmetries/policy.onnx" pick_place "${BENCH_DRAG_EVAL:-100}" 0.01 \
    chunk_mode:=ensemble 2>&1 | tail -1)" | tee -a "$OUT/drag.txt"
  # the same recipe, BENCH_DRAG_MODELS networks (default 8) trained on the same demonstrations, each on its own
  # draw of the turned copies and with its own lookaheads, and averaged into one model (N times the training work,
  # one network per processor at once: about 2 h 15 min for 8 on a 2-core machine), then served through ROS
  lookaheads=""   # a list per network needs as many networks as values
  [ "${BENCH_DRAG_MODELS:-8}" -ge 3 ] && lookaheads="--path-lookahead 0.2,0.25,0.3 --gripper-lookahead 0.05,0.1"
  TEACH_LEARN_HEAP=${BENCH_DRAG_MODELS_HEAP:-10g} ./teach_learn train bc --task pick_place --bags "$dir" --hand-feature on --lr-decay linear \
    --hidden 256x256 --control-period 0.01 --epochs 12 --mirror on --turns 4 --chunk 20 --chunk-mode ensemble --ensemble-decay 0.01 \
    --models "${BENCH_DRAG_MODELS:-8}" $lookaheads --eval-episodes "${BENCH_DRAG_EVAL:-100}" --out "$OUT/drag-bc-pick-place-models" \
    > "$OUT/drag-bc-pick-place-models.log" 2>&1 || true
  echo "bc from drag-taught pick-and-place bags, mirrored and turned, ${BENCH_DRAG_MODELS:-8} networks averaged: $(tail -1 "$OUT/drag-bc-pick-place-models.log")" \
    | tee -a "$OUT/drag.txt"
  echo "  the same on seeds 0-99: $(./teach_learn eval "$OUT/drag-bc-pick-place-models" --seed 0 --episodes "${BENCH_DRAG_EVAL:-100}" 2>&1 | tail -1)" \
    | tee -a "$OUT/drag.txt"
  echo "  the same served through ROS: $(bench/served.sh "$OUT/drag-bc-pick-place-models/policy.onnx" pick_place "${BENCH_DRAG_EVAL:-100}" 0.01 \
    chunk_mode:=ensemble 2>&1 | tail -1)" | tee -a "$OUT/drag.txt"
fi
