package org.teachlearn.learn.policy;

/**
 * From the policy's output u (the Gaussian's sample or mean) to a command in the controller's
 * units, per action dimension j: command_j = clip(obs[source_j] + offset_j + scale_j · u_j, low_j,
 * high_j), where source_j = −1 means no observed term. Position targets relative to the current
 * position (source = that joint's position in the observation) keep u near unit scale and make a
 * zero output mean "hold"; the exported graph computes the same thing.
 */
public record ActionMap(String[] names, int[] source, double[] offset, double[] scale, double[] low, double[] high) {

    public ActionMap {
        int n = names.length;
        if (source.length != n || offset.length != n || scale.length != n || low.length != n || high.length != n) {
            throw new IllegalArgumentException("action map arrays must all have " + n + " entries");
        }
        for (int j = 0; j < n; j++) {
            if (!(scale[j] > 0)) throw new IllegalArgumentException("action '" + names[j] + "' has scale " + scale[j] + "; it must be > 0");
            if (!(low[j] <= high[j])) throw new IllegalArgumentException("action '" + names[j] + "' has low " + low[j] + " > high " + high[j]);
        }
    }

    public int size() {
        return names.length;
    }

    /** The command for output {@code u} (row {@code row} of {@code us}) in observation {@code obs} (row {@code row}). */
    public void command(double[] obs, int obsDim, double[] us, int row, double[] out, int outOffset) {
        commandFrom(obs, row * obsDim, us, row * names.length, out, outOffset);
    }

    /**
     * As {@link #command} for an output u at {@code uOffset} and an observation at {@code obsOffset}
     * (one of a chunk's K outputs, each relative to the observation the chunk was predicted in).
     */
    public void commandFrom(double[] obs, int obsOffset, double[] u, int uOffset, double[] out, int outOffset) {
        for (int j = 0; j < names.length; j++) {
            double c = (source[j] >= 0 ? obs[obsOffset + source[j]] : 0) + offset[j] + scale[j] * u[uOffset + j];
            out[outOffset + j] = Math.max(low[j], Math.min(high[j], c));
        }
    }

    /** The output u that gives {@code command} in {@code obs} (what behaviour cloning regresses on). */
    public void inverse(double[] obs, int obsOffset, double[] command, int cmdOffset, double[] u, int uOffset) {
        for (int j = 0; j < names.length; j++) {
            double c = Math.max(low[j], Math.min(high[j], command[cmdOffset + j]));
            u[uOffset + j] = (c - (source[j] >= 0 ? obs[obsOffset + source[j]] : 0) - offset[j]) / scale[j];
        }
    }
}
