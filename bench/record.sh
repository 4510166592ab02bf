#!/usr/bin/env bash
# Recorder benchmark (./teach_learn bench record [SECONDS] [SEED]): joint_states, ft_sensor/wrench and
# arm_controller/command at 1 kHz each, recorded at once by Debian's `rosbag record -a`, by
# `./teach_learn bag record -a` and by the recorder node in back-to-back takes for SECONDS (60; the
# full figure is 600); then the recorder killed with kill -9 at 5 seeded random moments of a take and
# repaired by its next start. Prints messages lost per recorder (target 0), demo/stop -> bag complete
# (p50 and max; target <= 100 ms), seconds lost per kill (target <= 1) and resident memory
# (RecorderBench; RecorderBenchTest runs it for 10 s).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}/record
rm -rf "$OUT"; mkdir -p "$OUT"
export ROS_IP=127.0.0.1
java -XX:+UseSerialGC -cp "bench/target/classes:bench/target/lib/*" org.teachlearn.bench.RecorderBench "${1:-60}" "${2:-1}" "$OUT" \
  | grep --line-buffered -v '^\[' | tee "$OUT/result.txt"
