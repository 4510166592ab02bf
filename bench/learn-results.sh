#!/usr/bin/env bash
# Learning results (./teach_learn bench results): the full runs of the learning targets
# (docs/design.md §6) on the built-in simulator, with their CSV logs and PNG curves under bench/out/learn/:
#   reach, BC from 50 scripted demonstrations;
#   reach with pushes, BC from 100 clean demonstrations vs DAgger with the same number of labels;
#   reach, PPO from scratch for 300 k environment steps.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}/learn
rm -rf "$OUT"
mkdir -p "$OUT"
run() { java -XX:+UseSerialGC -Dteachlearn.home="$ROOT" -cp "nodes/target/classes:nodes/target/lib/*" org.teachlearn.nodes.Main "$@"; }
label_count() { awk -F, 'NR > 1 { n = $2 } END { print n }' "$1/progress.csv"; }

run train bc --demos 50 --out "$OUT/bc-reach" | tail -1
run train bc --pushes --demos 100 --demo-noise 0 --demo-settle 0 --seed 2 --out "$OUT/bc-reach-pushes" | tail -1
run train dagger --pushes --labels "$(label_count "$OUT/bc-reach-pushes")" --dagger-demos 25 --iterations 8 \
  --demo-noise 0 --demo-settle 0 --seed 2 --out "$OUT/dagger-reach-pushes" | tail -1
run train ppo --steps 300000 --out "$OUT/ppo-reach" | tail -1
echo
echo "summaries (curves: $OUT/*/curve.png, logs: $OUT/*/progress.csv)"
cat "$OUT"/*/summary.txt | tee "$OUT/summary.txt"
