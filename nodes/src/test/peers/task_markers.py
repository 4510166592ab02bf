#!/usr/bin/env python3
"""Reads sim_arm's task/markers with Debian's visualization_msgs, as RViz's MarkerArray display
does, and prints one line per marker: "marker NS TYPE FRAME X Y Z SCALE ALPHA QW" (repr floats)."""
import rospy
from visualization_msgs.msg import MarkerArray

rospy.init_node("task_markers", anonymous=True)
msg = rospy.wait_for_message("task/markers", MarkerArray, timeout=30)
for m in msg.markers:
    p = m.pose.position
    print("marker %s %d %s %r %r %r %r %r %r" % (m.ns, m.type, m.header.frame_id, p.x, p.y, p.z, m.scale.x, m.color.a,
          m.pose.orientation.w), flush=True)
