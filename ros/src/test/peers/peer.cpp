// roscpp peer for the interop tests and wire benchmarks. Modes:
//   sub TOPIC N             print N std_msgs/String data lines, then exit
//   pub TOPIC N             publish N std_msgs/String "cpp N" at 20 Hz once a subscriber is there
//   echo IN OUT             echo Float64MultiArray from IN to OUT (the round-trip peer)
//   ping OUT IN N           time N round trips OUT -> IN, print "rtt_ns V" per trip
//   jspub TOPIC SECONDS     publish sensor_msgs/JointState as fast as possible
//   jssub TOPIC SECONDS     count JointState messages for SECONDS after the first, print "count N"
//   jsecho IN OUT           echo sensor_msgs/JointState from IN to OUT (the policy round-trip peer)
//   jspair                  policy_server's topics without a model: joint_states + task/state paired by
//                           stamp in, the positions out as gripper then arm command (the same-shape peer)
#include <ros/ros.h>
#include <std_msgs/String.h>
#include <std_msgs/Float64MultiArray.h>
#include <sensor_msgs/JointState.h>
#include <chrono>
#include <cstdio>
#include <string>

// Any message whose first field is a std_msgs/Header: only its stamp is read (task/state for jspair,
// whose C++ type is not generated here; md5 "*" accepts any publisher, as topic_tools does).
struct StampOnly {
  uint32_t sec = 0, nsec = 0;
};
namespace ros {
namespace message_traits {
template <> struct MD5Sum<StampOnly> {
  static const char* value() { return "*"; }
  static const char* value(const StampOnly&) { return value(); }
};
template <> struct DataType<StampOnly> {
  static const char* value() { return "*"; }
  static const char* value(const StampOnly&) { return value(); }
};
template <> struct Definition<StampOnly> {
  static const char* value() { return ""; }
  static const char* value(const StampOnly&) { return value(); }
};
}  // namespace message_traits
namespace serialization {
template <> struct Serializer<StampOnly> {
  template <typename Stream> static void read(Stream& s, StampOnly& m) {
    uint32_t seq;
    s.next(seq);
    s.next(m.sec);
    s.next(m.nsec);
  }
};
}  // namespace serialization
}  // namespace ros

static long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::steady_clock::now().time_since_epoch()).count();
}

int main(int argc, char** argv) {
  ros::init(argc, argv, "cpp_peer", ros::init_options::AnonymousName);
  std::vector<std::string> a;
  ros::removeROSArgs(argc, argv, a);
  if (a.size() < 2) { fprintf(stderr, "usage: peer MODE ...\n"); return 2; }
  ros::NodeHandle nh;
  std::string mode = a[1];
  setvbuf(stdout, nullptr, _IOLBF, 0);
  if (mode == "sub") {
    int n = std::stoi(a[3]);
    int seen = 0;
    ros::Subscriber s = nh.subscribe<std_msgs::String>(a[2], 100, [&](const std_msgs::String::ConstPtr& m) {
      printf("%s\n", m->data.c_str());
      if (++seen >= n) ros::shutdown();
    });
    printf("ready\n");
    ros::spin();
  } else if (mode == "pub") {
    int n = std::stoi(a[3]);
    ros::Publisher p = nh.advertise<std_msgs::String>(a[2], 100);
    while (p.getNumSubscribers() == 0 && ros::ok()) ros::Duration(0.01).sleep();
    ros::Rate r(20);
    for (int i = 0; i < n && ros::ok(); i++) {
      std_msgs::String m; m.data = "cpp " + std::to_string(i); p.publish(m); r.sleep();
    }
  } else if (mode == "echo") {
    ros::Publisher p = nh.advertise<std_msgs::Float64MultiArray>(a[3], 1);
    ros::Subscriber s = nh.subscribe<std_msgs::Float64MultiArray>(a[2], 1,
        [&](const std_msgs::Float64MultiArray::ConstPtr& m) { p.publish(*m); }, ros::VoidConstPtr(),
        ros::TransportHints().tcpNoDelay());
    printf("ready\n");
    ros::spin();
  } else if (mode == "ping") {
    int n = std::stoi(a[4]);
    volatile bool got = false;
    ros::AsyncSpinner spinner(1);
    ros::Publisher p = nh.advertise<std_msgs::Float64MultiArray>(a[2], 1);
    ros::Subscriber s = nh.subscribe<std_msgs::Float64MultiArray>(a[3], 1,
        [&](const std_msgs::Float64MultiArray::ConstPtr&) { got = true; }, ros::VoidConstPtr(),
        ros::TransportHints().tcpNoDelay());
    spinner.start();
    while ((p.getNumSubscribers() == 0 || s.getNumPublishers() == 0) && ros::ok()) ros::Duration(0.01).sleep();
    ros::Duration(0.5).sleep();
    std_msgs::Float64MultiArray m; m.data.assign(14, 0.5);
    for (int i = 0; i < n && ros::ok(); i++) {
      got = false;
      long t0 = now_ns();
      p.publish(m);
      while (!got && ros::ok()) {}
      printf("rtt_ns %ld\n", now_ns() - t0);
    }
  } else if (mode == "jsecho") {
    ros::Publisher p = nh.advertise<sensor_msgs::JointState>(a[3], 1);
    ros::Subscriber s = nh.subscribe<sensor_msgs::JointState>(a[2], 1,
        [&](const sensor_msgs::JointState::ConstPtr& m) { p.publish(*m); }, ros::VoidConstPtr(),
        ros::TransportHints().tcpNoDelay());
    printf("ready\n");
    ros::spin();
  } else if (mode == "jspair") {
    ros::Publisher arm = nh.advertise<std_msgs::Float64MultiArray>("arm_controller/command", 1);
    ros::Publisher gripper = nh.advertise<std_msgs::Float64MultiArray>("gripper_controller/command", 1);
    sensor_msgs::JointState js;
    StampOnly state;
    ros::Time answered;
    std_msgs::Float64MultiArray a, g;
    a.data.resize(7);
    g.data.resize(1);
    auto pair = [&]() {
      if (js.header.stamp.sec != state.sec || js.header.stamp.nsec != state.nsec || js.header.stamp == answered) return;
      if (js.position.size() < 8) return;
      answered = js.header.stamp;
      for (int k = 0; k < 7; k++) a.data[k] = js.position[k];
      g.data[0] = js.position[7];
      gripper.publish(g);
      arm.publish(a);
    };
    ros::TransportHints nodelay = ros::TransportHints().tcpNoDelay();
    ros::Subscriber sj = nh.subscribe<sensor_msgs::JointState>("joint_states", 1,
        [&](const sensor_msgs::JointState::ConstPtr& m) { js = *m; pair(); }, ros::VoidConstPtr(), nodelay);
    ros::Subscriber ss = nh.subscribe<StampOnly>("task/state", 1,
        [&](const boost::shared_ptr<const StampOnly>& m) { state = *m; pair(); }, ros::VoidConstPtr(), nodelay);
    printf("ready\n");
    ros::spin();
  } else if (mode == "jspub") {
    double secs = std::stod(a[3]);
    ros::Publisher p = nh.advertise<sensor_msgs::JointState>(a[2], 1000);
    while (p.getNumSubscribers() == 0 && ros::ok()) ros::Duration(0.01).sleep();
    sensor_msgs::JointState m;
    for (int j = 0; j < 7; j++) { m.name.push_back("joint" + std::to_string(j + 1)); }
    m.position.assign(7, 0.1); m.velocity.assign(7, 0.2); m.effort.assign(7, 0.3);
    long end = now_ns() + (long)(secs * 1e9);
    while (now_ns() < end && ros::ok()) { m.header.seq++; p.publish(m); }
  } else if (mode == "jssub") {
    double secs = std::stod(a[3]);
    long count = 0, start = 0;
    ros::Subscriber s = nh.subscribe<sensor_msgs::JointState>(a[2], 1000,
        [&](const sensor_msgs::JointState::ConstPtr&) { if (count++ == 0) start = now_ns(); },
        ros::VoidConstPtr(), ros::TransportHints().tcpNoDelay());
    printf("ready\n");
    while (ros::ok() && (count == 0 || now_ns() - start < (long)(secs * 1e9))) ros::spinOnce();
    printf("count %ld\n", count);
  }
  return 0;
}
