package org.teachlearn.nodes.observe;

import java.util.Arrays;
import org.teachlearn.msgs.sensor_msgs.JointState;

/**
 * Reads the joints a node cares about out of {@code joint_states}, by name, in the node's own
 * order, whatever order and subset the publisher uses. The name lookup is redone only when the
 * publisher's name list changes, so a steady stream reads without allocating.
 */
public final class JointStateMap {

    private final String[] wanted;
    private final int[] index;
    private String[] seen = new String[0];
    private String missing;

    public JointStateMap(String... wanted) {
        this.wanted = wanted.clone();
        this.index = new int[wanted.length];
    }

    /**
     * Copies positions (and velocities, when {@code velocities} is not null and the message has
     * them; zeros otherwise) of the wanted joints. Returns false, leaving {@link #missing()} set,
     * when a wanted joint is not in the message.
     */
    public boolean read(JointState msg, double[] positions, double[] velocities) {
        if (!sameNames(msg.name)) remap(msg.name);
        if (missing != null) return false;
        for (int i = 0; i < wanted.length; i++) {
            int k = index[i];
            if (k >= msg.position.length) {
                missing = "joint_states has " + msg.name.length + " names but " + msg.position.length + " positions";
                return false;
            }
            positions[i] = msg.position[k];
            if (velocities != null) velocities[i] = k < msg.velocity.length ? msg.velocity[k] : 0;
        }
        return true;
    }

    /** What the last failed {@link #read} lacked, or null. */
    public String missing() {
        return missing;
    }

    private boolean sameNames(String[] names) {
        if (names == seen) return true;
        if (names.length != seen.length) return false;
        for (int i = 0; i < names.length; i++) if (names[i] != seen[i] && !names[i].equals(seen[i])) return false;
        return true;
    }

    private void remap(String[] names) {
        seen = names.clone();
        missing = null;
        for (int i = 0; i < wanted.length; i++) {
            index[i] = Arrays.asList(names).indexOf(wanted[i]);
            if (index[i] < 0) {
                missing = "joint '" + wanted[i] + "' is not in joint_states (it has: " + String.join(", ", names) + ")";
                return;
            }
        }
    }
}
