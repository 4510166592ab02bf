#!/usr/bin/env bash
# Serves a policy through ROS and counts its successes as a user's rospy node would:
#   bench/served.sh MODEL TASK [EPISODES] [CONTROL_PERIOD] [ARG:=VALUE...]
# runs a master, launch/serve.launch (sim_arm and policy_server in lockstep) with MODEL on TASK, and
# bench/served_success.py, which waits for EPISODES (100) episodes to end on task/state and prints
# "served success S/N (P %)". Seeds 0, 1, 2, ... (sim_arm's); CONTROL_PERIOD is the model's (0.01);
# further serve.launch arguments follow it (mixture:=episode, chunk_mode:=ensemble, ...).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODEL=$1 TASK=$2 EPISODES=${3:-100} PERIOD=${4:-0.01}
shift $(( $# < 4 ? $# : 4 ))
LOGS=$(mktemp -d)
export ROS_MASTER_URI=http://127.0.0.1:${BENCH_SERVED_PORT:-11652} ROS_IP=127.0.0.1
pids=()
# killed (a script's kill, ^C) or done, it takes the master, the launch and the client down with it
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
trap 'exit 143' TERM INT
./teach_learn master -p "${BENCH_SERVED_PORT:-11652}" > "$LOGS/master.log" 2>&1 & pids+=($!)
sleep 2
./teach_learn launch launch/serve.launch task:="$TASK" model:="$MODEL" control_period:="$PERIOD" "$@" > "$LOGS/serve.log" 2>&1 & pids+=($!)
/usr/bin/python3 bench/served_success.py "$ROOT" "$EPISODES" 1800 & client=$!; pids+=($client)
wait "$client" || { echo "served: fewer than $EPISODES episodes; see $LOGS/serve.log" >&2; exit 1; }
