#!/usr/bin/env bash
# Naive lockstep clients (./teach_learn bench clients [STARTS] [STEPS] [RATE_STEPS]): rospy and roscpp
# clients that answer every joint_states at once, on sim_arm's two arm interfaces (Float64MultiArray to a
# JointGroupPositionController, single-point JointTrajectory to a JointTrajectoryController): deadlocks in
# STARTS fresh starts (20) of STEPS steps (300), and steps per second over RATE_STEPS (10,000).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=${BENCH_OUT:-bench/out}
mkdir -p "$OUT"
export ROS_IP=127.0.0.1
java -XX:+UseSerialGC -Dai.djl.offline=true -cp "bench/target/classes:bench/target/lib/*" org.teachlearn.bench.LockstepClientsBench "$@" \
  | grep --line-buffered -v '^\[' | tee "$OUT/clients.txt"
