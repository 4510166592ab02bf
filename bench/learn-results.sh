#!/usr/bin/env bash
# Learning results (./teach_learn bench results): the full runs of the learning targets
# (docs/design.md §6) on the built-in simulator, with their CSV logs and curves (PNG and SVG) under bench/out/learn/:
#   reach, BC from 50 scripted demonstrations;
#   reach with pushes, BC from 100 clean demonstrations vs DAgger with the same number of labels;
#   reach, PPO from scratch for 300 k environment steps, one run per seed in PPO_SEEDS (default
#   "1 2 3"; each seed is the longest run here, so PPO_SEEDS=1 for a quicker look);
#   reach, TRPO for the same 300 k steps and seeds (TRPO_SEEDS, default "1 2 3");
#   reach_around (a multimodal demonstrator), BC with a Gaussian (MSE) against a mixture of 10
#   Gaussians (NLL), 100 demonstrations each, per seed in AROUND_SEEDS (default "1 2 3"; about 3 min
#   a seed), the mixture evaluated with each component choice (one per episode first);
#   reach_via (a non-Markovian demonstrator), BC of the last 8 observations against BC of the present
#   one, 200 demonstrations each, then both served through ROS (policy_server on sim_arm in lockstep,
#   100 episodes counted from task/state by bench/served_success.py);
#   pick and place, BC from 100 demonstrations at 20 Hz (with the hand feature and a decaying learning rate),
#   then the same predicting chunks of 10 and 20 actions (the near ones weighed most, ensembled with the
#   newest chunks weighed most; about 7 and 10 min): the scripted expert is Markovian, chunks gain nothing
#   there (drag-taught bags, where they do: ./teach_learn bench drag);
#   reach, GAIL from 20 demonstrations with the hand feature (GAIL_SEEDS, default "1");
#   reach, SAC for 50 k steps (SAC_SEEDS, default "1"; about 11 min each);
#   pick and place, 50 demonstrations, PICK_SAC_STEPS (default 200000, the issue's; about 90 min a
#   run): SAC with the scripted expert's demonstrations in replay, SAC alone, BC alone, and SAC with
#   50 bags of the expert recorded over ROS (bench/record-expert.sh) in replay and the
#   behaviour-cloning term (--demo-bc 1).
# Then one self-contained page, bench/out/learn/report.html (tables and charts; open it in a
# browser), with the comparison charts beside it: ./teach_learn report DIR... redraws it from
# existing run directories without training again.
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
for seed in ${PPO_SEEDS:-1 2 3}; do
  run train ppo --steps 300000 --seed "$seed" --out "$OUT/ppo-reach-seed$seed" | tail -1
done
for seed in ${TRPO_SEEDS:-1 2 3}; do   # TRPO against PPO at equal steps, the same seeds
  run train trpo --steps 300000 --seed "$seed" --out "$OUT/trpo-reach-seed$seed" | tail -1
done
for seed in ${AROUND_SEEDS:-1 2 3}; do   # the same 100 demonstrations (--demo-noise 0.25) for both heads of a seed
  around="--task reach_around --demos 100 --demo-noise 0.25 --seed $seed"
  run train bc $around --out "$OUT/bc-mse-reach-around-seed$seed" | tail -1
  run train bc $around --head mixture --components 10 --mixture episode --out "$OUT/bc-mixture-reach-around-seed$seed" | tail -1
  for choice in likely sample; do run eval "$OUT/bc-mixture-reach-around-seed$seed" --mixture "$choice"; done
done
via="--task reach_via --demos 200 --demo-noise 0.05 --hidden 256x256 --hand-feature on --lr-decay linear"
run train bc $via --out "$OUT/bc-reach-via" | tail -1
run train bc $via --history 8 --history-stride 10 --out "$OUT/bc-history-reach-via" | tail -1
for run_dir in bc-reach-via bc-history-reach-via; do
  served="$(bench/served.sh "$OUT/$run_dir/policy.onnx" reach_via 100)"
  echo "$run_dir served through ROS: $served" | tee "$OUT/$run_dir/served.txt"
done
run train bc --task pick_place --demos 100 --demo-noise 0.005 --control-period 0.05 --hidden 256x256 --hand-feature on \
  --lr-decay linear --out "$OUT/bc-pick-place" | tail -1
for k in 10 20; do
  run train bc --task pick_place --demos 100 --demo-noise 0.005 --control-period 0.05 --hidden 256x256 --hand-feature on \
    --lr-decay linear --chunk "$k" --chunk-loss-decay 1 --chunk-mode ensemble --ensemble-decay -1 --out "$OUT/bc-chunk$k-pick-place" | tail -1
done
for seed in ${GAIL_SEEDS:-1}; do
  run train gail --hand-feature on --demo-noise 0 --disc-gp 10 --steps 600000 --seed "$seed" --out "$OUT/gail-reach-seed$seed" | tail -1
done
for seed in ${SAC_SEEDS:-1}; do
  run train sac --steps 50000 --seed "$seed" --out "$OUT/sac-reach-seed$seed" | tail -1
done
pick="--task pick_place --hand-feature on --steps ${PICK_SAC_STEPS:-200000}"
run train sac $pick --demo-replay 50 --demo-noise 0.005 --out "$OUT/sac-demos-pick-place" | tail -1
run train sac $pick --out "$OUT/sac-alone-pick-place" | tail -1
run train bc --task pick_place --demos 50 --demo-noise 0.005 --control-period 0.05 --hidden 256x256 --hand-feature on \
  --lr-decay linear --out "$OUT/bc-50-pick-place" | tail -1
bench/record-expert.sh pick_place 50 "$OUT/pick-place-bags" 0.005 0.05
run train sac $pick --bags "$OUT/pick-place-bags" --demo-bc 1 --out "$OUT/sac-bags-bc-pick-place" | tail -1
echo
echo "summaries (curves: $OUT/*/curve.png and .svg, logs: $OUT/*/progress.csv)"
cat "$OUT"/*/summary.txt | tee "$OUT/summary.txt"
run report "$OUT"/*/ --title "teach_learn learning results" --out "$OUT/report.html"
