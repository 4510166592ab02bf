#!/usr/bin/env bash
# DAgger over ROS vs behaviour cloning at equal labels, reach with pushes (./teach_learn bench train-dagger;
# issue 18's "≥ +20 points, as in process"):
#   1. BC in process from 100 clean expert demonstrations with pushes (as bench/learn-results.sh): L labels;
#   2. DAgger's start in process: BC from the first 25 of the same demonstrations: L0 labels, kept in its labels.bin;
#   3. DAgger over ROS: launch/train.launch algorithm:=dagger pushes:=true from that start (init:=, whose labels it
#      aggregates), WORKERS workers (sim_arm with ~pushes + policy_server + expert) labelling the states the served
#      policy visits (max_policy_lag:=0: only those of the newest model), a retraining every (L - L0)/ITERATIONS new
#      labels, stopping at L labels in all;
#   4. both checkpoints evaluated on the same seeded episodes with pushes (./teach_learn eval --pushes), and again as
#      served (--served: policy_server's clamp and step limit, as the trainer's own evaluation since 0.7).
# Seeded: BENCH_DAGGER_SEED (2); BENCH_DAGGER_WORKERS (4), BENCH_DAGGER_ITERATIONS (8), BENCH_DAGGER_EPOCHS (300, BC's
# epochs per retraining, as in process), BENCH_DAGGER_EVAL (100 episodes), BENCH_DAGGER_DEMOS (100) and
# BENCH_DAGGER_START (25) demonstrations, BENCH_DAGGER_BATCH (64) transitions per /experience message (small
# batches: a retraining's labels come from every worker, as in process from 8 environments at once).
# Results in bench/out/train-dagger/ (train-dagger.txt and the run directories).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}/train-dagger
SEED=${BENCH_DAGGER_SEED:-2}
WORKERS=${BENCH_DAGGER_WORKERS:-4}
ITERATIONS=${BENCH_DAGGER_ITERATIONS:-8}
EPOCHS=${BENCH_DAGGER_EPOCHS:-300}
EPISODES=${BENCH_DAGGER_EVAL:-100}
DEMOS=${BENCH_DAGGER_DEMOS:-100}
START=${BENCH_DAGGER_START:-25}
BATCH=${BENCH_DAGGER_BATCH:-64}
rm -rf "$OUT"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"   # the trainer's ~out is absolute
source bench/lib.sh
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
# this checkout's classes first: ~/.m2 may hold another checkout's modules
CP="robot/target/classes:learn/target/classes:ros/target/classes:rosmsg/target/classes:nodes/target/classes:nodes/target/lib/*"
main=(java -XX:+UseSerialGC -Xmx"${TEACH_LEARN_HEAP:-1g}" -Dteachlearn.home="$ROOT" -cp "$CP" org.teachlearn.nodes.Main)
run() { "${main[@]}" "$@"; }
label_count() { awk -F, 'NR > 1 { n = $2 } END { print n }' "$1/progress.csv"; }
success() { grep -o "success [0-9.]*%" <<< "$1" | grep -o "[0-9.]*"; }
t0=$(date +%s)
demo=(--pushes --demo-noise 0 --demo-settle 0 --seed "$SEED" --eval-episodes 10)
run train bc --demos "$DEMOS" "${demo[@]}" --out "$OUT/bc" | tail -1
run train bc --demos "$START" "${demo[@]}" --out "$OUT/dagger-start" | tail -1
L=$(label_count "$OUT/bc")
L0=$(label_count "$OUT/dagger-start")
PER=$(( (L - L0 + ITERATIONS - 1) / ITERATIONS ))
t1=$(date +%s)

start_master 11617
"${main[@]}" launch launch/train.launch workers:="$WORKERS" algorithm:=dagger pushes:=true init:="$OUT/dagger-start/checkpoint.bin" \
  max_policy_lag:=0 label_budget:="$L" labels_per_update:="$PER" update_epochs:="$EPOCHS" experience_batch:="$BATCH" seed:="$SEED" out:="$OUT/dagger-ros" \
  > "$OUT/dagger-ros.log" 2>&1 & pids+=($!)
while [ ! -f "$OUT/dagger-ros/summary.txt" ]; do
  sleep 2
  kill -0 "${pids[-1]}" 2>/dev/null || { echo "train.launch ended before the trainer's summary: $OUT/dagger-ros.log" >&2; exit 1; }
done
t2=$(date +%s)
kill -TERM "${pids[@]}" 2>/dev/null || true   # a background job ignores SIGINT
wait 2>/dev/null || true
pids=()

bc=$(run eval "$OUT/bc" --pushes --episodes "$EPISODES")
dagger=$(run eval "$OUT/dagger-ros" --pushes --episodes "$EPISODES")
bc_served=$(run eval "$OUT/bc" --pushes --episodes "$EPISODES" --served)
dagger_served=$(run eval "$OUT/dagger-ros" --pushes --episodes "$EPISODES" --served)
t3=$(date +%s)
ros_labels=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "labels") c = i } NR > 1 { n = $c } END { print n }' "$OUT/dagger-ros/progress.csv")
updates=$(awk -F, 'NR > 1 { n = $1 } END { print n }' "$OUT/dagger-ros/progress.csv")
{
  echo "reach with pushes, seed $SEED, evaluation on the same $EPISODES seeded episodes with pushes:"
  echo "  bc in process, $DEMOS demonstrations: $L labels; $bc"
  echo "  dagger over ROS, $WORKERS workers: $L0 labels from $START demonstrations + $((ros_labels - L0)) expert labels over ROS = $ros_labels labels,"
  echo "    $updates retrainings of $EPOCHS epochs every $PER labels, $((t2 - t1)) s; $dagger"
  awk -v a="$(success "$dagger")" -v b="$(success "$bc")" 'BEGIN { printf "  dagger over ROS - bc: %+.1f points (target >= +20)\n", a - b }'
  echo "  as served (eval --served: policy_server's clamp and step limit, the trainer's own evaluation): bc $(success "$bc_served") %,"
  awk -v a="$(success "$dagger_served")" -v b="$(success "$bc_served")" 'BEGIN { printf "    dagger over ROS %.1f %%, %+.1f points\n", a, a - b }'
  echo "  wall: $((t3 - t0)) s ($((t1 - t0)) s in-process BC runs, $((t2 - t1)) s over ROS, $((t3 - t2)) s evaluation)"
} | tee "$OUT/train-dagger.txt"
