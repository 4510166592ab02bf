// A streaming client of a JointTrajectoryController in roscpp, as servo loops drive real arms: at
// 100 Hz, one single-point trajectory_msgs/JointTrajectory, time_from_start 0.01 s, moving from
// where the arm was at the first joint_states to TARGET (arm_joint1..7) in SECONDS / 2, then
// holding it there. Joints are named in a rotated order; header.stamp alternates between 0 (start
// now) and ros::Time::now(). Prints the goals sent and the last arm positions received.
// usage: trajectory_stream SECONDS T1 T2 T3 T4 T5 T6 T7
#include <ros/ros.h>
#include <sensor_msgs/JointState.h>
#include <trajectory_msgs/JointTrajectory.h>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

static std::map<std::string, double> measured;

static void onJoints(const sensor_msgs::JointState::ConstPtr& m) {
  for (size_t i = 0; i < m->name.size() && i < m->position.size(); ++i) measured[m->name[i]] = m->position[i];
}

int main(int argc, char** argv) {
  ros::init(argc, argv, "trajectory_stream", ros::init_options::AnonymousName);
  double seconds = std::atof(argv[1]);
  std::vector<double> target;
  for (int i = 2; i < 9; ++i) target.push_back(std::atof(argv[i]));
  ros::NodeHandle n;
  ros::Publisher pub = n.advertise<trajectory_msgs::JointTrajectory>("arm_controller/command", 1);
  ros::Subscriber sub = n.subscribe("joint_states", 10, onJoints, ros::TransportHints().tcpNoDelay());
  std::vector<std::string> joints;
  for (int i = 0; i < 7; ++i) joints.push_back("arm_joint" + std::to_string(i + 1));
  ros::WallTime deadline = ros::WallTime::now() + ros::WallDuration(10);
  while (ros::ok() && (measured.size() < 7 || pub.getNumSubscribers() == 0) && ros::WallTime::now() < deadline) {
    ros::spinOnce();
    ros::WallDuration(0.005).sleep();
  }
  if (measured.size() < 7 || pub.getNumSubscribers() == 0) {
    std::printf("no joint_states or no controller subscribed\n");
    return 1;
  }
  std::vector<double> start;
  for (const auto& j : joints) start.push_back(measured[j]);
  trajectory_msgs::JointTrajectory goal;
  goal.points.resize(1);
  goal.points[0].positions.resize(7);
  goal.points[0].time_from_start = ros::Duration(0.01);
  for (int i = 0; i < 7; ++i) goal.joint_names.push_back(joints[(i + 3) % 7]);
  ros::Rate rate(100);
  long sent = 0;
  ros::WallTime t0 = ros::WallTime::now();
  while (ros::ok()) {
    double t = (ros::WallTime::now() - t0).toSec();
    if (t >= seconds) break;
    double f = std::min(1.0, t / (seconds / 2));
    for (int i = 0; i < 7; ++i) {
      int j = (i + 3) % 7;
      goal.points[0].positions[i] = start[j] + f * (target[j] - start[j]);
    }
    goal.header.stamp = sent % 2 == 0 ? ros::Time(0) : ros::Time::now();
    pub.publish(goal);
    ++sent;
    ros::spinOnce();
    rate.sleep();
  }
  ros::spinOnce();
  std::printf("sent %ld goals\nlast arm positions", sent);
  for (const auto& j : joints) std::printf(" %.6f", measured[j]);
  std::printf("\n");
  return 0;
}
