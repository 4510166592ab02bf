package org.teachlearn.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.demo.DemoSource;
import org.teachlearn.learn.env.ArmEnv;
import org.teachlearn.learn.env.Evaluation;
import org.teachlearn.learn.policy.ActionMap;
import org.teachlearn.learn.policy.ChunkPolicy;
import org.teachlearn.learn.serve.OnnxPolicy;
import org.teachlearn.learn.serve.PolicySlotTest;

/**
 * {@code train bc --chunk K}: a state's label is the expert's next K commands (the last one held
 * past the episode's end), each as the output u that gives it from that state; the exported model's
 * {@code action} is [batch, K, act_dim] and ONNX Runtime gives our K commands; the run's checkpoint
 * evaluates as the run did, open loop or ensembled; and options that do not go with chunks are
 * refused.
 */
class ChunkCloningTest extends TrainRuns {

    private static final int K = 4;

    @Test
    void aStatesLabelIsTheExpertsNextKCommands() throws Exception {
        Options o = new Options(TrainCommand.defaults("bc"));
        o.set("task", "pick_place");
        o.set("control-period", "0.05");
        Setup setup = new Setup(o);
        ArmEnv env = setup.env(true);
        ActionMap map = env.layout().actions();
        int od = env.layout().observationSize(), ad = env.layout().actionSize();
        Dataset single = new Dataset(od, map), chunks = new Dataset(od, map, K);
        ImitationTraining.demonstrate(env, 1, 5, 0.01, 3, single);
        ImitationTraining.demonstrate(setup.env(true), 1, 5, 0.01, 3, chunks);
        int n = single.size();
        assertEquals(n, chunks.size(), "the same episode, one label row per state");
        assertEquals(K * ad, chunks.actDim());
        double[] fromChunk = new double[ad], expected = new double[ad];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < od; j++) assertEquals(single.observations()[t * od + j], chunks.observations()[t * od + j], 0, "state " + t);
            for (int k = 0; k < K; k++) {
                int later = Math.min(t + k, n - 1);
                map.commandFrom(chunks.observations(), t * od, chunks.targets(), t * K * ad + k * ad, fromChunk, 0);
                map.commandFrom(single.observations(), later * od, single.targets(), later * ad, expected, 0);
                assertArrayEquals(expected, fromChunk, 1e-9, "state " + t + ", action " + k + " of its chunk");
            }
        }
    }

    @Test
    void theModelGivesTheChunkAndTheCheckpointEvaluatesAsTheRunDid() throws Exception {
        PolicySlotTest.djlCreatesTheEnvironment();
        for (String mode : new String[] {"open_loop", "ensemble"}) {
            Path out = train("bc", "--chunk", Integer.toString(K), "--chunk-mode", mode, "--demos", "5", "--epochs", "5", "--eval-episodes", "5");
            assertTrue(Files.readString(out.resolve("summary.txt")).startsWith("bc (chunks of " + K + ", " + mode + ") on reach"));
            Setup setup = new Setup(new Options(Checkpoint.settings(out.resolve("checkpoint.bin"))));
            ChunkPolicy policy = ChunkCloning.restore(setup, out.resolve("checkpoint.bin"));
            assertEquals(K, policy.chunk());
            Evaluation.Result again = Evaluation.run(setup.env(true), ChunkCloning.controller(policy, mode.equals("ensemble"), 0.01), 5, Setup.EVAL_SEED);
            assertEquals(last(out, "eval_success_rate"), again.successRate(), 0, mode + ": the checkpoint evaluates as the run did");

            int od = policy.layout().observationSize(), ad = policy.layout().actionSize();
            try (OnnxPolicy served = new OnnxPolicy(Files.readAllBytes(out.resolve("policy.onnx")), null)) {
                assertEquals(K, served.chunk(), "the model's action is a chunk of K");
                Rng rng = new Rng(3);
                ArmEnv env = setup.env(true);
                double[] obs = new double[od], ours = new double[K * ad], theirs = new double[K * ad];
                for (int i = 0; i < 5; i++) {
                    env.reset(100 + i);
                    env.observe(obs, 0);
                    for (int j = 0; j < 7; j++) obs[j] += 0.2 * rng.nextGaussian();
                    policy.act(DMatrixRMaj.wrap(1, od, obs), ours);
                    served.act(obs, theirs);
                    assertArrayEquals(ours, theirs, 1e-5, "ONNX Runtime's chunk against ours");
                }
            }
        }
    }

    /**
     * {@code --models 2}: two networks from two seeds on the same samples; the checkpoint holds both
     * and evaluates as the run did with their chunks averaged, and the one exported model gives that
     * mean, as ONNX Runtime runs it.
     */
    @Test
    void severalNetworksAreTrainedAndTheModelGivesTheMeanOfTheirChunks() throws Exception {
        PolicySlotTest.djlCreatesTheEnvironment();
        Path out = train("bc", "--chunk", Integer.toString(K), "--chunk-mode", "ensemble", "--models", "2", "--threads", "2", "--demos", "5",
                "--epochs", "4", "--eval-episodes", "4");
        Path oneAtATime = train("bc", "--chunk", Integer.toString(K), "--chunk-mode", "ensemble", "--models", "2", "--threads", "1", "--demos", "5",
                "--epochs", "4", "--eval-episodes", "4");
        Setup setup = new Setup(new Options(Checkpoint.settings(out.resolve("checkpoint.bin"))));
        java.util.List<ChunkPolicy> both = ChunkCloning.restoreAll(setup, out.resolve("checkpoint.bin"));
        assertEquals(2, both.size());
        assertEquals(8, Files.readAllLines(out.resolve("progress.csv")).size() - 2, "four epochs of each network, then the evaluation");
        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.startsWith("bc (chunks of " + K + ", ensemble; the mean of 2 networks)"), summary);
        Evaluation.Result again = Evaluation.run(setup.env(true), ChunkCloning.controller(both, true, 0.01), 4, Setup.EVAL_SEED);
        assertEquals(last(out, "eval_success_rate"), again.successRate(), 0, "the checkpoint evaluates as the run did");
        int od = both.get(0).layout().observationSize(), ad = both.get(0).layout().actionSize();
        try (OnnxPolicy served = new OnnxPolicy(Files.readAllBytes(out.resolve("policy.onnx")), null);
                OnnxPolicy trainedInTurn = new OnnxPolicy(Files.readAllBytes(oneAtATime.resolve("policy.onnx")), null)) {
            ArmEnv env = setup.env(true);
            double[] obs = new double[od], a = new double[K * ad], b = new double[K * ad], mean = new double[K * ad], theirs = new double[K * ad],
                    inTurn = new double[K * ad];
            double apart = 0;
            for (int i = 0; i < 5; i++) {
                env.reset(200 + i);
                env.observe(obs, 0);
                both.get(0).act(DMatrixRMaj.wrap(1, od, obs.clone()), a);
                both.get(1).act(DMatrixRMaj.wrap(1, od, obs.clone()), b);
                for (int c = 0; c < mean.length; c++) {
                    mean[c] = (a[c] + b[c]) / 2;
                    apart = Math.max(apart, Math.abs(a[c] - b[c]));
                }
                served.act(obs, theirs);
                assertArrayEquals(mean, theirs, 1e-5, "ONNX Runtime's chunk against the mean of the two networks'");
                trainedInTurn.act(obs, inTurn);
                assertArrayEquals(theirs, inTurn, 0, "the networks trained at once come out as trained one after the other");
            }
            assertTrue(apart > 1e-4, "the two networks differ (their seeds): " + apart);
        }
        assertEquals("--models must be 1..16, got 0", assertThrows(IllegalArgumentException.class,
                () -> train("bc", "--chunk", "3", "--models", "0")).getMessage());
        assertEquals("--threads is auto or a count ≥ 1, got '0'", assertThrows(IllegalArgumentException.class,
                () -> train("bc", "--chunk", "3", "--models", "2", "--threads", "0")).getMessage());
        String notForOneAction = "--models averages networks of action chunks: it is for bc with --chunk (or --history)";
        assertEquals(notForOneAction, assertThrows(IllegalArgumentException.class, () -> train("bc", "--models", "2")).getMessage());
        assertEquals(notForOneAction, assertThrows(IllegalArgumentException.class,
                () -> train("ppo", "--steps", "256", "--models", "2")).getMessage());
    }

    @Test
    void eachOfSeveralNetworksDrawsItsOwnTurnedCopiesOfTheSameDemonstrations() throws Exception {
        Options o = new Options(TrainCommand.defaults("bc"));
        o.set("chunk", "3");
        o.set("demos", "2");
        Setup setup = new Setup(o);
        ChunkPolicy policy = setup.chunkPolicy(new Rng(1));
        int od = policy.layout().observationSize();
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        Dataset plain = new Dataset(od, policy.layout().actions(), 3);
        ChunkCloning.samples(setup, policy, null, plain, 1, quiet);
        int demonstrated = plain.size();
        o.set("turns", "1");
        Dataset first = new Dataset(od, policy.layout().actions(), 3), second = new Dataset(od, policy.layout().actions(), 3);
        assertEquals(2, ChunkCloning.samples(setup, policy, null, first, 1, quiet));
        assertEquals(2, ChunkCloning.samples(setup, policy, null, second, 1 + 1_000_003L, quiet));
        assertTrue(first.size() > 1.5 * demonstrated && second.size() > 1.5 * demonstrated, "most samples turned once: " + first.size()
                + ", " + second.size() + " of " + demonstrated);
        double[] a = first.observations(), b = second.observations();
        assertArrayEquals(java.util.Arrays.copyOf(a, demonstrated * od), java.util.Arrays.copyOf(b, demonstrated * od), 0,
                "the same demonstrations");
        int same = 0;
        for (int r = demonstrated; r < Math.min(first.size(), second.size()); r++) {
            if (java.util.Arrays.equals(a, r * od, (r + 1) * od, b, r * od, (r + 1) * od)) same++;
        }
        assertEquals(0, same, "turned by other angles: no turned sample alike");
    }

    @Test
    void eachActionCountsAlikeAndAColumnThatNeverVariesDoesNotTakeTheWeight() throws Exception {
        Setup setup = new Setup(new Options(TrainCommand.defaults("bc")));
        ActionMap map = setup.layout().actions();
        int od = setup.layout().observationSize(), ad = map.size();
        Dataset data = new Dataset(od, map, 2);
        Rng rng = new Rng(4);
        double[] obs = new double[od], u = new double[2 * ad];
        for (int r = 0; r < 1000; r++) {
            for (int j = 0; j < ad - 1; j++) {
                u[j] = rng.nextGaussian();             // the next action: spread 1
                u[ad + j] = 10 * rng.nextGaussian();   // the one after: spread 10
            }
            u[ad - 1] = u[2 * ad - 1] = 0.5;           // the gripper never moves
            data.addTarget(obs, 0, u, 0);
        }
        double[] w = ChunkCloning.inverseVariances(data);
        double mean = 0;
        for (double x : w) mean += x / w.length;
        assertEquals(1, mean, 1e-9, "weights average 1");
        assertEquals(100, w[0] / w[ad], 10, "an action spread 10 times wider weighs 100 times less");
        assertTrue(w[ad - 1] < w[0], "the constant gripper column weighs " + w[ad - 1] + " against " + w[0]);

        Dataset alike = new Dataset(od, map, 2);   // every moving column spread alike, the gripper never moving
        for (int r = 0; r < 1000; r++) {
            for (int j = 0; j < 2 * ad; j++) u[j] = rng.nextGaussian();
            u[ad - 1] = u[2 * ad - 1] = 0.5;
            alike.addTarget(obs, 0, u, 0);
        }
        double[] a = ChunkCloning.inverseVariances(alike);
        assertEquals(a[0], a[ad - 1], 0.2 * a[0], "the constant column weighs as an average one: " + java.util.Arrays.toString(a));
        double total = 0, gripper = a[ad - 1] + a[2 * ad - 1];
        for (double x : a) total += x;
        assertTrue(gripper / total < 2.5 / (2 * ad), "the gripper's share of the weight: " + gripper / total);
    }

    @Test
    void theLossDecayWeighsTheNearActionsMostAndKeepsTheMeanAtOne() {
        double[] w = ChunkCloning.decayAlongTheChunk(new double[] {1, 2, 1, 2, 1, 2}, 3, 2, Math.log(2));   // halves per step ahead
        double mean = 0;
        for (double x : w) mean += x / w.length;
        assertEquals(1, mean, 1e-12);
        assertEquals(2, w[0] / w[2], 1e-12, "the next action weighs twice the one after");
        assertEquals(4, w[1] / w[5], 1e-12, "two steps ahead: a quarter");
        assertEquals(2, w[1] / w[0], 1e-12, "the columns' own weights stay");
        double[] alike = ChunkCloning.decayAlongTheChunk(null, 2, 3, 0);
        for (double x : alike) assertEquals(1, x, 1e-12);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> train("bc", "--chunk", "3", "--chunk-loss-decay", "-1")).getMessage()
                .contains("--chunk-loss-decay"));
    }

    @Test
    void optionsThatDoNotGoWithChunksAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> train("dagger", "--chunk", "3")).getMessage().contains("--chunk and --history are for bc"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> train("bc", "--chunk", "3", "--head", "mixture")).getMessage()
                .contains("--head mixture"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> train("bc", "--chunk", "3", "--chunk-mode", "ensembled")).getMessage()
                .contains("open_loop or ensemble"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> train("bc", "--chunk", "0")).getMessage().contains("at least 1"));
    }

    @Test
    void eachNetworkLabelsTheBagsWithItsOwnLookaheadFromAList() throws Exception {
        double[] path = new double[121];   // 1 rad in 1 s, then 0.2 s at rest
        for (int k = 0; k < path.length; k++) path[k] = Math.min(1, k * 0.01);
        DemoSource one = (where, spec, each) -> each.accept(LearnFixtures.guided(spec.layout(), path));
        Options o = new Options(TrainCommand.defaults("bc"));
        o.set("chunk", "3");
        o.set("models", "3");
        o.set("bags", Path.of("bags").toAbsolutePath().toString());   // read by the source above, not from disk
        o.set("hindsight-goals", "0");
        Setup setup = new Setup(o);
        ChunkPolicy policy = setup.chunkPolicy(new Rng(1));
        o.set("path-lookahead", "0.1,0.3");
        double[] second = targets(setup, policy, one, 1), third = targets(setup, policy, one, 2);
        o.set("path-lookahead", "0.3");
        assertArrayEquals(targets(setup, policy, one, 1), second, "network 2 of the list: 0.3 rad");
        o.set("path-lookahead", "0.1");
        assertArrayEquals(targets(setup, policy, one, 2), third, "network 3: the list again from its start, 0.1 rad");
        assertTrue(!java.util.Arrays.equals(second, third), "labels that differ");
        assertEquals(0.1, ImitationTraining.perNetwork(o, "path-lookahead", 5), 0, "a single value serves every network");

        assertTrue(assertThrows(IllegalArgumentException.class, () -> train("bc", "--chunk", "3", "--path-lookahead", "0.2,0.3")).getMessage()
                .contains("lists 2 values, one per network, but --models is 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> train("bc", "--chunk", "3", "--models", "2", "--path-lookahead", "0.2,3"))
                .getMessage().contains("--path-lookahead must be 0..2 rad, got 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> train("bc", "--chunk", "3", "--models", "2", "--gripper-lookahead", "0.05,x"))
                .getMessage().contains("--gripper-lookahead takes a number, or with --models one per network"));
    }

    /** The chunk labels network {@code m} of {@code --models} learns from (its seed the same for all, so that only the lookahead differs). */
    private static double[] targets(Setup setup, ChunkPolicy policy, DemoSource recordings, int m) throws Exception {
        Dataset data = new Dataset(policy.layout().observationSize(), policy.layout().actions(), policy.chunk());
        ChunkCloning.samples(setup, policy, recordings, data, 7, m, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        return java.util.Arrays.copyOf(data.targets(), data.size() * data.actDim());
    }
}
