package org.teachlearn.learn.policy;

/**
 * How a policy's gripper output becomes the gripper's command. A person teaching by hand (or the
 * scripted expert) commands the gripper with a button: fully open or fully closed, nothing between.
 * A policy cloned from such demonstrations by mean squared error outputs the expected command
 * where the demonstrations disagree (around the moment of the press), an opening between the two
 * that neither holds the cube nor lets it go. {@link #BINARY} sends the nearer of the two ends of
 * the gripper's action range instead: the decision the regression's output stands for
 * (open when it is past half way), taken after chunks are ensembled, as the last step before the
 * clamp. The model's metadata says which ({@code gripper_command}); policy_server and the
 * trainer's evaluation apply it the same way.
 */
public enum GripperCommand {
    /** The policy's output as it is (clamped to the gripper's range). */
    CONTINUOUS("continuous"),
    /** Fully closed or fully open: the end of the gripper's range nearer the policy's output. */
    BINARY("binary");

    private final String word;

    GripperCommand(String word) {
        this.word = word;
    }

    /** From the model's metadata: absent or empty is {@link #CONTINUOUS} (models from before the key, or from elsewhere). */
    public static GripperCommand ofMetadata(String value) {
        if (value == null || value.isEmpty()) return CONTINUOUS;
        for (GripperCommand g : values()) if (g.word.equals(value)) return g;
        throw new IllegalArgumentException("gripper_command must be continuous or binary, got '" + value + "'");
    }

    /** The command for the gripper output {@code c} in the range {@code closed} .. {@code open}. */
    public double apply(double c, double closed, double open) {
        if (this == CONTINUOUS || !Double.isFinite(c)) return c;   // a NaN stays NaN: the finite check refuses it
        return c >= 0.5 * (closed + open) ? open : closed;
    }

    /** As the model's metadata spells it. */
    @Override
    public String toString() {
        return word;
    }
}
