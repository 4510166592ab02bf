package org.teachlearn.nodes.policy;

import java.io.IOException;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;

/**
 * Where policy_server's arm targets go, in the message the arm's controller takes: read from
 * {@code ARM/type} (the ros_control parameter the driver and sim_arm read too), a
 * JointTrajectoryController gets trajectory_msgs/JointTrajectory ({@link TrajectoryCommandOut}),
 * anything else, or no {@code ARM/type}, std_msgs/Float64MultiArray ({@link GroupCommandOut}).
 * Sized once by the first model; sending allocates nothing.
 */
public interface ArmCommandOut {

    /** Advertises {@code controller/command} with the message {@code controller/type} takes. */
    static ArmCommandOut advertise(Node node, String controller) throws IOException {
        String type = node.params().getString(controller + "/type", "");
        return ControlMode.isTrajectoryController(type) ? new TrajectoryCommandOut(node, controller) : new GroupCommandOut(node, controller);
    }

    /** The command topic's publisher (to wait for the controller to subscribe). */
    Publisher<?> publisher();

    /**
     * Sizes the messages for the model's arm joints (in its action's order), a command to be
     * reached {@code tickSeconds} after it is sent. Throws when the controller cannot take them.
     */
    void configure(String[] joints, double tickSeconds);

    /** Sends one position target per joint, in the model's order; {@code hold}: the arm is to stop there. */
    void send(double[] targets, boolean hold);
}
