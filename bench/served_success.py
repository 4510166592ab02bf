#!/usr/bin/python3
"""Counts the episodes sim_arm ends, from its task/state, as a user's rospy node would: waits for N
done states and prints "served success S/N (P %)". Generates teach_learn's message classes with
Debian's genpy first (no catkin here). Usage: served_success.py CHECKOUT N [TIMEOUT_S]"""
import os, subprocess, sys, tempfile, threading, time


def generate_messages(root):
    out = tempfile.mkdtemp(prefix="tl_msgs_")
    pkg = os.path.join(out, "teach_learn")
    inc = ["-Iteach_learn:" + os.path.join(root, "msg"), "-Istd_msgs:/usr/share/std_msgs/msg"]
    target = os.path.join(pkg, "msg")
    for f in sorted(os.listdir(os.path.join(root, "msg"))):
        subprocess.check_call([sys.executable, "/usr/lib/genpy/genmsg_py.py", "-p", "teach_learn", *inc, "-o", target, os.path.join(root, "msg", f)])
    subprocess.check_call([sys.executable, "/usr/lib/genpy/genmsg_py.py", "--initpy", "-p", "teach_learn", "-o", target])
    open(os.path.join(pkg, "__init__.py"), "w").close()
    sys.path.insert(0, out)


generate_messages(sys.argv[1])
import rospy
from teach_learn.msg import TaskState

wanted = int(sys.argv[2])
timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 600
ended, lock, finished = {}, threading.Lock(), threading.Event()


def on_state(m):
    if not m.done:
        return
    with lock:
        ended[m.episode] = m.success   # a re-sent done state counts once
        if len(ended) >= wanted:
            finished.set()


rospy.init_node("served_success", anonymous=True)
rospy.Subscriber("task/state", TaskState, on_state, queue_size=1000)
end = time.monotonic() + timeout
while not finished.wait(0.5) and not rospy.is_shutdown() and time.monotonic() < end:
    pass   # woken by the last episode, a shutdown (SIGTERM, SIGINT) or the timeout
with lock:
    episodes = sorted(ended)[:wanted]
    ok = sum(1 for e in episodes if ended[e])
print("served success %d/%d (%.1f %%)" % (ok, len(episodes), 100.0 * ok / max(1, len(episodes))), flush=True)
sys.exit(0 if len(episodes) == wanted else 1)
