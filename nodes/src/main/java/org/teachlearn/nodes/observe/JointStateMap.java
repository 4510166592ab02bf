package org.teachlearn.nodes.observe;

import java.util.Arrays;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.robot.arm.GripperScale;

/**
 * Reads the joints a node cares about out of {@code joint_states}, by name, in the node's own
 * order, whatever order and subset the publisher uses. The name lookup is redone only when the
 * publisher's name list changes, so a steady stream reads without allocating.
 *
 * <p>Every message is judged on its own: a malformed one (arrays shorter than its names, a NaN or
 * infinite value of a wanted joint) is refused and the next good one is read as if it had never
 * come. Only the name lookup is remembered, and it depends on the names alone.
 */
public final class JointStateMap {

    private final String[] wanted;
    private final int[] index;
    private String[] seen = null;
    private String unknownJoint;   // the lookup's verdict on `seen`: a wanted joint it lacks, or null
    private String problem;

    private final GripperScale lastAsOpening;   // null, or the scale that turns the last wanted joint (a gripper) into metres

    public JointStateMap(String... wanted) {
        this(null, wanted);
    }

    /** With {@code lastAsOpening} not null, the last wanted joint is a gripper read as each finger's opening in metres. */
    public JointStateMap(GripperScale lastAsOpening, String... wanted) {
        this.wanted = wanted.clone();
        this.index = new int[wanted.length];
        this.lastAsOpening = lastAsOpening;
    }

    /**
     * Copies positions (and velocities, when {@code velocities} is not null and the message has
     * them; zeros when its velocity array is empty) of the wanted joints. Returns false, leaving
     * {@link #missing()} set and the arrays untouched, when the message cannot be used.
     */
    public boolean read(JointState msg, double[] positions, double[] velocities) {
        problem = null;
        if (!sameNames(msg.name)) remap(msg.name);
        if (unknownJoint != null) return fail("joint '" + unknownJoint + "' is not in joint_states (it has: " + String.join(", ", msg.name) + ")");
        int n = msg.name.length;
        if (msg.position.length != n) return fail("joint_states has " + n + " names but " + msg.position.length + " positions");
        boolean withVelocity = velocities != null && msg.velocity.length != 0;
        if (msg.velocity.length != 0 && msg.velocity.length != n) {
            return fail("joint_states has " + n + " names but " + msg.velocity.length + " velocities (ROS: the same number, or none)");
        }
        if (msg.effort.length != 0 && msg.effort.length != n) {
            return fail("joint_states has " + n + " names but " + msg.effort.length + " efforts (ROS: the same number, or none)");
        }
        for (int i = 0; i < wanted.length; i++) {
            int k = index[i];
            if (!Double.isFinite(msg.position[k]) || (withVelocity && !Double.isFinite(msg.velocity[k]))) {
                return fail("joint_states gives joint '" + wanted[i] + "' position " + msg.position[k]
                        + (withVelocity ? ", velocity " + msg.velocity[k] : ""));
            }
        }
        for (int i = 0; i < wanted.length; i++) {
            int k = index[i];
            positions[i] = msg.position[k];
            if (velocities != null) velocities[i] = withVelocity ? msg.velocity[k] : 0;
        }
        if (lastAsOpening != null) positions[wanted.length - 1] = lastAsOpening.toWidth(positions[wanted.length - 1]);
        return true;
    }

    /** Why the last {@link #read} refused its message, or null when it read it. */
    public String missing() {
        return problem;
    }

    private boolean fail(String why) {
        problem = why;
        return false;
    }

    private boolean sameNames(String[] names) {
        if (seen == null) return false;
        if (names == seen) return true;
        if (names.length != seen.length) return false;
        for (int i = 0; i < names.length; i++) if (names[i] != seen[i] && !names[i].equals(seen[i])) return false;
        return true;
    }

    private void remap(String[] names) {
        seen = names.clone();
        unknownJoint = null;
        for (int i = 0; i < wanted.length; i++) {
            index[i] = Arrays.asList(names).indexOf(wanted[i]);
            if (index[i] < 0) {
                unknownJoint = wanted[i];
                return;
            }
        }
    }
}
