package org.teachlearn.nodes.policy;

import java.io.IOException;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.robot.arm.GripperScale;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;

/**
 * Where policy_server's gripper opening (m per finger) goes, by {@code ~gripper_interface}: {@code topic}
 * (default), a Float64MultiArray on GRIPPER_CONTROLLER/command every tick; or {@code action}, goals of
 * control_msgs/GripperCommand on {@code ~gripper_action} ({@link GripperGoals}). Called under the server's
 * lock on the tick's thread; neither allocates in the steady state.
 */
public interface GripperOutput {

    void send(double opening);

    /** The publisher whose subscriber a lockstep answer waits for, or null (the action's server never holds a step). */
    Publisher<?> waitsFor();

    static GripperOutput open(Node node) throws IOException {
        var p = node.params();
        String controller = p.getString("~gripper_controller", "gripper_controller");
        String kind = p.getString("~gripper_interface", "topic");
        return switch (kind) {
            case "topic" -> new Topic(node.advertise(controller + "/command", Float64MultiArray.TYPE));
            case "action" -> GripperGoals.open(node, p.getString("~gripper_action", controller + "/gripper_cmd"),
                    p.getDouble("~gripper_deadband", 0.001), p.getDouble("~gripper_max_effort", 10.0));
            default -> throw new IllegalArgumentException("~gripper_interface is '" + kind
                    + "': it must be topic (std_msgs/Float64MultiArray on " + controller + "/command) or action"
                    + " (control_msgs/GripperCommand goals on ~gripper_action)");
        };
    }

    /** {@code inner} fed the joint position of each opening: a revolute gripper through its calibration. */
    static GripperOutput scaled(GripperOutput inner, GripperScale scale) {
        return new GripperOutput() {
            @Override
            public void send(double opening) {
                inner.send(scale.toJoint(opening));
            }

            @Override
            public Publisher<?> waitsFor() {
                return inner.waitsFor();
            }
        };
    }

    /** A JointGroupPositionController's command topic: one value, every tick. */
    final class Topic implements GripperOutput {
        private final Publisher<Float64MultiArray> publisher;
        private final Float64MultiArray msg = new Float64MultiArray();

        Topic(Publisher<Float64MultiArray> publisher) {
            this.publisher = publisher;
            msg.data = new double[1];
        }

        @Override
        public void send(double opening) {
            msg.data[0] = opening;
            publisher.publish(msg);
        }

        @Override
        public Publisher<?> waitsFor() {
            return publisher;
        }
    }
}
