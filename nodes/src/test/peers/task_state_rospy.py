#!/usr/bin/env python3
"""A user's rospy node: teach_learn's generated classes on PYTHONPATH (./teach_learn env), one
teach_learn/TaskState received from sim_arm, and the MD5 sum of every generated class, one per line."""
import sys
import rospy
from teach_learn.msg import ActionStamped, DemoInfo, Experience, ModelUpdate, TaskState, TrainingStats
from teach_learn.srv import Reset, ResetRequest, ResetResponse, StopDemo, StopDemoRequest, StopDemoResponse

for cls in (ActionStamped, DemoInfo, Experience, ModelUpdate, TaskState, TrainingStats,
            Reset, ResetRequest, ResetResponse, StopDemo, StopDemoRequest, StopDemoResponse):
    print("md5", cls._type, cls._md5sum, flush=True)

experience = Experience(worker="w", obs_dim=2, obs=[1.0, 2.0])
print("experience worker", experience.worker, "obs", list(experience.obs), flush=True)

rospy.init_node("task_state_rospy", anonymous=True)
state = rospy.wait_for_message("task/state", TaskState, timeout=30)
print("task_state type", state._type, "episode", state.episode, "goal", len(state.goal), flush=True)
