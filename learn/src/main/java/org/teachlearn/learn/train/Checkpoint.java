package org.teachlearn.learn.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * Everything a training run needs to go on after {@code kill -9}: the run's settings and
 * counters, the weights, the optimiser's moments and step count, the normaliser, and the random
 * state. Written to a temporary file, synced, then renamed over the last one, so a crash at any
 * moment leaves either the old checkpoint or the new one, never half of one.
 */
public final class Checkpoint {

    private static final int MAGIC = 0x544C434B; // "TLCK"
    private static final int FORMAT = 1;

    private Checkpoint() {
    }

    /** Settings and counters of the run, as text (what {@code train} was started with, plus progress). */
    public static void save(Path file, Map<String, String> run, GaussianPolicy policy, Adam adam, Rng rng) throws IOException {
        save(file, run, policy, adam, rng, null, null);
    }

    /**
     * As above, with a second network the run learns beside the policy (GAIL's discriminator) and
     * its optimiser after everything else; readers that do not ask for it stop before it.
     */
    public static void save(Path file, Map<String, String> run, GaussianPolicy policy, Adam adam, Rng rng, List<Parameter> extra, Adam extraAdam)
            throws IOException {
        writeAtomically(file, out -> {
            writeSettings(out, run);
            List<Parameter> params = policy.parameters();
            out.writeInt(params.size());
            for (int k = 0; k < params.size(); k++) {
                Parameter p = params.get(k);
                out.writeUTF(p.name());
                doubles(out, p.value().data, p.size());
                doubles(out, adam.firstMoments()[k], p.size());
                doubles(out, adam.secondMoments()[k], p.size());
            }
            out.writeLong(adam.steps());
            out.writeDouble(adam.learningRate());
            doubles(out, policy.norm().mean(), policy.norm().size());
            doubles(out, policy.norm().variance(), policy.norm().size());
            out.writeDouble(policy.norm().count());
            for (long s : rng.state()) out.writeLong(s);
            if (extra != null) {
                out.writeInt(extra.size());
                for (int k = 0; k < extra.size(); k++) {
                    Parameter p = extra.get(k);
                    doubles(out, p.value().data, p.size());
                    doubles(out, extraAdam.firstMoments()[k], p.size());
                    doubles(out, extraAdam.secondMoments()[k], p.size());
                }
                out.writeLong(extraAdam.steps());
                out.writeDouble(extraAdam.learningRate());
            }
        });
    }

    /** The header every checkpoint starts with: magic, format, the run's settings and counters. */
    static void writeSettings(DataOutputStream out, Map<String, String> run) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(run.size());
        for (Map.Entry<String, String> e : run.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    /** What a checkpoint holds, written to a stream. */
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /**
     * Streams {@code body} to a temporary file, syncs it, then renames it over {@code file}.
     * Streamed, not built in memory first: an off-policy checkpoint holds the replay buffer, and a
     * second copy of it in the heap ran a 100 k-transition pick-and-place run out of memory.
     */
    static void writeAtomically(Path file, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".part");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16));
            body.write(out);
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The run settings and counters stored in {@code file}. */
    public static Map<String, String> settings(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            return readSettings(in, file);
        }
    }

    /** Restores weights, optimiser, normaliser and random state into objects built from {@link #settings}. */
    public static void restore(Path file, GaussianPolicy policy, Adam adam, Rng rng) throws IOException {
        restore(file, policy, adam, rng, null, null);
    }

    /** As above, and the second network {@link #save} kept ({@code extra} null: not read). */
    public static void restore(Path file, GaussianPolicy policy, Adam adam, Rng rng, List<Parameter> extra, Adam extraAdam) throws IOException {
        try (DataInputStream in = open(file)) {
            Map<String, String> run = readSettings(in, file);
            // a policy that never saw the joint velocities must not start seeing them through untrained weights
            if ("ignore".equals(run.get("velocities"))) Setup.ignoreVelocities(policy);
            List<Parameter> params = policy.parameters();
            int n = in.readInt();
            if (n != params.size()) throw new IOException(file + " holds " + n + " parameters; the policy has " + params.size());
            for (int k = 0; k < n; k++) {
                Parameter p = params.get(k);
                String name = in.readUTF();
                readDoubles(in, p.value().data, p.size(), file, name);
                readDoubles(in, adam != null ? adam.firstMoments()[k] : new double[p.size()], p.size(), file, name);
                readDoubles(in, adam != null ? adam.secondMoments()[k] : new double[p.size()], p.size(), file, name);
            }
            long steps = in.readLong();
            double lr = in.readDouble();
            if (adam != null) adam.restore(steps, lr);
            int od = policy.norm().size();
            double[] mean = new double[od], var = new double[od];
            readDoubles(in, mean, od, file, "normaliser mean");
            readDoubles(in, var, od, file, "normaliser variance");
            policy.norm().restore(mean, var, in.readDouble());
            long[] state = new long[6];
            for (int i = 0; i < state.length; i++) state[i] = in.readLong();
            if (rng != null) rng.restore(state);
            if (extra != null) {
                int m = in.readInt();
                if (m != extra.size()) throw new IOException(file + " holds " + m + " parameters of the second network; it has " + extra.size());
                for (int k = 0; k < m; k++) {
                    Parameter p = extra.get(k);
                    readDoubles(in, p.value().data, p.size(), file, "second network " + p.name());
                    readDoubles(in, extraAdam.firstMoments()[k], p.size(), file, p.name());
                    readDoubles(in, extraAdam.secondMoments()[k], p.size(), file, p.name());
                }
                long extraSteps = in.readLong();
                extraAdam.restore(extraSteps, in.readDouble());
            }
        }
    }

    static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw));
        if (in.readInt() != MAGIC) {
            in.close();
            throw new IOException(file + " is not a teach_learn checkpoint");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            in.close();
            throw new IOException(file + " is checkpoint format " + format + "; this build reads format " + FORMAT);
        }
        return in;
    }

    static Map<String, String> readSettings(DataInputStream in, Path file) throws IOException {
        int n = in.readInt();
        Map<String, String> run = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) run.put(in.readUTF(), in.readUTF());
        return run;
    }

    static void doubles(DataOutputStream out, double[] a, int n) throws IOException {
        out.writeInt(n);
        for (int i = 0; i < n; i++) out.writeDouble(a[i]);
    }

    static void readDoubles(DataInputStream in, double[] into, int n, Path file, String what) throws IOException {
        int stored = in.readInt();
        if (stored != n) throw new IOException(file + ": " + what + " has " + stored + " values, expected " + n);
        for (int i = 0; i < n; i++) into[i] = in.readDouble();
    }
}
