package org.teachlearn.learn.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.algo.OffPolicyAlgorithm.ParameterGroup;
import org.teachlearn.learn.data.ReplayBuffer;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.RunningNorm;

/**
 * An off-policy run's checkpoint (and a mixture policy's, {@link MixtureCloning}): {@link Checkpoint}'s header (settings and counters, so
 * {@code eval} and {@code --resume} read it the same way), then each optimiser's parameters with
 * their Adam moments, the parameters no optimiser steps (target networks), the normaliser, the
 * random state and the whole replay buffer — without the buffer a resumed run would learn from
 * different data than the run that was killed.
 */
final class OffPolicyCheckpoint {

    private OffPolicyCheckpoint() {
    }

    static void save(Path file, Map<String, String> run, List<ParameterGroup> groups, RunningNorm norm, Rng rng, ReplayBuffer buffer) throws IOException {
        Checkpoint.writeAtomically(file, out -> {
            Checkpoint.writeSettings(out, run);
            out.writeInt(groups.size());
            for (ParameterGroup g : groups) {
                out.writeUTF(g.name());
                out.writeInt(g.parameters().size());
                for (int k = 0; k < g.parameters().size(); k++) {
                    Parameter p = g.parameters().get(k);
                    Checkpoint.doubles(out, p.value().data, p.size());
                    if (g.optimiser() != null) {
                        Checkpoint.doubles(out, g.optimiser().firstMoments()[k], p.size());
                        Checkpoint.doubles(out, g.optimiser().secondMoments()[k], p.size());
                    }
                }
                if (g.optimiser() != null) {
                    out.writeLong(g.optimiser().steps());
                    out.writeDouble(g.optimiser().learningRate());
                }
            }
            Checkpoint.doubles(out, norm.mean(), norm.size());
            Checkpoint.doubles(out, norm.variance(), norm.size());
            out.writeDouble(norm.count());
            for (long s : rng.state()) out.writeLong(s);
            out.writeBoolean(buffer != null);
            if (buffer != null) buffer.write(out);
        });
    }

    /** Restores into objects built from the checkpoint's settings; {@code rng} and {@code buffer} may be null (evaluation). */
    static void restore(Path file, List<ParameterGroup> groups, RunningNorm norm, Rng rng, ReplayBuffer buffer) throws IOException {
        try (DataInputStream in = Checkpoint.open(file)) {
            Checkpoint.readSettings(in, file);
            int n = in.readInt();
            if (n != groups.size()) throw new IOException(file + " holds " + n + " parameter groups; this learner has " + groups.size());
            for (ParameterGroup g : groups) {
                String name = in.readUTF();
                if (!name.equals(g.name())) throw new IOException(file + " holds group '" + name + "' where this learner has '" + g.name() + "'");
                int count = in.readInt();
                if (count != g.parameters().size()) {
                    throw new IOException(file + ": group " + name + " has " + count + " parameters, expected " + g.parameters().size());
                }
                for (int k = 0; k < count; k++) {
                    Parameter p = g.parameters().get(k);
                    Checkpoint.readDoubles(in, p.value().data, p.size(), file, name + " " + p.name());
                    if (g.optimiser() != null) {
                        Checkpoint.readDoubles(in, g.optimiser().firstMoments()[k], p.size(), file, name + " " + p.name());
                        Checkpoint.readDoubles(in, g.optimiser().secondMoments()[k], p.size(), file, name + " " + p.name());
                    }
                }
                if (g.optimiser() != null) g.optimiser().restore(in.readLong(), in.readDouble());
            }
            int od = norm.size();
            double[] mean = new double[od], var = new double[od];
            Checkpoint.readDoubles(in, mean, od, file, "normaliser mean");
            Checkpoint.readDoubles(in, var, od, file, "normaliser variance");
            norm.restore(mean, var, in.readDouble());
            long[] state = new long[6];
            for (int i = 0; i < state.length; i++) state[i] = in.readLong();
            if (rng != null) rng.restore(state);
            if (in.readBoolean() && buffer != null) buffer.read(in);
        }
    }
}
