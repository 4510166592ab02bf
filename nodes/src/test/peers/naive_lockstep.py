#!/usr/bin/env python3
# A lockstep client written the obvious way: answer every joint_states with an arm command at
# once, without waiting for any connection. Prints the number of states answered when done.
# usage: naive_lockstep.py STEPS TIMEOUT_S
import sys, time
import rospy
from sensor_msgs.msg import JointState
from std_msgs.msg import Float64MultiArray

steps, timeout = int(sys.argv[1]), float(sys.argv[2])
rospy.init_node('naive_client', anonymous=True)
pub = rospy.Publisher('arm_controller/command', Float64MultiArray, queue_size=1)
count = [0]

def answer(m):
    pub.publish(Float64MultiArray(data=list(m.position[:7])))
    count[0] += 1

rospy.Subscriber('joint_states', JointState, answer)
start = time.time()
while count[0] < steps and time.time() - start < timeout and not rospy.is_shutdown():
    time.sleep(0.01)
print('answered %d states in %.2f s' % (count[0], time.time() - start), flush=True)
