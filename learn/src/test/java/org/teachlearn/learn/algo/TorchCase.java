package org.teachlearn.learn.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Parameter;

/**
 * The parity tests' exchange with their PyTorch scripts: a case written as "name v1 v2 ..." lines,
 * the script's answers read back the same way, and the comparison within {@link #TOLERANCE}
 * (relative where values exceed 1).
 */
final class TorchCase {

    static final double TOLERANCE = 1e-6;

    private final StringBuilder text = new StringBuilder();

    private TorchCase() {
    }

    static TorchCase create() {
        return new TorchCase();
    }

    TorchCase line(String name, double... values) {
        text.append(name);
        for (double v : values) text.append(' ').append(v);
        text.append('\n');
        return this;
    }

    void write(Path file) throws IOException {
        Files.writeString(file, text);
    }

    static Map<String, double[]> read(Path p) throws IOException {
        Map<String, double[]> m = new HashMap<>();
        for (String l : Files.readAllLines(p)) {
            String[] parts = l.trim().split("\\s+");
            if (parts.length == 0 || parts[0].isEmpty()) continue;
            double[] v = new double[parts.length - 1];
            for (int i = 1; i < parts.length; i++) v[i - 1] = Double.parseDouble(parts[i]);
            m.put(parts[0], v);
        }
        return m;
    }

    static void close(String what, double[] expected, double[] actual) {
        if (expected == null) fail("PyTorch wrote no " + what);
        assertEquals(expected.length, actual.length, what + ": lengths");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= TOLERANCE * Math.max(1, Math.abs(expected[i])))) {
                fail(what + " [" + i + "]: PyTorch " + expected[i] + ", ours " + actual[i]);
            }
        }
    }

    /** Values (or gradients) of {@code params}, one after another in their Java layout. */
    static double[] flat(List<Parameter> params, boolean grads) {
        int n = 0;
        for (Parameter p : params) n += p.size();
        double[] out = new double[n];
        int k = 0;
        for (Parameter p : params) {
            System.arraycopy((grads ? p.grad() : p.value()).data, 0, out, k, p.size());
            k += p.size();
        }
        return out;
    }

    static double[] gaussian(Rng rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextGaussian();
        return a;
    }

    static double[] toDoubles(int[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
