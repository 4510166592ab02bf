# Shared by the bench scripts that run nodes as processes (source it after cd to the repository).

# A quick cloned policy for serving benchmarks: $OUT/soak-model/policy.onnx, trained once.
quick_model() {
  MODEL=$OUT/soak-model/policy.onnx
  [ -f "$MODEL" ] || ./teach_learn train bc --demos 20 --epochs 50 --eval-episodes 5 --out "$OUT/soak-model" | tail -1
}

# Our master on port $1 (ROS_MASTER_URI set to it); its pid joins $pids, killed on exit.
start_master() {
  export ROS_MASTER_URI=http://127.0.0.1:$1 ROS_IP=127.0.0.1
  ./teach_learn master -p "$1" > "$OUT/master-$1.log" 2>&1 & pids+=($!)
  sleep 2
}
