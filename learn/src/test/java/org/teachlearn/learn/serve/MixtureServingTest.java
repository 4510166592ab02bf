package org.teachlearn.learn.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.GaussianMixture;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.policy.MixtureChoice;
import org.teachlearn.learn.policy.MixturePolicy;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * policy_server's {@code ~mixture}: the served model's command is one component's mean, drawn by
 * the mixture's weights per tick ({@code sample}) or kept for an episode ({@code episode}), from
 * the ONNX file's {@code gmm_logits} and {@code gmm_mean} as ONNX Runtime computes them.
 */
class MixtureServingTest {

    @TempDir
    Path dir;

    private static final int K = 3;

    @org.junit.jupiter.api.BeforeAll
    static void djlFirst() {
        PolicySlotTest.djlCreatesTheEnvironment();   // ONNX Runtime's one environment, as the other tests in this JVM need it
    }

    /** A random mixture policy's file, its layout, and per observation row the weights and each component's command. */
    private record Case(Path file, PolicyLayout layout, double[] obs, double[][] weights, double[][][] commands) {
    }

    private Case mixture(int rows) throws Exception {
        Rng rng = new Rng(29);
        PolicyLayout layout = LearnFixtures.reachLayout();
        int od = layout.observationSize(), ad = layout.actionSize();
        MixturePolicy policy = new MixturePolicy(layout, K, new int[] {16, 16}, Activation.TANH, rng);
        for (Parameter p : policy.parameters()) for (int i = 0; i < p.size(); i++) p.value().data[i] += 0.3 * rng.nextGaussian();
        double[] obs = new double[rows * od];
        for (int i = 0; i < obs.length; i++) obs[i] = rng.nextGaussian() * 0.5;
        policy.norm().update(obs, rows);
        Path file = dir.resolve("mixture.onnx");
        PolicyExport.write(PolicyExport.toOnnxMixture(policy, "bc", 1, 0.01), file);
        GaussianMixture m = policy.mixture();
        DMatrixRMaj out = policy.forward(DMatrixRMaj.wrap(rows, od, obs));
        double[][] weights = new double[rows][K];
        double[][][] commands = new double[rows][K][ad];
        double[] u = new double[rows * ad], command = new double[rows * K * ad];
        for (int r = 0; r < rows; r++) {
            m.weights(out.data, r, weights[r]);
            for (int c = 0; c < K; c++) {
                m.mean(out.data, r, c, u, r * ad);
                layout.actions().command(obs, od, u, r, command, (r * K + c) * ad);
                System.arraycopy(command, (r * K + c) * ad, commands[r][c], 0, ad);
            }
        }
        return new Case(file, layout, obs, weights, commands);
    }

    /** Which component's command {@code command} is (within float precision), or -1. */
    private static int componentOf(double[] command, double[][] commands) {
        for (int c = 0; c < commands.length; c++) {
            boolean same = true;
            for (int j = 0; j < command.length && same; j++) same = Math.abs(command[j] - commands[c][j]) < 1e-4;
            if (same) return c;
        }
        return -1;
    }

    @Test
    void sampleDrawsEachComponentAsOftenAsItsWeightSays() throws Exception {
        Case c = mixture(40);
        int od = c.layout().observationSize(), ad = c.layout().actionSize();
        int row = 0;   // the row whose weights are the most even: every component gets drawn
        for (int r = 1; r < c.weights().length; r++) if (max(c.weights()[r]) < max(c.weights()[row])) row = r;
        assertTrue(max(c.weights()[row]) < 0.8, "a row with more than one likely component: " + java.util.Arrays.toString(c.weights()[row]));
        try (OnnxPolicy served = new OnnxPolicy(Files.readAllBytes(c.file()), null)) {
            assertEquals(K, served.components());
            assertTrue(served.chooseComponents(new MixtureChoice(MixtureChoice.Mode.SAMPLE), new Rng(3)));
            double[] one = new double[od], command = new double[ad];
            System.arraycopy(c.obs(), row * od, one, 0, od);
            int n = 4000;
            int[] count = new int[K];
            for (int i = 0; i < n; i++) {
                served.act(one, command);
                int k = componentOf(command, c.commands()[row]);
                assertTrue(k >= 0, "the command is one component's mean: " + java.util.Arrays.toString(command));
                count[k]++;
            }
            for (int k = 0; k < K; k++) {
                double expected = n * c.weights()[row][k], sd = Math.sqrt(n * c.weights()[row][k] * (1 - c.weights()[row][k]));
                assertEquals(expected, count[k], 4 * sd + 1, "component " + k + " of weights " + java.util.Arrays.toString(c.weights()[row]));
            }
        }
    }

    @Test
    void episodeKeepsOneComponentUntilTheNextEpisode() throws Exception {
        Case c = mixture(40);
        int od = c.layout().observationSize(), ad = c.layout().actionSize(), rows = c.weights().length;
        MixtureChoice choice = new MixtureChoice(MixtureChoice.Mode.EPISODE);
        try (OnnxPolicy served = new OnnxPolicy(Files.readAllBytes(c.file()), null)) {
            assertTrue(served.chooseComponents(choice, new Rng(4)));
            double[] one = new double[od], command = new double[ad];
            java.util.Set<Integer> firstChoices = new java.util.HashSet<>();
            for (int episode = 0; episode < 30; episode++) {
                choice.reset();   // what policy_server does on a task/state of a new episode
                int kept = -1;
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(c.obs(), r * od, one, 0, od);
                    served.act(one, command);
                    int k = componentOf(command, c.commands()[r]);
                    assertTrue(k >= 0, "one component's mean");
                    if (kept < 0) {
                        kept = k;
                        firstChoices.add(k);
                    } else if (c.weights()[r][kept] >= MixtureChoice.KEEP_WEIGHT * max(c.weights()[r])) {
                        assertEquals(kept, k, "episode " + episode + ", row " + r + ": the component is kept while its weight is "
                                + c.weights()[r][kept] + " of the largest " + max(c.weights()[r]));
                    } else {
                        assertEquals(max(c.weights()[r]), c.weights()[r][k], 1e-12, "it faded: the most likely one is taken instead");
                        kept = k;   // and kept
                    }
                }
            }
            assertTrue(firstChoices.size() >= 2, "episodes start with different components: " + firstChoices);
        }
    }

    @Test
    void aModelWithoutAMixtureHasNothingToChoose() throws Exception {
        GaussianPolicy policy = new GaussianPolicy(LearnFixtures.reachLayout(), GaussianPolicy.Shape.of(16, 2), new Rng(2));
        Path file = dir.resolve("gaussian.onnx");
        PolicyExport.write(PolicyExport.toOnnx(policy, "bc", 1, 0.01), file);
        try (OnnxPolicy served = new OnnxPolicy(Files.readAllBytes(file), null)) {
            assertEquals(0, served.components());
            assertFalse(served.chooseComponents(new MixtureChoice(MixtureChoice.Mode.SAMPLE), new Rng(1)));
        }
    }

    private static double max(double[] w) {
        double m = 0;
        for (double v : w) m = Math.max(m, v);
        return m;
    }
}
