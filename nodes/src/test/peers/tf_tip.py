#!/usr/bin/env python3
"""Reads the tip pose through tf2, as a user's rospy node would: takes the stamp of the first
joint_states it sees after its tf listener is up, looks up BASE -> TIP at that stamp, and prints
it as one line "stamp SEC NSEC xyz X Y Z quat X Y Z W" (repr floats, full precision).
Usage: tf_tip.py BASE TIP"""
import sys
import rospy
import tf2_ros
from sensor_msgs.msg import JointState

base, tip = sys.argv[1], sys.argv[2]
rospy.init_node("tf_tip", anonymous=True)
buf = tf2_ros.Buffer()
tf2_ros.TransformListener(buf)
rospy.sleep(0.5)   # let the listener connect to robot_state_publisher's /tf and /tf_static
stamp = rospy.wait_for_message("joint_states", JointState, timeout=30).header.stamp
t = buf.lookup_transform(base, tip, stamp, rospy.Duration(10)).transform
print("stamp %d %d xyz %r %r %r quat %r %r %r %r" % (stamp.secs, stamp.nsecs, t.translation.x, t.translation.y,
      t.translation.z, t.rotation.x, t.rotation.y, t.rotation.z, t.rotation.w), flush=True)
