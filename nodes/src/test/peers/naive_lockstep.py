#!/usr/bin/env python3
# A lockstep client written the obvious way: answer every joint_states with an arm command at
# once, without waiting for any connection. Prints the number of states answered when done.
# usage: naive_lockstep.py STEPS TIMEOUT_S [float64|trajectory] [TARGET...]
#   float64 (default): std_msgs/Float64MultiArray, the measured arm positions
#   trajectory: a single-point trajectory_msgs/JointTrajectory, joints named in reverse order,
#     header.stamp 0, time_from_start 0.01 s: the measured positions, or the 7 TARGET positions
#     (arm_joint1..7); then prints the last arm positions received
import sys, time
import rospy
from sensor_msgs.msg import JointState
from std_msgs.msg import Float64MultiArray
from trajectory_msgs.msg import JointTrajectory, JointTrajectoryPoint

steps, timeout = int(sys.argv[1]), float(sys.argv[2])
mode = sys.argv[3] if len(sys.argv) > 3 else 'float64'
target = [float(v) for v in sys.argv[4:11]] if len(sys.argv) > 4 else None
rospy.init_node('naive_client', anonymous=True)
count = [0]
last = [None]

if mode == 'trajectory':
    pub = rospy.Publisher('arm_controller/command', JointTrajectory, queue_size=1)

    def answer(m):
        q = list(m.position[:7]) if target is None else target
        pub.publish(JointTrajectory(joint_names=list(reversed(m.name[:7])),
                                    points=[JointTrajectoryPoint(positions=list(reversed(q)),
                                                                 time_from_start=rospy.Duration(0.01))]))
        last[0] = m.position[:7]
        count[0] += 1
else:
    pub = rospy.Publisher('arm_controller/command', Float64MultiArray, queue_size=1)

    def answer(m):
        pub.publish(Float64MultiArray(data=list(m.position[:7])))
        count[0] += 1

rospy.Subscriber('joint_states', JointState, answer)
start = time.time()
while count[0] < steps and time.time() - start < timeout and not rospy.is_shutdown():
    time.sleep(0.01)
print('answered %d states in %.2f s' % (count[0], time.time() - start), flush=True)
if last[0] is not None:
    print('last arm positions ' + ' '.join('%.6f' % v for v in last[0]), flush=True)
