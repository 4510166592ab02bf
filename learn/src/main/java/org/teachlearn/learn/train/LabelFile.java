package org.teachlearn.learn.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.teachlearn.learn.data.Dataset;

/**
 * An aggregated imitation dataset on disk, so a DAgger trainer killed and restarted learns on
 * from every label it had: the observations and target outputs, written whole to a temporary file
 * and moved over the old one, as a checkpoint is.
 */
final class LabelFile {

    private static final int MAGIC = 0x544C4C42;   // "TLLB"

    private LabelFile() {
    }

    static void write(Path file, Dataset data) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        int n = data.size(), od = data.obsDim(), ad = data.actDim();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(n);
            out.writeInt(od);
            out.writeInt(ad);
            double[] obs = data.observations(), targets = data.targets();
            for (int i = 0; i < n * od; i++) out.writeDouble(obs[i]);
            for (int i = 0; i < n * ad; i++) out.writeDouble(targets[i]);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Adds the file's labels to {@code data}; a missing file adds none. */
    static void read(Path file, Dataset data) throws IOException {
        if (!Files.exists(file)) return;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) throw new IOException(file + " is not a teach_learn label file");
            int n = in.readInt(), od = in.readInt(), ad = in.readInt();
            if (od != data.obsDim() || ad != data.actDim()) {
                throw new IOException(file + " holds labels of " + od + " observations and " + ad + " actions; the policy has " + data.obsDim()
                        + " and " + data.actDim());
            }
            double[] obs = new double[n * od], targets = new double[n * ad];
            for (int i = 0; i < n * od; i++) obs[i] = in.readDouble();
            for (int i = 0; i < n * ad; i++) targets[i] = in.readDouble();
            for (int r = 0; r < n; r++) data.addTarget(obs, r * od, targets, r * ad);
        }
    }
}
