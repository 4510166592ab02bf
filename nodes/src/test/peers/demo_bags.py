#!/usr/bin/env python3
"""Demonstration bags through Debian's Python rosbag API, as a user's script writes them.

rewrite IN OUT   every message of IN read and written again through the API (messages built from
                 the definitions the bag stores, so no teach_learn classes are needed), with LZ4
                 chunks of 64 KB where `rosbag record` wrote uncompressed chunks of 768 KB
"""
import sys

import rosbag


def rewrite(src, dst):
    n = 0
    with rosbag.Bag(src) as b, rosbag.Bag(dst, 'w', compression='lz4', chunk_threshold=64 * 1024) as out:
        for topic, msg, t in b.read_messages():
            out.write(topic, msg, t)
            n += 1
    print("rewrote", n, "messages", flush=True)


if __name__ == '__main__':
    if sys.argv[1] == 'rewrite':
        rewrite(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: demo_bags.py rewrite IN OUT")
