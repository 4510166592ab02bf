// roscpp peer for the interop tests and wire benchmarks. Modes:
//   sub TOPIC N             print N std_msgs/String data lines, then exit
//   pub TOPIC N             publish N std_msgs/String "cpp N" at 20 Hz once a subscriber is there
//   echo IN OUT             echo Float64MultiArray from IN to OUT (the round-trip peer)
//   ping OUT IN N           time N round trips OUT -> IN, print "rtt_ns V" per trip
//   jspub TOPIC SECONDS     publish sensor_msgs/JointState as fast as possible
//   jssub TOPIC SECONDS     count JointState messages for SECONDS after the first, print "count N"
//   jsecho IN OUT           echo sensor_msgs/JointState from IN to OUT (the policy round-trip peer)
#include <ros/ros.h>
#include <std_msgs/String.h>
#include <std_msgs/Float64MultiArray.h>
#include <sensor_msgs/JointState.h>
#include <chrono>
#include <cstdio>
#include <string>

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
