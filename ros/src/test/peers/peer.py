"""rospy peer for the interop tests and wire benchmarks (run with /usr/bin/python3). Modes:
  sub TOPIC N          print N std_msgs/String data lines, then exit
  latesub TOPIC        wait for one latched std_msgs/String and print it
  pub TOPIC N          publish N std_msgs/String "py N" at 20 Hz once a subscriber is there
  call SERVICE         call std_srvs/Trigger and print "success message"
  serve SERVICE        offer std_srvs/SetBool answering "got True/False"
  echo IN OUT          echo Float64MultiArray from IN to OUT
  ping OUT IN N        time N round trips, print "rtt_ns V" per trip
  params               print the private parameters ~a ~b ~c as repr
"""
import sys, time, threading
import rospy
from std_msgs.msg import String, Float64MultiArray
from std_srvs.srv import Trigger, SetBool, SetBoolResponse

def main():
    args = rospy.myargv(sys.argv)
    mode = args[1]
    rospy.init_node('py_peer', anonymous=True, disable_signals=True)
    if mode == 'sub':
        n = int(args[3]); seen = [0]; done = threading.Event()
        def cb(m):
            print(m.data, flush=True); seen[0] += 1
            if seen[0] >= n: done.set()
        rospy.Subscriber(args[2], String, cb, queue_size=100)
        print('ready', flush=True)
        done.wait(60)
    elif mode == 'latesub':
        print(rospy.wait_for_message(args[2], String, timeout=20).data, flush=True)
    elif mode == 'pub':
        p = rospy.Publisher(args[2], String, queue_size=100)
        while p.get_num_connections() == 0: time.sleep(0.01)
        for i in range(int(args[3])):
            p.publish(String('py %d' % i)); time.sleep(0.05)
        time.sleep(0.5)
    elif mode == 'call':
        rospy.wait_for_service(args[2], timeout=20)
        r = rospy.ServiceProxy(args[2], Trigger)()
        print(r.success, r.message, flush=True)
    elif mode == 'serve':
        rospy.Service(args[2], SetBool, lambda req: SetBoolResponse(True, 'got %s' % req.data))
        print('ready', flush=True)
        time.sleep(60)
    elif mode == 'echo':
        p = rospy.Publisher(args[3], Float64MultiArray, queue_size=1, tcp_nodelay=True)
        rospy.Subscriber(args[2], Float64MultiArray, p.publish, queue_size=1, tcp_nodelay=True)
        print('ready', flush=True)
        time.sleep(600)
    elif mode == 'ping':
        got = threading.Event()
        p = rospy.Publisher(args[2], Float64MultiArray, queue_size=1, tcp_nodelay=True)
        s = rospy.Subscriber(args[3], Float64MultiArray, lambda m: got.set(), queue_size=1, tcp_nodelay=True)
        while p.get_num_connections() == 0 or s.get_num_connections() == 0: time.sleep(0.01)
        time.sleep(0.5)
        m = Float64MultiArray(data=[0.5] * 14)
        for _ in range(int(args[4])):
            got.clear(); t0 = time.perf_counter_ns(); p.publish(m); got.wait(5)
            print('rtt_ns %d' % (time.perf_counter_ns() - t0), flush=True)
    elif mode == 'params':
        print(repr(rospy.get_param('~a', None)), repr(rospy.get_param('~b', None)), repr(rospy.get_param('~c', None)), flush=True)
    rospy.signal_shutdown('done')

if __name__ == '__main__':
    main()
