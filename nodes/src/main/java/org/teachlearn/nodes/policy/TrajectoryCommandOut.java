package org.teachlearn.nodes.policy;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectory;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectoryPoint;
import org.teachlearn.ros.message.Duration;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Parameters;
import org.teachlearn.ros.node.Publisher;

/**
 * policy_server's arm command for a JointTrajectoryController (ur_robot_driver's, franka_ros's, any
 * ros_control {@code *_controllers/JointTrajectoryController}): streaming, one single-point
 * trajectory_msgs/JointTrajectory per tick, joints named, {@code header.stamp} 0 (start now),
 * {@code time_from_start} one tick, so the controller reaches each target by the next tick from
 * where the last one left it. A hold is the same point at the measured positions with zero
 * velocities, so the controller comes to rest there. Two messages made once, refilled per tick.
 */
final class TrajectoryCommandOut implements ArmCommandOut {

    private final Publisher<JointTrajectory> publisher;
    private final Parameters params;
    private final String controller;
    private final JointTrajectory move = new JointTrajectory(), hold = new JointTrajectory();

    TrajectoryCommandOut(Node node, String controller) throws IOException {
        publisher = node.advertise(controller + "/command", JointTrajectory.TYPE);
        params = node.params();
        this.controller = controller;
    }

    @Override
    public Publisher<?> publisher() {
        return publisher;
    }

    @Override
    public void configure(String[] joints, double tickSeconds) {
        // The controller refuses a goal whose joints are not exactly its own: say so now, not on every tick.
        List<String> listed = params.getStringList(controller + "/joints", List.of());
        if (!listed.isEmpty() && (listed.size() != joints.length || !Set.copyOf(listed).equals(Set.of(joints)))) {
            throw new IllegalArgumentException("the model's arm joints " + List.of(joints) + " are not " + controller + "/joints "
                    + listed + ", which its JointTrajectoryController takes (in any order)");
        }
        Duration tick = Duration.ofNanos(Math.round(tickSeconds * 1e9));
        for (JointTrajectory m : new JointTrajectory[] {move, hold}) {
            m.joint_names = joints.clone();
            JointTrajectoryPoint p = new JointTrajectoryPoint();
            p.positions = new double[joints.length];
            p.time_from_start = tick;
            m.points = new JointTrajectoryPoint[] {p};
        }
        hold.points[0].velocities = new double[joints.length];   // zeros: come to rest at the point
    }

    @Override
    public void send(double[] targets, boolean stop) {
        JointTrajectory m = stop ? hold : move;
        System.arraycopy(targets, 0, m.points[0].positions, 0, targets.length);
        publisher.publish(m);
    }
}
