"""actionlib's own Python client and server (Debian's python3-actionlib) with control_msgs/GripperCommand,
whose Python classes come from the checkout's devel/ (put on PYTHONPATH by the test).
  client NAME   runs a fixed scenario against a server and prints one line per step
  server NAME   serves NAME: moves to the goal's position in 0.3 s with feedback, aborts a negative one,
                stops on preemption
Usage: /usr/bin/python3 action_peer.py client|server NAME"""
import sys, time
import rospy, actionlib
from actionlib_msgs.msg import GoalStatus
from control_msgs.msg import GripperCommandAction, GripperCommandGoal, GripperCommandResult, GripperCommandFeedback

role, name = sys.argv[1], sys.argv[2]
rospy.init_node('py_action_' + role, disable_signals=True)

def goal(position, max_effort=10.0):
    g = GripperCommandGoal()
    g.command.position = position
    g.command.max_effort = max_effort
    return g

def say(*words):
    print(' '.join(str(w) for w in words), flush=True)

if role == 'client':
    c = actionlib.SimpleActionClient(name, GripperCommandAction)
    if not c.wait_for_server(rospy.Duration(20)):
        say('no server'); sys.exit(1)
    say('connected')
    feedback = []
    c.send_goal(goal(0.02), feedback_cb=lambda f: feedback.append(f.position))
    c.wait_for_result(rospy.Duration(10))
    r = c.get_result()
    say('reach', GoalStatus.to_string(c.get_state()), '%.4f' % r.position, r.reached_goal, r.stalled, 'feedback', len(feedback) > 0)
    c.send_goal(goal(0.5))
    c.wait_for_result(rospy.Duration(10))
    say('out_of_range', GoalStatus.to_string(c.get_state()), c.get_goal_status_text())
    c.send_goal(goal(0.03, max_effort=-1.0))   # the test server holds such a goal until it is cancelled
    time.sleep(0.5)
    c.cancel_goal()
    c.wait_for_result(rospy.Duration(10))
    say('cancel', GoalStatus.to_string(c.get_state()))
    c.send_goal(goal(0.01, max_effort=-1.0))
    time.sleep(0.5)
    c.cancel_all_goals()
    c.wait_for_result(rospy.Duration(10))
    say('cancel_all', GoalStatus.to_string(c.get_state()))
    c.send_goal(goal(0.01, max_effort=-1.0))
    time.sleep(0.5)
    c.cancel_goals_at_and_before_time(rospy.Time.now())
    c.wait_for_result(rospy.Duration(10))
    say('cancel_before', GoalStatus.to_string(c.get_state()))
    c.send_goal(goal(0.025, max_effort=-1.0))   # never reached: still active whenever the second client's goal comes
    time.sleep(0.05)
    c2 = actionlib.SimpleActionClient(name, GripperCommandAction)
    c2.wait_for_server(rospy.Duration(20))
    c2.send_goal(goal(0.015))   # a second client's goal preempts the first
    c.wait_for_result(rospy.Duration(10))
    c2.wait_for_result(rospy.Duration(10))
    say('preempted_by_new', GoalStatus.to_string(c.get_state()), GoalStatus.to_string(c2.get_state()), '%.4f' % c2.get_result().position)
    say('done')
else:
    def execute(g):
        p = g.command.position
        if p < 0:
            s.set_aborted(GripperCommandResult(position=0.0), 'negative opening %.3f' % p)
            return
        start = time.time()
        while time.time() - start < 0.3:
            if s.is_preempt_requested():
                s.set_preempted(GripperCommandResult(position=-1.0), 'preempted')
                return
            s.publish_feedback(GripperCommandFeedback(position=p * (time.time() - start) / 0.3))
            time.sleep(0.02)
        s.set_succeeded(GripperCommandResult(position=p, effort=1.5, stalled=False, reached_goal=True), 'reached')
    s = actionlib.SimpleActionServer(name, GripperCommandAction, execute_cb=execute, auto_start=False)
    s.start()
    say('ready')
    rospy.spin()
