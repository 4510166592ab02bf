package org.teachlearn.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.online.Batch;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * The trainer's DAgger from a {@code train bc} checkpoint: the checkpoint's own labels are its first
 * data, labels from batches older than {@code --max-policy-lag} are dropped, and at
 * {@code --label-budget} it retrains a last time and writes its summary, as PPO does at its steps.
 */
class OnlineDaggerBudgetTest {

    @TempDir
    Path dir;

    @Test
    void daggerFromACheckpointCountsItsLabelsAndStopsAtTheBudget() throws Exception {
        System.setProperty("teachlearn.home", LearnFixtures.root().toString());
        Path init = dir.resolve("bc");
        TrainCommand.train(List.of("bc", "--demos", "2", "--epochs", "2", "--demo-settle", "0", "--eval-episodes", "1", "--out", init.toString()));
        Options probe = new Options(OnlineTraining.defaults("dagger"));
        PolicyLayout layout = new Setup(probe).layout();
        Dataset first = new Dataset(layout.observationSize(), layout.actions());
        LabelFile.read(init.resolve("labels.bin"), first);
        int n0 = first.size();
        assertTrue(n0 > 50, "train bc wrote its labels beside the checkpoint: " + n0);

        Options o = new Options(OnlineTraining.defaults("dagger"));
        o.set("out", dir.resolve("dagger").toString());
        o.set("init", init.resolve("checkpoint.bin").toString());
        o.set("label-budget", Integer.toString(n0 + 300));
        o.set("labels-per-update", "200");
        o.set("update-epochs", "1");
        o.set("max-policy-lag", "0");
        o.set("eval-episodes", "1");
        List<Long> versions = new CopyOnWriteArrayList<>(), rowed = new CopyOnWriteArrayList<>();
        Path progress = dir.resolve("dagger/progress.csv");
        try (OnlineTraining t = new OnlineTraining(o, null, new OnlineTraining.Outlet() {
            @Override
            public void model(long version, String algorithm, byte[] onnx, String sha256, long dataNanos) {
                versions.add(version);
                // a model goes out once its row and checkpoint are on disk: killed now, the resumed curve has no hole
                try {
                    List<double[]> rows = CsvLog.read(progress);
                    rowed.add(rows.isEmpty() ? -1 : (long) rows.get(rows.size() - 1)[2]);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void stats(OnlineTraining.Stats stats) {
            }

            @Override
            public void failed(Exception e) {
                throw new AssertionError("learning stopped", e);
            }
        }, new PrintStream(PrintStream.nullOutputStream()))) {
            assertEquals(n0, t.counters().get("labels"), "the checkpoint's labels are the first data");
            t.start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            boolean staleSent = false;
            while (!t.finished() && System.nanoTime() < deadline) {
                long v = t.version();
                if (v >= 2 && !staleSent) {
                    long before = t.counters().get("labels");
                    t.offer(batch(layout, v - 1, 100));
                    staleSent = true;
                    Thread.sleep(300);
                    assertEquals(before, t.counters().get("labels"), "a batch a version behind adds no labels at lag 0");
                    assertTrue(t.counters().get("stale_batches") >= 1);
                }
                t.offer(batch(layout, v, 100));
                Thread.sleep(30);
            }
            assertTrue(t.finished(), "finished at the budget; counters " + t.counters());
            assertEquals(n0 + 300, t.counters().get("labels"), "exactly the budget");
            assertEquals(2L, t.counters().get("iteration"), "200 labels, then the last 100");
            assertEquals(List.of(1L, 2L, 3L), versions);
            assertEquals(versions, rowed, "each version's row is in progress.csv when the model goes out");
            assertTrue(Files.readString(dir.resolve("dagger/summary.txt")).contains((n0 + 300) + " expert labels"));
        }
    }

    private static final java.util.concurrent.atomic.AtomicLong SENT = new java.util.concurrent.atomic.AtomicLong();

    /** {@code rows} deterministic transitions of the policy {@code version}, every one labelled by an expert. */
    static Batch batch(PolicyLayout layout, long version, int rows) {
        int od = layout.observationSize(), ad = layout.actionSize();
        float[] obs = new float[rows * od], label = new float[rows * ad], logProb = new float[rows];
        java.util.Random r = new java.util.Random(version * 1_000_003L + SENT.incrementAndGet());   // new transitions each time: a replay is dropped
        for (int i = 0; i < obs.length; i++) obs[i] = (float) r.nextGaussian() * 0.1f;
        java.util.Arrays.fill(logProb, Float.NaN);
        return new Batch("/worker_0/policy_server", "reach", version, od, ad, obs, new float[rows * ad], logProb, new float[rows], obs.clone(),
                new byte[rows], label, new int[rows], new byte[rows]);
    }
}
