package org.teachlearn.learn.demo;

import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.robot.arm.GripperScale;

/**
 * What a reader needs to turn a recording into a {@link Demonstration}: the policy's layout
 * (arm joints in its order, gripper joint, goal size), the arm controller's joint order (the
 * order of its command's values), the gripper's joint-to-opening scale (null: no gripper) and
 * the topics.
 */
public record DemoSpec(PolicyLayout layout, String[] commandJoints, GripperScale gripper, Topics topics) {

    /** The recorded topics' names, relative names resolved in the global namespace. */
    public record Topics(String jointStates, String taskState, String armCommand, String gripperCommand, String expertAction, String demoInfo) {

        public Topics {
            java.util.List<String> all = java.util.List.of(jointStates, taskState, armCommand, gripperCommand, expertAction, demoInfo);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String t : all) {
                String global = t.startsWith("/") ? t : "/" + t;
                if (t.isBlank() || !seen.add(global)) {
                    throw new IllegalArgumentException("the demonstration topics must be six different names, got " + all
                            + " (--joint-states-topic, --task-state-topic, --arm-command-topic, --gripper-command-topic, --expert-action-topic, --demo-info-topic)");
                }
            }
        }

        public static final Topics DEFAULT = new Topics("joint_states", "task/state", "arm_controller/command", "gripper_controller/command",
                "expert/action", "demo/info");
    }
}
