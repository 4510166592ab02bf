#!/usr/bin/python3
"""Python rosbag as the peer of the bag tests (Debian's python3-rosbag).

  bag_peer.py read BAG            every message: "topic secs nsecs md5-of-serialized-bytes"
  bag_peer.py defs                 "type md5 base64(full text)" of std_msgs/String and sensor_msgs/JointState
                                  as this machine's ROS defines them (what a roscpp/rospy publisher sends)
  bag_peer.py write BAG none|bz2|lz4 N
                                  writes N std_msgs/String on /chatter and N sensor_msgs/JointState
                                  on /joint_states, as rosbag record does, and prints them as read does
"""
import hashlib
import io
import sys

import genpy
import rosbag
from sensor_msgs.msg import JointState
from std_msgs.msg import String


def line(topic, data, t):
    return "%s %d %d %s" % (topic, t.secs, t.nsecs, hashlib.md5(data).hexdigest())


def main():
    mode = sys.argv[1]
    if mode == "defs":
        import base64
        for cls in (String, JointState):
            print("%s %s %s" % (cls._type, cls._md5sum, base64.b64encode(cls._full_text.encode()).decode()))
        return
    path = sys.argv[2]
    if mode == "read":
        with rosbag.Bag(path) as bag:
            for topic, raw, t in bag.read_messages(raw=True):
                print(line(topic, raw[1], t))
    else:
        compression, n = sys.argv[3], int(sys.argv[4])
        with rosbag.Bag(path, "w", compression=compression, chunk_threshold=16 * 1024) as bag:
            for i in range(n):
                t = genpy.Time(1700000000 + i // 100, (i % 100) * 10_000_000)
                s = String(data="hello %d" % i)
                j = JointState(name=["a", "b"], position=[0.1 * i, -0.2 * i], velocity=[1.0, 2.0], effort=[])
                j.header.stamp = t
                j.header.seq = i
                for topic, msg in (("/chatter", s), ("/joint_states", j)):
                    bag.write(topic, msg, t)
                    buf = io.BytesIO()
                    msg.serialize(buf)
                    print(line(topic, buf.getvalue(), t))


if __name__ == "__main__":
    main()
