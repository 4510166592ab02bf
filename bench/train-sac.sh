#!/usr/bin/env bash
# Off-policy trainer benchmark (./teach_learn bench train-sac): SAC on reach in process against the
# same SAC through the trainer node over ROS.
#   1. in process: ./teach_learn train sac, BENCH_SAC_STEPS (50000) environment steps, seed BENCH_TRAIN_SEED (1);
#   2. over ROS: launch/train.launch algorithm:=sac with BENCH_SAC_WORKERS (4) simulated workers exploring
#      with the model's σ, the same steps and seed; success from the trainer's final evaluation (100 seeded
#      episodes on the built-in simulator, commanded as policy_server commands the workers' arms).
# Figures in bench/out/train-sac.txt, runs under bench/out/train-sac/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
RUNS="$OUT/train-sac"
rm -rf "$RUNS"
mkdir -p "$RUNS"
STEPS=${BENCH_SAC_STEPS:-50000}
WORKERS=${BENCH_SAC_WORKERS:-4}
SEED=${BENCH_TRAIN_SEED:-1}
source bench/lib.sh
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
: > "$OUT/train-sac.txt"
say() { echo "$*" | tee -a "$OUT/train-sac.txt"; }

t0=$(date +%s)
# as the trainer learns: no hindsight goals (it has none yet); the hand feature is SAC on reach's default in both
./teach_learn train sac --steps "$STEPS" --seed "$SEED" --hindsight-share 0 --out "$RUNS/inproc" | tail -1
t1=$(date +%s)
say "in process: $(tr -d '\n' < "$RUNS/inproc/summary.txt"); $((t1 - t0)) s wall"
say "in process, commanded as served (eval --served): $(./teach_learn eval "$RUNS/inproc" --served | tail -1)"

start_master 11640
t0=$(date +%s)
./teach_learn launch launch/train.launch algorithm:=sac workers:="$WORKERS" steps:="$STEPS" seed:="$SEED" out:="$RUNS/ros" \
  > "$RUNS/ros.log" 2>&1 & pids+=($!)
while [ ! -f "$RUNS/ros/summary.txt" ] && kill -0 "${pids[-1]}" 2>/dev/null; do sleep 2; done
t1=$(date +%s)
kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; pids=()
[ -f "$RUNS/ros/summary.txt" ] || { say "over ROS: no summary; see $RUNS/ros.log"; exit 1; }
say "over ROS, $WORKERS workers: $(tr -d '\n' < "$RUNS/ros/summary.txt"); $((t1 - t0)) s wall; stale batches $(tail -1 "$RUNS/ros/progress.csv" | cut -d, -f16)"
