package org.teachlearn.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.env.ArmEnv;
import org.teachlearn.learn.online.Batch;

/**
 * The trainer's SAC ({@code ~algorithm:=sac}) fed as a worker feeds it: every transition of any
 * model version goes into the replay buffer (none is stale), a model goes out every
 * {@code --log-every} transitions, a trainer closed mid-run resumes with its replay buffer and ends
 * at {@code --steps} with its summary; the scripted expert's demonstrations, a cloning term without
 * demonstrations and a non-off-policy {@code ~init} are refused (recorded demonstrations,
 * {@code ~demo_dir}: ExpertBagsOverRosTest in nodes).
 */
class OnlineOffPolicyTest {

    @TempDir
    Path dir;

    private static final int STEPS = 1200, EVERY = 200, ROWS = 50;

    @Test
    void everyVersionsExperienceIsLearnedFromAndAResumedRunKeepsItsReplayBuffer() throws Exception {
        System.setProperty("teachlearn.home", LearnFixtures.root().toString());
        Options o = options();
        Options contract = options();
        contract.set("hand-feature", "off");
        Worker worker = new Worker(new Setup(contract).env(true));   // a worker sends the contract's observation
        List<Long> versions = new CopyOnWriteArrayList<>();
        List<byte[]> models = new CopyOnWriteArrayList<>();
        long resumedAt;
        try (OnlineTraining t = new OnlineTraining(o, null, outlet(versions, models), quiet())) {
            t.start();
            // every batch says it was made under version 1, however many versions later it comes: off-policy, none is stale
            long offered = 0;
            while (t.version() < 4) {
                assertEquals(null, t.offer(worker.batch(1)));
                waitUntilTaken(t, offered += ROWS);
            }
            resumedAt = t.counters().get("env_steps");
            assertEquals(0L, t.counters().get("stale_batches"), "an off-policy learner uses any version's experience");
            assertTrue(t.counters().get("replay_rows") >= 3 * EVERY, "the replay buffer holds what came: " + t.counters());
            // one step per row from --learning-starts (100) on, the batch's rows past it included
            assertEquals(t.counters().get("replay_rows") - 99, t.counters().get("gradient_steps"), "a gradient step per stored row: " + t.counters());
        }
        assertEquals(List.of(1L, 2L, 3L, 4L), versions.subList(0, 4), "a model at the start, then one every " + EVERY + " transitions");
        String model = new String(models.get(3), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(model.contains("hand_minus_goal/x") && model.contains("tanh"),
                "sac on reach observes the hand feature, computed by the trainer and by the model from the contract's observation");

        Options again = options();
        try (OnlineTraining t = new OnlineTraining(again, null, outlet(versions), quiet())) {
            assertEquals(3L * EVERY, t.counters().get("replay_rows"), "the checkpoint of version 4 (600 transitions) holds its replay buffer");
            assertEquals(3L * EVERY, t.counters().get("env_steps"));
            assertTrue(resumedAt >= 3L * EVERY);
            t.start();
            long deadline = System.nanoTime() + 120_000_000_000L;
            long offered = t.counters().get("env_steps");
            // experience faster than the learner steps: the steps owed pile up, and are all taken before the final model
            while (!t.finished() && System.nanoTime() < deadline) {
                if (t.counters().get("env_steps") < STEPS) t.offer(worker.batch(t.version()));
                waitUntilStored(t, offered += ROWS);
            }
            assertTrue(t.finished(), "ends at --steps: " + t.counters());
            assertEquals((long) STEPS / EVERY, t.counters().get("iteration"));
            assertEquals(0L, t.counters().get("owed_gradient_steps"));
            assertEquals(STEPS - 99L, t.counters().get("gradient_steps"), "every row from --learning-starts on got its step: " + t.counters());
        }
        String summary = Files.readString(dir.resolve("sac/summary.txt"));
        assertTrue(summary.startsWith("sac over ROS on reach: "), summary);
        assertTrue(summary.contains(", " + (STEPS - 99) + " gradient steps,"), summary);
        List<double[]> rows = CsvLog.read(dir.resolve("sac/progress.csv"));
        assertEquals(STEPS / EVERY + 1, rows.size(), "a row per model, the resumed run's following the first's:\n"
                + Files.readString(dir.resolve("sac/progress.csv")));
        int valueLoss = colOf("value_loss"), lr = colOf("learning_rate");
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(Double.isFinite(rows.get(i)[valueLoss]), "the critic learned in row " + i);
            assertTrue(rows.get(i)[lr] < rows.get(i - 1)[lr], "the learning rate falls as train's does for sac (linear): row " + i);
        }
    }

    @Test
    void demonstrationsSymmetriesAndAnInitThatIsNotOffPolicyAreRefused() throws Exception {
        System.setProperty("teachlearn.home", LearnFixtures.root().toString());
        Options scripted = options();
        scripted.set("demo-replay", "10");
        String demos = assertThrows(IllegalArgumentException.class, () -> new OnlineTraining(scripted, null, outlet(List.of()), quiet())).getMessage();
        assertTrue(demos.startsWith("~demo_replay: the trainer's demonstrations are recordings, ~demo_dir"), demos);
        Options cloningNothing = options();
        cloningNothing.set("demo-bc", "1");
        String cloning = assertThrows(IllegalArgumentException.class, () -> new OnlineTraining(cloningNothing, null, outlet(List.of()), quiet())).getMessage();
        assertTrue(cloning.equals("~demo_bc imitates the demonstration rows of each minibatch: give ~demo_dir and ~demo_ratio > 0"), cloning);
        for (String[] symmetry : new String[][] {{"turns", "4"}, {"mirror", "true"}}) {
            Options turned = options();
            turned.set(symmetry[0], symmetry[1]);
            String refused = assertThrows(IllegalArgumentException.class, () -> new OnlineTraining(turned, null, outlet(List.of()), quiet())).getMessage();
            assertTrue(refused.startsWith("~turns and ~mirror add to the demonstrations bc, dagger, hg_dagger and ppo clone; sac replays"), refused);
        }

        Path bc = dir.resolve("bc");
        TrainCommand.train(List.of("bc", "--demos", "1", "--epochs", "1", "--eval-episodes", "1", "--out", bc.toString()));
        Options fromBc = options();
        fromBc.set("init", bc.resolve("checkpoint.bin").toString());
        String init = assertThrows(IllegalArgumentException.class, () -> new OnlineTraining(fromBc, null, outlet(List.of()), quiet())).getMessage();
        assertTrue(init.contains("is a bc run"), init);
    }

    private Options options() {
        Options o = new Options(OnlineTraining.defaults("sac"));
        o.set("out", dir.resolve("sac").toString());
        o.set("steps", Integer.toString(STEPS));
        o.set("log-every", Integer.toString(EVERY));
        o.set("learning-starts", "100");
        o.set("batch", "32");
        o.set("hidden", "16x16");
        o.set("eval-episodes", "2");
        return o;
    }

    /**
     * Waits until the trainer has stored what was offered and taken the gradient steps it owes for
     * it (as fast workers never let it here), so versions come in order and every row is learned from.
     */
    private static void waitUntilTaken(OnlineTraining t, long offered) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((t.counters().get("env_steps") < Math.min(offered, STEPS) || t.counters().get("owed_gradient_steps") > 0) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    /** Waits until the trainer has stored what was offered, not for its gradient steps. */
    private static void waitUntilStored(OnlineTraining t, long offered) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (t.counters().get("env_steps") < Math.min(offered, STEPS) && System.nanoTime() < deadline) Thread.sleep(2);
    }

    private static int colOf(String name) throws Exception {
        for (int i = 0; i < OnlineTraining.COLUMNS.length; i++) if (OnlineTraining.COLUMNS[i].equals(name)) return i;
        throw new AssertionError(name);
    }

    private static PrintStream quiet() {
        return new PrintStream(PrintStream.nullOutputStream());
    }

    private static OnlineTraining.Outlet outlet(List<Long> versions) {
        return outlet(versions, new CopyOnWriteArrayList<>());
    }

    private static OnlineTraining.Outlet outlet(List<Long> versions, List<byte[]> models) {
        return new OnlineTraining.Outlet() {
            @Override
            public void model(long version, String algorithm, byte[] onnx, String sha256, long dataNanos) {
                versions.add(version);
                models.add(onnx);
            }

            @Override
            public void stats(OnlineTraining.Stats stats) {
            }

            @Override
            public void failed(Exception e) {
                throw new AssertionError("learning stopped", e);
            }
        };
    }

    /** A worker on the built-in simulator: the expert's command with noise, its transitions in batches as policy_server sends them. */
    private static final class Worker {
        private final ArmEnv env;
        private final Rng rng = new Rng(9);
        private final int od, ad;
        private final double[] obs, next, cmd;
        private int episode;
        private long seed = 500;

        Worker(ArmEnv env) {
            this.env = env;
            od = env.layout().observationSize();
            ad = env.layout().actionSize();
            obs = new double[od];
            next = new double[od];
            cmd = new double[ad];
            env.reset(seed++);
        }

        Batch batch(long version) {
            float[] o = new float[ROWS * od], n = new float[ROWS * od], a = new float[ROWS * ad], logProb = new float[ROWS], r = new float[ROWS];
            byte[] done = new byte[ROWS];
            int[] episodes = new int[ROWS];
            for (int row = 0; row < ROWS; row++) {
                env.observe(obs, 0);
                env.expertCommand(cmd, 0);
                for (int j = 0; j < 7; j++) cmd[j] += 0.05 * rng.nextGaussian();
                env.step(cmd, 0);
                env.observe(next, 0);
                for (int i = 0; i < od; i++) {
                    o[row * od + i] = (float) obs[i];
                    n[row * od + i] = (float) next[i];
                }
                for (int j = 0; j < ad; j++) a[row * ad + j] = (float) cmd[j];
                logProb[row] = Float.NaN;
                r[row] = (float) env.reward();
                episodes[row] = episode;
                if (env.done()) {
                    done[row] = (byte) (env.success() ? 1 : 2);
                    env.reset(seed++);
                    episode++;
                }
            }
            return new Batch("/worker_0/policy_server", "reach", version, od, ad, o, a, logProb, r, n, done, new float[0], episodes, new byte[ROWS]);
        }
    }
}
