package org.teachlearn.nodes.policy;

import java.io.IOException;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;

/**
 * policy_server's arm command for a JointGroupPositionController: std_msgs/Float64MultiArray, one
 * target per joint in the model's order (which {@code ARM/joints} must follow: the message has no names).
 */
final class GroupCommandOut implements ArmCommandOut {

    private final Publisher<Float64MultiArray> publisher;
    private final Float64MultiArray msg = new Float64MultiArray();

    GroupCommandOut(Node node, String controller) throws IOException {
        publisher = node.advertise(controller + "/command", Float64MultiArray.TYPE);
    }

    @Override
    public Publisher<?> publisher() {
        return publisher;
    }

    @Override
    public void configure(String[] joints, double tickSeconds) {
        msg.data = new double[joints.length];
    }

    @Override
    public void send(double[] targets, boolean hold) {
        System.arraycopy(targets, 0, msg.data, 0, msg.data.length);
        publisher.publish(msg);
    }
}
