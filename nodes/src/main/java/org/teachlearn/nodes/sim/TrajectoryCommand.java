package org.teachlearn.nodes.sim;

import java.util.Arrays;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectory;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectoryPoint;
import org.teachlearn.robot.control.TrajectoryFollower;

/**
 * sim_arm's reading of a trajectory_msgs/JointTrajectory sent to a JointTrajectoryController:
 * joints matched by name, in any order, against the controller's; every point checked. A message
 * that passes is the {@link TrajectoryFollower.Goal} it carries, in chain order, until the next one
 * is read. The name matching is kept while a client sends the same names (the message decoder
 * hands back the same strings), so a stream of goals allocates nothing here. Called on the
 * subscription's thread, one message at a time.
 */
final class TrajectoryCommand implements TrajectoryFollower.Goal {

    private final String topic;
    private final String[] controllerJoints;   // ARM/joints, for messages
    private final String[] chainJoints;
    private final int[] fieldOf;               // for each chain joint, its index in the message's joint_names
    private static final String[] NONE = {};
    private String[] matchedNames = NONE;   // the strings fieldOf was worked out for (compared by identity)
    private JointTrajectory msg;

    TrajectoryCommand(String topic, String[] controllerJoints, String[] chainJoints) {
        this.topic = topic;
        this.controllerJoints = controllerJoints.clone();
        this.chainJoints = chainJoints.clone();
        fieldOf = new int[chainJoints.length];
    }

    /**
     * Checks {@code m}: its joint names must be exactly the controller's, each point one finite
     * position per joint and, if it has velocities, one finite velocity per joint. Returns null when
     * the message can be used (it is then this goal), else what is wrong with it.
     */
    String read(JointTrajectory m) {
        msg = null;
        String problem = match(m.joint_names);
        if (problem != null) return problem;
        int dof = fieldOf.length;
        for (int k = 0; k < m.points.length; k++) {
            JointTrajectoryPoint p = m.points[k];
            if (p.positions.length != dof) {
                return "point " + k + " has " + p.positions.length + " positions for the " + dof + " joints";
            }
            if (p.velocities.length != 0 && p.velocities.length != dof) {
                return "point " + k + " has " + p.velocities.length + " velocities for the " + dof + " joints (give none, or one per joint)";
            }
            if (!finite(p.positions) || !finite(p.velocities)) {
                return "point " + k + " is not finite (positions " + Arrays.toString(p.positions) + ", velocities "
                        + Arrays.toString(p.velocities) + ")";
            }
        }
        msg = m;
        return null;
    }

    /** What a refusal says: the topic, the problem and the joints expected. */
    String refusal(String problem) {
        return topic + " (trajectory_msgs/JointTrajectory) " + problem + "; its joint_names must be exactly "
                + Arrays.toString(controllerJoints) + " in any order: refused, the arm holds";
    }

    @Override
    public int points() {
        return msg.points.length;
    }

    @Override
    public long timeFromStart(int k) {
        return msg.points[k].time_from_start.toNanos();
    }

    @Override
    public double position(int k, int joint) {
        return msg.points[k].positions[fieldOf[joint]];
    }

    private String match(String[] names) {
        if (names.length == matchedNames.length) {
            boolean same = true;
            for (int i = 0; i < names.length && same; i++) same = names[i] == matchedNames[i];
            if (same) return null;
        }
        matchedNames = NONE;   // fieldOf is about to change
        if (names.length != chainJoints.length) {
            return "names " + names.length + " joints " + Arrays.toString(names) + ", not " + chainJoints.length;
        }
        for (int c = 0; c < chainJoints.length; c++) {
            int found = -1;
            for (int i = 0; i < names.length; i++) {
                if (!chainJoints[c].equals(names[i])) continue;
                if (found >= 0) return "names " + names[i] + " twice in " + Arrays.toString(names);
                found = i;
            }
            if (found < 0) return "lacks joint " + chainJoints[c] + " (joint_names " + Arrays.toString(names) + ")";
            fieldOf[c] = found;
        }
        matchedNames = names.clone();
        return null;
    }

    private static boolean finite(double[] v) {
        for (double x : v) if (!Double.isFinite(x)) return false;
        return true;
    }
}
