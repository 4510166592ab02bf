package org.teachlearn.learn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.env.ArmEnv;
import org.teachlearn.learn.env.Evaluation;
import org.teachlearn.learn.policy.ActionMap;
import org.teachlearn.learn.policy.ChunkPolicy;

/**
 * {@code train bc --history H --history-stride S}: a demonstrated state's row is its last H
 * observations S periods apart, newest first, labelled as the present state alone is; the run's
 * checkpoint evaluates as the run did (the controller stacks what it observed since the episode
 * began); and what does not go with a history is refused.
 */
class HistoryCloningTest extends TrainRuns {

    private static final int H = 3, S = 4;

    @Test
    void aStatesRowIsItsLastObservationsNewestFirstLabelledAsThePresent() throws Exception {
        Options o = new Options(TrainCommand.defaults("bc"));
        o.set("task", "reach_via");
        Setup setup = new Setup(o);
        ArmEnv env = setup.env(true);
        ActionMap map = env.layout().actions();
        int od = env.layout().observationSize(), ad = env.layout().actionSize();
        Dataset single = new Dataset(od, map), stacked = new Dataset(H * od, map);
        ImitationTraining.demonstrate(env, 1, 5, 0.01, 3, single);
        ImitationTraining.demonstrate(setup.env(true), 1, 5, 0.01, 3, stacked, S);
        int n = single.size();
        assertEquals(n, stacked.size());
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < H; i++) {
                int then = Math.max(0, t - i * S);
                for (int j = 0; j < od; j++) {
                    assertEquals(single.observations()[then * od + j], stacked.observations()[(t * H + i) * od + j], 0, "state " + t + ", frame " + i);
                }
            }
            double[] a = new double[ad], b = new double[ad];
            System.arraycopy(single.targets(), t * ad, a, 0, ad);
            System.arraycopy(stacked.targets(), t * ad, b, 0, ad);
            assertArrayEquals(a, b, 1e-12, "state " + t + ": the label is the present state's");
        }
    }

    @Test
    void theCheckpointEvaluatesAsTheRunDid() throws Exception {
        Path out = train("bc", "--task", "reach_via", "--history", Integer.toString(H), "--history-stride", Integer.toString(S), "--demos", "3",
                "--demo-noise", "0.05", "--epochs", "5", "--eval-episodes", "4");
        assertTrue(Files.readString(out.resolve("summary.txt")).startsWith("bc (history of 3 observations 4 periods apart) on reach_via"),
                Files.readString(out.resolve("summary.txt")));
        Setup setup = new Setup(new Options(Checkpoint.settings(out.resolve("checkpoint.bin"))));
        ChunkPolicy policy = ChunkCloning.restore(setup, out.resolve("checkpoint.bin"));
        assertEquals(H, policy.history());
        assertEquals(S, policy.historyStride());
        Evaluation.Result again = Evaluation.run(setup.env(true), ChunkCloning.controller(policy, false, 0.01), 4, Setup.EVAL_SEED);
        assertEquals(last(out, "eval_success_rate"), again.successRate(), 0, "the checkpoint evaluates as the run did");
        assertEquals(last(out, "eval_return"), again.meanReturn(), 1e-3, "... step for step (progress.csv keeps 6 digits)");
    }

    @Test
    void onnxRuntimeActsOnTheStackedContractAsThePolicyOnItsStackedObservationsWithTheHandFeature() throws Exception {
        org.teachlearn.learn.serve.PolicySlotTest.djlCreatesTheEnvironment();
        Path out = train("bc", "--task", "reach_via", "--history", Integer.toString(H), "--history-stride", Integer.toString(S), "--demos", "2",
                "--demo-noise", "0.05", "--epochs", "3", "--eval-episodes", "1", "--hand-feature", "on");
        Setup setup = new Setup(new Options(Checkpoint.settings(out.resolve("checkpoint.bin"))));
        ChunkPolicy policy = ChunkCloning.restore(setup, out.resolve("checkpoint.bin"));
        int od = policy.layout().observationSize(), contract = policy.layout().contractSize(), ad = policy.layout().actionSize();
        assertTrue(od > contract, "the policy observes the hand feature");
        try (org.teachlearn.learn.serve.OnnxPolicy served = new org.teachlearn.learn.serve.OnnxPolicy(Files.readAllBytes(out.resolve("policy.onnx")), null)) {
            assertEquals(H, served.history());
            assertEquals(S, served.historyStride());
            assertEquals(contract, served.info().obsDim(), "the model takes the contract's observation; it computes the feature");
            ArmEnv env = setup.env(true);
            org.teachlearn.learn.policy.ObservationHistory full = policy.newHistory(),
                    plain = new org.teachlearn.learn.policy.ObservationHistory(contract, H, S);
            double[] obs = new double[od], fullRow = new double[H * od], plainRow = new double[H * contract], ours = new double[ad], theirs = new double[ad];
            double[] command = new double[ad];
            env.reset(77);
            for (int t = 0; t < 25; t++) {
                env.observe(obs, 0);
                full.push(obs, 0);
                plain.push(obs, 0);   // the contract's entries come first
                full.stacked(fullRow, 0);
                plain.stacked(plainRow, 0);
                policy.act(org.ejml.data.DMatrixRMaj.wrap(1, H * od, fullRow.clone()), ours);
                served.act(plainRow, theirs);
                assertArrayEquals(ours, theirs, 1e-4, "tick " + t + ": ONNX Runtime against ours");
                env.expertCommand(command, 0);
                env.step(command, 0);
            }
        }
    }

    @Test
    void whatDoesNotGoWithAHistoryIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> train("dagger", "--history", "3")).getMessage().contains("are for bc"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> train("bc", "--history", "0")).getMessage().contains("--history must be at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> train("bc", "--history", "2", "--history-stride", "0")).getMessage()
                .contains("--history-stride must be at least 1"));
    }
}
