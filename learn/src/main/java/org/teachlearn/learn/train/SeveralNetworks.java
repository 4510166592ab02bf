package org.teachlearn.learn.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.algo.BehaviourCloning;
import org.teachlearn.learn.data.Dataset;

/**
 * {@code train bc --models N}: the N networks trained on the same samples, up to {@code --threads}
 * at once. Each network draws its minibatches from its own seed and reads the samples only, so the
 * networks come out the same however many train together. A network at work holds its own
 * normalised copy of the observations (samples × inputs × 8 bytes): the heap sets how many fit.
 */
final class SeveralNetworks {

    /** One network's trainer and the seed stream its minibatches come from. */
    record Network(BehaviourCloning bc, Rng rng) {
    }

    private SeveralNetworks() {
    }

    /** {@code --threads}: {@code auto} (one per processor) or a count ≥ 1. */
    static int threads(Options o) {
        String t = o.has("threads") ? o.get("threads") : "auto";
        if (t.equals("auto")) return Runtime.getRuntime().availableProcessors();
        int n;
        try {
            n = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) throw new IllegalArgumentException("--threads is auto or a count ≥ 1, got '" + t + "'");
        return n;
    }

    /**
     * Trains every network for {@code epochs} epochs; the progress rows (network m's epoch e as
     * iteration m·epochs + e) are written in that order once all are done. Returns the last
     * network's last loss. A network that fails fails the run.
     */
    static double train(List<Network> networks, Dataset data, int epochs, int threads, CsvLog csv, PrintStream log, Options o) throws Exception {
        int n = networks.size(), at = Math.min(threads, n);
        double[][] losses = new double[n][epochs + 1];
        for (double[] l : losses) Arrays.fill(l, Double.NaN);
        int[] reached = new int[n];
        ProgressBar bar = new ProgressBar(log, "bc", (long) n * epochs);
        long mb = (long) data.size() * data.obsDim() * 8 >> 20;
        log.printf(Locale.ROOT, "%d networks, %d at once (--threads; each at work holds %d MB of normalised samples)%n", n, at, mb);
        ExecutorService pool = Executors.newFixedThreadPool(at, work -> {
            Thread t = new Thread(work, "bc-network");
            t.setDaemon(true);   // a failed run ends without waiting for the others
            return t;
        });
        try {
            List<Future<Double>> runs = new ArrayList<>();
            for (int m = 0; m < n; m++) {
                int which = m;
                Network net = networks.get(m);
                runs.add(pool.submit(() -> ImitationTraining.trainInSlices(net.bc(), data, epochs, net.rng(), o, (done, loss) -> {
                    synchronized (bar) {
                        losses[which][done] = loss;
                        reached[which] = done;
                        bar.update(Arrays.stream(reached).sum(), String.format(Locale.ROOT, "network %d loss %.4g", which + 1, loss));
                    }
                })));
            }
            double last = Double.NaN;
            for (Future<Double> run : runs) last = finished(run);
            for (int m = 0; m < n; m++) {
                for (int e = 1; e <= epochs; e++) {
                    if (!Double.isNaN(losses[m][e])) csv.row(m * epochs + e, data.size(), losses[m][e], Double.NaN, Double.NaN);
                }
            }
            return last;
        } finally {
            pool.shutdownNow();
        }
    }

    private static double finished(Future<Double> run) throws Exception {
        try {
            return run.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        }
    }
}
