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
        return topic + " (trajectory_msgs/JointTrajectory) " + problem + ": refused, the arm holds (joint_names must be the controller's "
                + Arrays.toString(controllerJoints) + ", in any order)";
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
        boolean exact = names.length == chainJoints.length;
        for (int c = 0; c < chainJoints.length && exact; c++) {
            fieldOf[c] = indexOf(names, chainJoints[c]);
            exact = fieldOf[c] >= 0;
        }
        if (!exact) return mismatch(names);
        matchedNames = names.clone();   // each chain joint found once among as many names: the same set
        return null;
    }

    /** What is wrong with joint names that are not the controller's (a refusal; may allocate). */
    private String mismatch(String[] names) {
        java.util.List<String> listed = Arrays.asList(names), chain = Arrays.asList(chainJoints);
        java.util.List<String> problems = new java.util.ArrayList<>();
        for (String c : chainJoints) if (!listed.contains(c)) problems.add("lacks " + c);
        for (String n : new java.util.LinkedHashSet<>(listed)) {
            if (!chain.contains(n)) problems.add("names unknown joint '" + n + "'");
            else if (listed.indexOf(n) != listed.lastIndexOf(n)) problems.add("names " + n + " twice");
        }
        return String.join(", ", problems) + " (joint_names " + listed + ")";
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) if (name.equals(names[i])) return i;
        return -1;
    }

    private static boolean finite(double[] v) {
        for (double x : v) if (!Double.isFinite(x)) return false;
        return true;
    }
}
