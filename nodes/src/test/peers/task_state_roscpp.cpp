// A user's roscpp node built against teach_learn's generated headers (./teach_learn env, pkg-config
// teach_learn): receives one teach_learn/TaskState from sim_arm, and prints the MD5 sums gencpp compiled in.
#include <ros/ros.h>
#include <teach_learn/Experience.h>
#include <teach_learn/Reset.h>
#include <teach_learn/TaskState.h>
#include <cstdio>

int main(int argc, char** argv) {
  ros::init(argc, argv, "task_state_roscpp", ros::init_options::AnonymousName);
  ros::NodeHandle nh;
  std::printf("md5 teach_learn/TaskState %s\n", ros::message_traits::MD5Sum<teach_learn::TaskState>::value());
  std::printf("md5 teach_learn/Experience %s\n", ros::message_traits::MD5Sum<teach_learn::Experience>::value());
  std::printf("md5 teach_learn/Reset %s\n", ros::service_traits::MD5Sum<teach_learn::Reset>::value());
  std::fflush(stdout);
  teach_learn::TaskState::ConstPtr state =
      ros::topic::waitForMessage<teach_learn::TaskState>("task/state", nh, ros::Duration(30));
  if (!state) {
    std::printf("no teach_learn/TaskState in 30 s\n");
    return 1;
  }
  std::printf("task_state episode %u goal %zu\n", state->episode, state->goal.size());
  return 0;
}
