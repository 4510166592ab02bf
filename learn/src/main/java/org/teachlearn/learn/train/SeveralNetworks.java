package org.teachlearn.learn.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.algo.BehaviourCloning;
import org.teachlearn.learn.data.Dataset;

/**
 * {@code train bc --models N}: the N networks, each trained on its own draw of the samples (the
 * same demonstrations, their perturbed and turned copies drawn from the network's seed), up to
 * {@code --threads} at once. Each network's draws and minibatches come from its own seed, so the
 * networks come out the same however many train together. A network at work holds its samples
 * and a normalised copy of their observations: the heap sets how many fit.
 */
final class SeveralNetworks {

    /** One network's trainer, the seed stream its minibatches come from, and how its samples are made. */
    record Network(BehaviourCloning bc, Rng rng, Callable<Dataset> samples) {
    }

    /** Samples are made one network at a time: making them reads the arm's model, which is not shared across threads. */
    private static final Object MAKING = new Object();

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
     * Makes each network's samples and trains it for {@code epochs} epochs; the progress rows
     * (network m's epoch e as iteration m·epochs + e) are written in that order once all are done.
     * Returns the last network's last loss. A network that fails fails the run.
     */
    static double train(List<Network> networks, int epochs, int threads, long bytesEach, CsvLog csv, PrintStream log, Options o) throws Exception {
        int n = networks.size(), at = Math.min(threads, n);
        Runtime jvm = Runtime.getRuntime();
        long free = jvm.maxMemory() - (jvm.totalMemory() - jvm.freeMemory());
        int fit = (int) Math.max(1, Math.min(Integer.MAX_VALUE, free * 8 / 10 / Math.max(1, bytesEach)));
        if (fit < at) {   // more at once would end in OutOfMemoryError part way through
            log.printf(Locale.ROOT, "the heap holds %d network%s at work at once (%d MB each, %d MB free): raise TEACH_LEARN_HEAP for more%n", fit,
                    fit == 1 ? "" : "s", bytesEach >> 20, free >> 20);
            at = fit;
        }
        double[][] losses = new double[n][epochs + 1];
        for (double[] l : losses) Arrays.fill(l, Double.NaN);
        int[] reached = new int[n], sizes = new int[n];
        ProgressBar bar = new ProgressBar(log, "bc", (long) n * epochs);
        log.printf(Locale.ROOT, "%d networks, %d at once (--threads), each on its own draw of the perturbed and turned copies%n", n, at);
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
                runs.add(pool.submit(() -> {
                    Dataset data;
                    synchronized (MAKING) {
                        data = net.samples().call();
                    }
                    sizes[which] = data.size();
                    return ImitationTraining.trainInSlices(net.bc(), data, epochs, net.rng(), o, (done, loss) -> {
                        synchronized (bar) {
                            losses[which][done] = loss;
                            reached[which] = done;
                            bar.update(Arrays.stream(reached).sum(), String.format(Locale.ROOT, "network %d loss %.4g", which + 1, loss));
                        }
                    });
                }));
            }
            double last = Double.NaN;
            for (Future<Double> run : runs) last = finished(run);
            for (int m = 0; m < n; m++) {
                for (int e = 1; e <= epochs; e++) {
                    if (!Double.isNaN(losses[m][e])) csv.row(m * epochs + e, sizes[m], losses[m][e], Double.NaN, Double.NaN);
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
