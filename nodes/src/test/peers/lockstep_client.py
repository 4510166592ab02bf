#!/usr/bin/env python3
"""A rospy client that drives sim_arm in lockstep and reports what it saw, one fact per line.

Generates the Python classes of teach_learn's messages with Debian's genpy first (no catkin
here), so it talks to sim_arm exactly as a user's rospy node would.
"""
import os, subprocess, sys, tempfile, threading, time

def generate_messages(root):
    out = tempfile.mkdtemp(prefix="tl_msgs_")
    pkg = os.path.join(out, "teach_learn")
    inc = ["-Iteach_learn:" + os.path.join(root, "msg"), "-Istd_msgs:/usr/share/std_msgs/msg"]
    for kind, tool, d in (("msg", "genmsg_py.py", "msg"), ("srv", "gensrv_py.py", "srv")):
        files = [os.path.join(root, d, f) for f in sorted(os.listdir(os.path.join(root, d)))]
        target = os.path.join(pkg, kind)
        for f in files:
            subprocess.check_call([sys.executable, "/usr/lib/genpy/" + tool, "-p", "teach_learn", *inc, "-o", target, f])
        subprocess.check_call([sys.executable, "/usr/lib/genpy/" + tool, "--initpy", "-p", "teach_learn", "-o", target])
    open(os.path.join(pkg, "__init__.py"), "w").close()
    sys.path.insert(0, out)

generate_messages(sys.argv[1])

import rospy
from sensor_msgs.msg import JointState
from std_msgs.msg import Float64MultiArray
from rosgraph_msgs.msg import Log
from teach_learn.msg import TaskState
from teach_learn.srv import Reset

cond = threading.Condition()
states, joints, errors = [], {}, []

def on_state(m):
    with cond:
        states.append(m)
        cond.notify_all()

def on_joints(m):
    with cond:
        joints[m.header.stamp.to_nsec()] = list(m.position)
        cond.notify_all()

def on_log(m):
    if m.level >= Log.ERROR:
        errors.append(m.msg)

def new_since(n):
    """States after the first n that are new: a re-sent state (same stamp) is not a new one."""
    seen = set(s.header.stamp.to_nsec() for s in states[:n])
    return len(set(s.header.stamp.to_nsec() for s in states[n:]) - seen)

def wait_states(n, timeout=10.0):
    with cond:
        end = time.time() + timeout
        while len(states) < n and time.time() < end:
            cond.wait(0.05)
        return len(states) >= n

def say(*words):
    print(*words, flush=True)

rospy.init_node("lockstep_client")
rospy.Subscriber("task/state", TaskState, on_state, queue_size=1000)
rospy.Subscriber("joint_states", JointState, on_joints, queue_size=1000)
rospy.Subscriber("/rosout", Log, on_log, queue_size=100)
cmd = rospy.Publisher("arm_controller/command", Float64MultiArray, queue_size=10)
rospy.wait_for_service("sim/reset", 10)
reset = rospy.ServiceProxy("sim/reset", Reset)
while cmd.get_num_connections() == 0:
    time.sleep(0.05)
time.sleep(0.5)

def positions_of(state):
    with cond:
        end = time.time() + 5
        while state.header.stamp.to_nsec() not in joints and time.time() < end:
            cond.wait(0.05)
        return joints.get(state.header.stamp.to_nsec())

def command(values):
    cmd.publish(Float64MultiArray(data=values))

# 1. a reset publishes step 0 of a new episode; no new state comes until a command answers it
with cond:
    del states[:]
r = reset(seed=5)
say("reset ok", r.ok, "episode", r.episode)
# a re-sent copy of the state before the reset may still be in flight on the topic's connection
# (the service answers on another one): step 0 of the new episode is the one with the reset's episode
with cond:
    end = time.time() + 10
    while not any(s.episode == r.episode for s in states) and time.time() < end:
        cond.wait(0.05)
    at_first = next(i for i, s in enumerate(states) if s.episode == r.episode)
first = states[at_first]
say("after reset step", first.step, "episode", first.episode, "done", first.done, "goal", len(first.goal))
time.sleep(0.5)
# the pending state may come again (same stamp) while nobody answers it: sim_arm re-sends a state whose answer may be lost
say("states while waiting", len(set(s.header.stamp.to_nsec() for s in states[at_first:])))
q = positions_of(first)
say("joint_states paired", q is not None)

# 2. every command answers exactly one state; stamps advance by one control period
arm = q[:7]
for i in range(5):
    n = len(states)
    command(arm)
    wait_states(n + 1)
    time.sleep(0.05)
    say("command", i, "states", new_since(n), "step", states[-1].step)
say("stamp step ns", states[-1].header.stamp.to_nsec() - states[-2].header.stamp.to_nsec())

# 3. a bad command is refused, reported, and the arm holds (the state still advances)
n = len(states)
command([1.0, 2.0])
wait_states(n + 1)
time.sleep(0.3)
say("bad command states", new_since(n), "refused reported", any("refused" in e for e in errors))

# 4. run the episode out with holding commands: after the done state, step 0 of the next episode follows unasked
# (the done state and step 0 of the next episode arrive back to back: look at every new state)
done = None
while done is None:
    n = len(states)
    command(positions_of(states[-1])[:7])
    if not wait_states(n + 1):
        say("stalled at step", states[-1].step)
        sys.exit(1)
    with cond:
        done = next((s for s in states[n - 1:] if s.done), None)
say("done at step", done.step, "truncated", done.truncated, "success", done.success)
time.sleep(0.3)
with cond:
    nxt = states[states.index(done) + 1] if states.index(done) + 1 < len(states) else None
if nxt is None:
    say("nothing after the done state")
    sys.exit(1)
say("after done step", nxt.step, "episode", nxt.episode, "previous episode", done.episode)

# 5. same seed, same commands, same trajectory
def trajectory(seed):
    with cond:
        del states[:]
    reset(seed=seed)
    wait_states(1)
    out = []
    target = positions_of(states[-1])[:7]
    target[3] += 0.3
    for i in range(20):
        n = len(states)
        command(target)
        wait_states(n + 1)
        out.append(tuple(positions_of(states[-1])))
    return out
a, b = trajectory(11), trajectory(11)
say("deterministic", a == b, "moved", abs(a[-1][3] - a[0][3]) > 0.05)
say("finished")
