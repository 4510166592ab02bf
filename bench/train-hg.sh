#!/usr/bin/env bash
# Human-gated DAgger over ROS with the simulated VR operator (./teach_learn bench train-hg): a weak first
# policy (BC from a few scripted demonstrations), then launch/hg_dagger.launch: the policy drives the
# simulated arm in lockstep, vr_operator ~mode:=supervise takes over where it strays, the trainer
# (hg_dagger) retrains on the interventions. Prints the policy's own success before and after (the
# trainer's seeded in-process evaluation of each model), interventions per episode per iteration and the
# wall time. Seeded: BENCH_HG_SEED (0); BENCH_HG_DEMOS (5) demonstrations for the first policy;
# BENCH_HG_EPISODES (40) supervised episodes; BENCH_HG_LABELS (300) labels per update; BENCH_HG_EVAL (20);
# BENCH_HG_FIRST: bags (default: the simulated operator's teleoperated demonstrations, recorded as bags, the trainer's
# ~demo_dir, kept in the aggregate, motion labels as the interventions') or bc (a checkpoint of train bc, ~init).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
SEED=${BENCH_HG_SEED:-0}
DEMOS=${BENCH_HG_DEMOS:-5}
EPISODES=${BENCH_HG_EPISODES:-40}
LABELS=${BENCH_HG_LABELS:-300}
EVAL=${BENCH_HG_EVAL:-20}
source bench/lib.sh
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
REPORT="$OUT/train-hg.txt"
: > "$REPORT"
t0=$(date +%s)

# the weak first policy, from a few demonstrations
rm -rf "$OUT/hg-bc" "$OUT/hg-run" "$OUT/hg-bags"
start_master 11617
if [ "${BENCH_HG_FIRST:-bags}" = bags ]; then
  ./teach_learn launch launch/teach_vr.launch operator:=true demos:="$DEMOS" seed:="$((SEED + 100))" dir:="$OUT/hg-bags" \
    > "$OUT/hg-bags.log" 2>&1 || true
  echo "first policy: the trainer clones $(find "$OUT/hg-bags" -name '*.bag' | wc -l) teleoperated demonstrations (bags, motion labels)" \
    | tee -a "$REPORT"
  FIRST=(demo_dir:="$OUT/hg-bags")
else
  ./teach_learn train bc --demos "$DEMOS" --epochs 100 --eval-episodes "$EVAL" --seed "$((SEED + 1))" --out "$OUT/hg-bc" > "$OUT/hg-bc.log" 2>&1
  echo "first policy: bc from $DEMOS scripted demonstrations: $(tail -1 "$OUT/hg-bc.log")" | tee -a "$REPORT"
  FIRST=(init:="$OUT/hg-bc/checkpoint.bin")
fi

# a fresh master: the demonstrations' parameters (sim_arm ~settle, vr_operator's) must not carry over
kill "${pids[@]}" 2>/dev/null || true; pids=()
sleep 1
start_master 11618
t1=$(date +%s)
timeout "${BENCH_HG_TIMEOUT:-900}" ./teach_learn launch launch/hg_dagger.launch "${FIRST[@]}" out:="$OUT/hg-run" \
  episodes:="$EPISODES" seed:="$SEED" labels_per_update:="$LABELS" eval_episodes:="$EVAL" > "$OUT/hg-launch.log" 2>&1 || true
t2=$(date +%s)
grep -o "vr_operator: episode [0-9]*: took over.*" "$OUT/hg-launch.log" > "$OUT/hg-interventions.txt" || true
grep -o "vr_operator: supervised .*" "$OUT/hg-launch.log" | tee -a "$REPORT" || echo "no operator summary (see $OUT/hg-launch.log)" | tee -a "$REPORT"

# progress.csv: one row per model version; interventions per episode of the episodes since the last update
python3 - "$OUT/hg-run/progress.csv" <<'PY' | tee -a "$REPORT"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("iteration  version  labels  episodes  interventions/episode  success(with help)  eval success (policy alone)")
for r in rows:
    print(f"{r['iteration']:>9}  {r['policy_version']:>7}  {r['labels']:>6}  {r['episodes']:>8}  {r['interventions_per_episode']:>21}  "
          f"{r['success_rate']:>18}  {r['eval_success_rate']:>27}")
ev = [float(r['eval_success_rate']) for r in rows if r['eval_success_rate'] not in ('', 'NaN', 'nan')]
ipe = [(int(r['iteration']), float(r['interventions_per_episode'])) for r in rows if r['interventions_per_episode'] not in ('', 'NaN', 'nan')]
if ev:
    print(f"policy alone: {100 * ev[0]:.0f}% before (version 1), {100 * ev[-1]:.0f}% after {len(rows) - 1} updates (best {100 * max(ev):.0f}%)")
if ipe:
    half = max(1, len(ipe) // 2)
    first, last = ipe[:half], ipe[half:] or ipe[-1:]
    print(f"interventions per episode: {sum(v for _, v in first) / len(first):.2f} over the first {len(first)} updates, "
          f"{sum(v for _, v in last) / len(last):.2f} over the last {len(last)}")
PY
echo "wall time: $((t2 - t1)) s for the supervised run, $((t2 - t0)) s in all (seed $SEED, $DEMOS demonstrations, $EPISODES episodes," \
  "$LABELS labels per update)" | tee -a "$REPORT"
