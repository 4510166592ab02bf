#!/usr/bin/env bash
# Learning benchmark (./teach_learn bench learn): one PPO update in samples per second, and SAC,
# TD3, mixture-BC and history-BC gradient steps per second (minibatches of 256), ours (float64, one thread)
# against the same updates in PyTorch on this machine's CPU, in one run.
# The policy tick is timed by bench/policy.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"
UPDATES=${BENCH_PPO_UPDATES:-5}
STEPS=${BENCH_OFF_POLICY_STEPS:-300}
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "bench learn: Debian's python3-torch is needed (apt-get install python3-torch)" >&2; exit 1; }
{
  java -XX:+UseSerialGC -cp "bench/target/classes:nodes/target/lib/*" org.teachlearn.bench.PpoUpdateBench "$UPDATES"
  /usr/bin/python3 bench/ppo_update.py float64 "$UPDATES"
  /usr/bin/python3 bench/ppo_update.py float32 "$UPDATES"
} | tee "$OUT/ppo_update.txt"
awk '
  $1 == "ours" { ours[$2] = $4 }
  $1 == "torch" { dtype = $5; gsub(/[(,]/, "", dtype); torch[$2 " " dtype] = $4 }
  END {
    for (k in torch) { split(k, p, " "); printf "ratio ours/torch %s %-8s %.2fx\n", p[1], p[2], ours[p[1]] / torch[k] }
  }' "$OUT/ppo_update.txt" | sort | tee -a "$OUT/ppo_update.txt"
{
  java -XX:+UseSerialGC -cp "bench/target/classes:nodes/target/lib/*" org.teachlearn.bench.OffPolicyUpdateBench "$STEPS"
  /usr/bin/python3 bench/offpolicy_update.py float64 "$STEPS"
  /usr/bin/python3 bench/offpolicy_update.py float32 "$STEPS"
} | tee "$OUT/offpolicy_update.txt"
awk '
  $1 == "ours" { ours[$2 " " $3] = $5 }
  $1 == "torch" { dtype = $6; gsub(/[(,]/, "", dtype); torch[$2 " " $3 " " dtype] = $5 }
  END {
    for (k in torch) { split(k, p, " "); printf "ratio ours/torch %-7s %s %-8s %.2fx\n", p[1], p[2], p[3], ours[p[1] " " p[2]] / torch[k] }
  }' "$OUT/offpolicy_update.txt" | sort | tee -a "$OUT/offpolicy_update.txt"
