#!/usr/bin/env bash
# trainer benchmark (./teach_learn bench train): PPO on reach over ROS against the same PPO in process.
#   1. in process: ./teach_learn train ppo, BENCH_TRAIN_STEPS (300000) environment steps, 8 simulators;
#   2. over ROS: launch/train.launch with BENCH_TRAIN_WORKERS (4) workers, the same steps and seed, and the
#      model round trip watched from outside (TrainBench); success from the trainer's final evaluation
#      (100 seeded episodes, the same as in process, commanded as policy_server commands the workers' arms),
#      then trainer/evaluate on the workers through ROS; environment steps per second of both;
#   3. scaling: 1, 2 and 4 workers for BENCH_TRAIN_SCALE_STEPS (30720) steps each, env steps per second;
#   4. broadcast of a 2 x 256 MLP to 4 workers (model round trip with hidden:=256x256; the PPO run has the default 2 x 128).
# Seeded (BENCH_TRAIN_SEED, 1). Figures in bench/out/train.txt, runs under bench/out/train/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
RUNS="$OUT/train"
rm -rf "$RUNS"
mkdir -p "$RUNS"
CP="bench/target/classes:bench/target/lib/*"
STEPS=${BENCH_TRAIN_STEPS:-300000}
WORKERS=${BENCH_TRAIN_WORKERS:-4}
SCALE_STEPS=${BENCH_TRAIN_SCALE_STEPS:-30720}
SEED=${BENCH_TRAIN_SEED:-1}
source bench/lib.sh
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
: > "$OUT/train.txt"
say() { echo "$*" | tee -a "$OUT/train.txt"; }
# mean of a progress.csv column without the first two rows (start-up: JIT, workers joining, the model that learned from nothing)
# the steps learned from when an evaluation first reached 95 %: in process every 5 updates of 2,048 (progress.csv's env_steps),
# over ROS every 5 updates of rollout_rows 2,048 (its env_steps column counts every step the workers made, used or not)
first_95() { awk -F, -v rows="$2" 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "eval_success_rate") e = i; if ($i == "iteration") it = i; if ($i == "env_steps") s = i } next }
  $e != "NaN" && $e >= 0.95 && !f { f = rows ? ($it) * rows : $s } END { print f ? f : "never" }' "$1/progress.csv"; }
mean_col() { awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
  NR > 3 && $k != "NaN" { s += $k; n++ } END { printf "%.0f", n ? s / n : 0 }' "$1/progress.csv"; }

# One trainer run over ROS on a fresh master: train.launch with the given args, until its summary is written.
over_ros() {   # port dir workers steps [launch args...]
  local port=$1 dir=$2 workers=$3 steps=$4
  shift 4
  start_master "$port"
  ./teach_learn launch launch/train.launch workers:="$workers" steps:="$steps" seed:="$SEED" out:="$dir" "$@" \
    > "$dir.log" 2>&1 & local launch=$!
  pids+=($launch)
  local t0=$(date +%s)
  while [ ! -f "$dir/summary.txt" ] && kill -0 "$launch" 2>/dev/null; do sleep 2; done
  local t1=$(date +%s)
  # the final model on the workers, through ROS (their mean action; episodes of their own seeds)
  [ -n "${EVAL_ON_WORKERS:-}" ] && [ -f "$dir/summary.txt" ] \
    && ROS_MASTER_URI=http://127.0.0.1:$port ./teach_learn service call /trainer/evaluate > "$dir.evaluate.txt" 2>&1 || true
  kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; pids=()
  [ -f "$dir/summary.txt" ] || { say "over ROS ($workers workers): no summary; see $dir.log"; return 1; }
  WALL=$((t1 - t0))
}

t0=$(date +%s)
./teach_learn train ppo --steps "$STEPS" --seed "$SEED" --out "$RUNS/inproc" | tail -1
t1=$(date +%s)
say "in process: $(cat "$RUNS/inproc/summary.txt" | tr -d '\n'); $(mean_col "$RUNS/inproc" steps_per_second) env steps/s; $((t1 - t0)) s wall"
say "in process, commanded as served (eval --served, the evaluation over ROS's): $(./teach_learn eval "$RUNS/inproc" --served | tail -1)"
INPROC_RATE=$(mean_col "$RUNS/inproc" steps_per_second)
say "in process: an evaluation first reached 95 % at $(first_95 "$RUNS/inproc" 0) steps"
INPROC_WALL=$((t1 - t0))

# TrainBench watches every version of the run but the last two (batches after the end are not used)
(sleep 3; ROS_MASTER_URI=http://127.0.0.1:11620 exec java -XX:+UseSerialGC -cp "$CP" org.teachlearn.bench.TrainBench roundtrip "$WORKERS" \
  $((STEPS / 2048 - 2)) 3600) > "$RUNS/roundtrip.txt" 2>&1 &
rt=$!
EVAL_ON_WORKERS=1 over_ros 11620 "$RUNS/ros$WORKERS" "$WORKERS" "$STEPS" eval_every:=5
wait $rt 2>/dev/null || true
ROS_RATE=$(mean_col "$RUNS/ros$WORKERS" steps_per_second)
say "over ROS, $WORKERS workers: $(cat "$RUNS/ros$WORKERS/summary.txt" | tr -d '\n'); $ROS_RATE env steps/s ($(awk -v a="$ROS_RATE" -v b="$INPROC_RATE" 'BEGIN { printf "%.2f", a / b }') x in process); $WALL s wall; stale batches $(tail -1 "$RUNS/ros$WORKERS/progress.csv" | cut -d, -f16); steps learned from per second of wall: $(awk -v s="$STEPS" -v w="$WALL" -v i="$INPROC_WALL" 'BEGIN { printf "%.0f (%.2f x in process)", s / w, i / w }')"
say "over ROS, $WORKERS workers: an evaluation (every 5 updates, commanded as served) first reached 95 % at $(first_95 "$RUNS/ros$WORKERS" 2048) steps learned from"
say "over ROS, $WORKERS workers, the final model on the workers (trainer/evaluate): $(grep -o 'model version [^,]*' "$RUNS/ros$WORKERS.evaluate.txt" || echo "not evaluated; see $RUNS/ros$WORKERS.evaluate.txt")"

for n in 1 2 4; do
  over_ros $((11630 + n)) "$RUNS/scale$n" "$n" "$SCALE_STEPS"
  say "scaling: $n worker(s), $SCALE_STEPS steps: $(mean_col "$RUNS/scale$n" steps_per_second) env steps/s, $WALL s wall"
done

# the round trip on a 2 x 256 MLP: TrainBench watches 10 versions
(sleep 3; ROS_MASTER_URI=http://127.0.0.1:11640 exec java -XX:+UseSerialGC -cp "$CP" org.teachlearn.bench.TrainBench roundtrip 4 10 600) \
  > "$RUNS/roundtrip-256.txt" 2>&1 &
rt=$!
over_ros 11640 "$RUNS/mlp256" 4 30720 hidden:=256x256
wait $rt 2>/dev/null || true
say "128x128 (the PPO run, the default): $(grep 'model round trip' "$RUNS/roundtrip.txt" || echo "no round trip measured")"
say "2x256: $(grep 'model round trip' "$RUNS/roundtrip-256.txt" || echo "no round trip measured")"
