#!/usr/bin/env python3
"""A stranger's rospy listener for vr_web: prints one line per vr/controller_pose and vr/joy message
with the wall-clock time it arrived, until SECONDS have passed (then 'done'). Usage: SECONDS"""
import sys
import threading
import time

import rospy
from geometry_msgs.msg import PoseStamped
from sensor_msgs.msg import Joy


lock = threading.Lock()   # the two topics' callbacks run on two threads: one whole line at a time


def out(line):
    with lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def on_pose(m):
    now = time.time()
    p, q = m.pose.position, m.pose.orientation
    out("pose %d %d %.9f %s %.6f %.6f %.6f %.6f %.6f %.6f %.6f" % (
        m.header.seq, m.header.stamp.to_nsec(), now, m.header.frame_id, p.x, p.y, p.z, q.x, q.y, q.z, q.w))


def on_joy(m):
    out("joy %d %.9f %s %s" % (m.header.stamp.to_nsec(), time.time(), ",".join(str(b) for b in m.buttons),
                               ",".join("%.3f" % a for a in m.axes)))


rospy.init_node("vr_pose_listener", anonymous=True)
rospy.Subscriber("vr/controller_pose", PoseStamped, on_pose, queue_size=1000, tcp_nodelay=True)
rospy.Subscriber("vr/joy", Joy, on_joy, queue_size=1000, tcp_nodelay=True)
out("listening")
time.sleep(float(sys.argv[1]))
out("done")
