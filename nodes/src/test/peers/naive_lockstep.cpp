// A lockstep client written the obvious way in roscpp: answer every joint_states with an arm
// command at once, without waiting for any connection. Prints the number of states answered.
// usage: naive_lockstep STEPS TIMEOUT_S [float64|trajectory]
//   float64 (default): std_msgs/Float64MultiArray of the measured arm positions
//   trajectory: a single-point trajectory_msgs/JointTrajectory of them, joints named in reverse
//     order, header.stamp 0, time_from_start 0.01 s
#include <ros/ros.h>
#include <sensor_msgs/JointState.h>
#include <std_msgs/Float64MultiArray.h>
#include <trajectory_msgs/JointTrajectory.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>

static ros::Publisher pub;
static long count = 0;

static void answer(const sensor_msgs::JointState::ConstPtr& m) {
  std_msgs::Float64MultiArray c;
  c.data.assign(m->position.begin(), m->position.begin() + 7);
  pub.publish(c);
  ++count;
}

static void answerTrajectory(const sensor_msgs::JointState::ConstPtr& m) {
  trajectory_msgs::JointTrajectory t;
  t.joint_names.assign(m->name.rend() - 7, m->name.rend());
  t.points.resize(1);
  t.points[0].positions.assign(m->position.rend() - 7, m->position.rend());
  t.points[0].time_from_start = ros::Duration(0.01);
  pub.publish(t);
  ++count;
}

int main(int argc, char** argv) {
  ros::init(argc, argv, "naive_client", ros::init_options::AnonymousName);
  long steps = std::atol(argv[1]);
  double timeout = std::atof(argv[2]);
  bool trajectory = argc > 3 && std::strcmp(argv[3], "trajectory") == 0;
  ros::NodeHandle n;
  ros::Subscriber sub;
  if (trajectory) {
    pub = n.advertise<trajectory_msgs::JointTrajectory>("arm_controller/command", 1);
    sub = n.subscribe("joint_states", 1, answerTrajectory, ros::TransportHints().tcpNoDelay());
  } else {
    pub = n.advertise<std_msgs::Float64MultiArray>("arm_controller/command", 1);
    sub = n.subscribe("joint_states", 1, answer, ros::TransportHints().tcpNoDelay());
  }
  ros::WallTime start = ros::WallTime::now();
  while (ros::ok() && count < steps && (ros::WallTime::now() - start).toSec() < timeout) ros::spinOnce();
  std::printf("answered %ld states in %.2f s\n", count, (ros::WallTime::now() - start).toSec());
  return 0;
}
