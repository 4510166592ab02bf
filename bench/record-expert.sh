#!/usr/bin/env bash
# Records the scripted expert's demonstrations over ROS the way a user records them, one bag per
# episode: sim_arm in lockstep, the expert node driving it (DART noise on the executed command,
# expert/action the clean label) and the recorder node splitting takes on task/state's episodes.
# Usage: bench/record-expert.sh TASK EPISODES DIR [NOISE] [CONTROL_PERIOD] [SEED] [SETTLE]
#   e.g. bench/record-expert.sh pick_place 50 runs/pick-bags 0.005 0.05
#        bench/record-expert.sh reach_via 200 runs/via-bags 0.05 0.01 4000 0.5   (as train bc's own: 0.5 s held past success)
# Used for the off-policy figures with demonstrations from bags (docs/design.md §6); keeps the
# first EPISODES bags (by name: time) and moves the ones recorded meanwhile to DIR-extra.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TASK=${1:?task}; EPISODES=${2:?episodes}; DIR=${3:?dir}; NOISE=${4:-0.005}; PERIOD=${5:-0.05}; SEED=${6:-4000}; SETTLE=${7:-0}
PORT=$((20000 + RANDOM % 20000))
export ROS_MASTER_URI=http://127.0.0.1:$PORT ROS_IP=127.0.0.1
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
TL="$ROOT/teach_learn"
pids=()
stop() { for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
"$TL" master -p "$PORT" > "$DIR/.master.log" 2>&1 & pids+=($!)
sleep 3
"$TL" run sim_arm _lockstep:=true _task:="$TASK" _control_period:="$PERIOD" _seed:="$SEED" _settle:="$SETTLE" > "$DIR/.sim.log" 2>&1 & pids+=($!)
"$TL" run recorder _dir:="$DIR" _task:="$TASK" _source:=expert _split_on_episode:=true > "$DIR/.recorder.log" 2>&1 & rec=$!
sleep 4
"$TL" run expert _task:="$TASK" _drive:=true _noise:="$NOISE" _control_period:="$PERIOD" _seed:=7 > "$DIR/.expert.log" 2>&1 & pids+=($!)
until [ "$(find "$DIR" -maxdepth 1 -name '*.bag' | wc -l)" -ge "$EPISODES" ]; do sleep 1; done
kill -INT "$rec"; wait "$rec" || true
stop
trap - EXIT
# the expert goes on while the bags are counted: the first EPISODES stay, the later ones go beside
# DIR (not under it: bags are searched recursively), nothing is deleted
extra=$(find "$DIR" -maxdepth 1 -name '*.bag' | sort -V | tail -n +$((EPISODES + 1)))
if [ -n "$extra" ]; then mkdir -p "$DIR-extra"; mv $extra "$DIR-extra/"; fi
echo "$(find "$DIR" -maxdepth 1 -name '*.bag' | wc -l) bags in $DIR ($(echo -n "$extra" | grep -c . || true) later ones in $DIR-extra)"
