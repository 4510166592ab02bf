// A lockstep client written the obvious way in roscpp: answer every joint_states with an arm
// command at once, without waiting for any connection. Prints the number of states answered.
// usage: naive_lockstep STEPS TIMEOUT_S
#include <ros/ros.h>
#include <sensor_msgs/JointState.h>
#include <std_msgs/Float64MultiArray.h>
#include <cstdio>
#include <cstdlib>

static ros::Publisher pub;
static long count = 0;

static void answer(const sensor_msgs::JointState::ConstPtr& m) {
  std_msgs::Float64MultiArray c;
  c.data.assign(m->position.begin(), m->position.begin() + 7);
  pub.publish(c);
  ++count;
}

int main(int argc, char** argv) {
  ros::init(argc, argv, "naive_client", ros::init_options::AnonymousName);
  long steps = std::atol(argv[1]);
  double timeout = std::atof(argv[2]);
  ros::NodeHandle n;
  pub = n.advertise<std_msgs::Float64MultiArray>("arm_controller/command", 1);
  ros::Subscriber sub = n.subscribe("joint_states", 1, answer, ros::TransportHints().tcpNoDelay());
  ros::WallTime start = ros::WallTime::now();
  while (ros::ok() && count < steps && (ros::WallTime::now() - start).toSec() < timeout) ros::spinOnce();
  std::printf("answered %ld states in %.2f s\n", count, (ros::WallTime::now() - start).toSec());
  return 0;
}
