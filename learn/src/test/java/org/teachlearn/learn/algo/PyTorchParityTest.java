package org.teachlearn.learn.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Rollout;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.DiagonalGaussian;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * From the same initial weights and batch, our losses, gradients, optimiser step and GAE equal
 * PyTorch's (Debian's python3-torch, float64) within 1e-6. The policy is perturbed away from its
 * initialisation so that ratios are clipped and every branch of the losses is exercised.
 */
class PyTorchParityTest {

    private static final double TOLERANCE = 1e-6;
    private static final int ROWS = 64;

    @TempDir
    static Path dir;
    static Map<String, double[]> torch;
    static GaussianPolicy policy;
    static double[] obs, u, logProbOld, adv, ret, meanOld;
    static double[] initial;

    @BeforeAll
    static void runReference() throws Exception {
        Rng rng = new Rng(7);
        policy = new GaussianPolicy(LearnFixtures.reachLayout(), GaussianPolicy.Shape.of(32, 2), rng);
        for (Parameter p : policy.parameters()) for (int i = 0; i < p.size(); i++) p.value().data[i] += 0.3 * rng.nextGaussian();
        int od = policy.layout().observationSize(), ad = policy.layout().actionSize();
        obs = gaussian(rng, ROWS * od);
        u = gaussian(rng, ROWS * ad);
        // Old log-probabilities near the current ones, so some ratios fall inside the clip range and some outside.
        logProbOld = new double[ROWS];
        double[] mean = policy.actor().forward(org.ejml.data.DMatrixRMaj.wrap(ROWS, od, obs)).data;
        for (int i = 0; i < ROWS; i++) {
            logProbOld[i] = DiagonalGaussian.logProb(u, mean, i, policy.logStd().value().data, ad) + 0.3 * rng.nextGaussian();
        }
        adv = gaussian(rng, ROWS);
        ret = gaussian(rng, ROWS);
        meanOld = gaussian(rng, ROWS * ad);
        initial = flat(policy, false);

        StringBuilder in = new StringBuilder();
        line(in, "actor_sizes", toDoubles(policy.actor().sizes()));
        line(in, "critic_sizes", toDoubles(policy.critic().sizes()));
        line(in, "activation", 0);
        line(in, "params", initial);
        line(in, "rows", ROWS);
        line(in, "obs", obs);
        line(in, "u", u);
        line(in, "logprob_old", logProbOld);
        line(in, "advantages", adv);
        line(in, "returns", ret);
        line(in, "mean_old", meanOld);
        Ppo.Config c = config(Ppo.Objective.CLIP);
        line(in, "clip", c.clipRange());
        line(in, "value_coef", c.valueCoef());
        line(in, "entropy_coef", c.entropyCoef());
        line(in, "beta", c.betaInit());
        line(in, "lr", c.learningRate());
        line(in, "max_grad_norm", c.maxGradNorm());
        Rollout g = gaeCase(rng);
        line(in, "gae_envs", g.envs);
        line(in, "gae_steps", g.steps);
        line(in, "gae_rewards", g.rewards);
        line(in, "gae_values", g.values);
        line(in, "gae_next_values", g.nextValues);
        line(in, "gae_terminal", bools(g.terminal));
        line(in, "gae_end", bools(g.episodeEnd));
        line(in, "gamma", 0.99);
        line(in, "lambda", 0.95);
        Files.writeString(dir.resolve("case.txt"), in);
        LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/torch_reference.py"), dir.resolve("case.txt").toString(),
                dir.resolve("torch.txt").toString());
        torch = read(dir.resolve("torch.txt"));
    }

    static Ppo.Config config(Ppo.Objective objective) {
        return Ppo.Config.defaults().withObjective(objective).withEpochs(1, ROWS).withKlPenalty(0.01, 0.7).withEntropyCoef(0.01)
                .withAnnealLearningRate(false);
    }

    @ParameterizedTest
    @EnumSource(BehaviourCloning.Loss.class)
    void behaviourCloningLossAndGradientsMatchTorch(BehaviourCloning.Loss lossKind) {
        restore();
        String key = lossKind == BehaviourCloning.Loss.MSE ? "bc_mse" : "bc_nll";
        BehaviourCloning bc = new BehaviourCloning(policy, new BehaviourCloning.Config(lossKind, 1e-3, 1, ROWS, 1));
        double loss = bc.lossAndGradients(obs, u, ROWS);
        close(key + " loss", torch.get(key + "_loss"), new double[] {loss});
        close(key + " gradients", torch.get(key + "_grads"), flat(policy, true));
    }

    @Test
    void ppoClippedLossTermsGradientsAndAdamStepMatchTorch() {
        restore();
        Ppo ppo = new Ppo(policy, config(Ppo.Objective.CLIP));
        Losses l = ppo.lossAndGradients(obs, u, logProbOld, adv, ret, null, ROWS);
        close("ppo clip terms (policy, value, entropy, approx kl, kl, total)", torch.get("ppo_clip_terms"),
                new double[] {l.policy, l.value, l.entropy, l.approxKl, l.kl, l.total});
        if (l.clipFraction < 0.1 || l.clipFraction > 0.9) fail("the case should clip some ratios but not all: clip fraction " + l.clipFraction);
        close("ppo clip gradients", torch.get("ppo_clip_grads"), flat(policy, true));
        ppo.optimiser().clipGradNorm(ppo.config().maxGradNorm());
        ppo.optimiser().step();
        close("parameters after one clipped Adam step", torch.get("adam_params"), flat(policy, false));
    }

    @Test
    void ppoKlPenaltyLossTermsAndGradientsMatchTorch() {
        restore();
        Ppo ppo = new Ppo(policy, config(Ppo.Objective.KL_PENALTY));
        Losses l = ppo.lossAndGradients(obs, u, logProbOld, adv, ret, meanOld, ROWS);
        close("ppo kl terms (policy, value, entropy, approx kl, kl, total)", torch.get("ppo_kl_terms"),
                new double[] {l.policy, l.value, l.entropy, l.approxKl, l.kl, l.total});
        close("ppo kl gradients", torch.get("ppo_kl_grads"), flat(policy, true));
    }

    @Test
    void reinforceLossAndGradientsMatchTorch() {
        restore();
        Reinforce reinforce = new Reinforce(policy, Reinforce.Config.defaults().withValueCoef(config(Ppo.Objective.CLIP).valueCoef()));
        double[] l = reinforce.lossAndGradients(obs, u, adv, ret, ROWS);
        close("reinforce terms (policy, value)", torch.get("reinforce_terms"), l);
        close("reinforce gradients", torch.get("reinforce_grads"), flat(policy, true));
    }

    @Test
    void gaeAdvantagesAndReturnsMatchTorch() {
        Rollout r = gaeCaseFromFile();
        Gae.compute(r, 0.99, 0.95);
        close("gae advantages", torch.get("gae_advantages"), r.advantages);
        close("gae returns", torch.get("gae_returns"), r.returns);
    }

    // --- helpers ---

    private static Rollout gaeCase(Rng rng) {
        Rollout r = new Rollout(12, 3, 1, 1);
        for (int k = 0; k < r.size(); k++) {
            r.rewards[k] = rng.nextGaussian();
            r.values[k] = rng.nextGaussian();
            r.nextValues[k] = rng.nextGaussian();
            r.episodeEnd[k] = rng.nextDouble() < 0.2;
            r.terminal[k] = r.episodeEnd[k] && rng.nextDouble() < 0.5;
        }
        return r;
    }

    private static Rollout gaeCaseFromFile() {
        try {
            Map<String, double[]> in = read(dir.resolve("case.txt"));
            Rollout r = new Rollout((int) in.get("gae_steps")[0], (int) in.get("gae_envs")[0], 1, 1);
            System.arraycopy(in.get("gae_rewards"), 0, r.rewards, 0, r.size());
            System.arraycopy(in.get("gae_values"), 0, r.values, 0, r.size());
            System.arraycopy(in.get("gae_next_values"), 0, r.nextValues, 0, r.size());
            for (int k = 0; k < r.size(); k++) {
                r.terminal[k] = in.get("gae_terminal")[k] != 0;
                r.episodeEnd[k] = in.get("gae_end")[k] != 0;
            }
            return r;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void restore() {
        int k = 0;
        for (Parameter p : policy.parameters()) {
            System.arraycopy(initial, k, p.value().data, 0, p.size());
            p.grad().zero();
            k += p.size();
        }
    }

    private static double[] flat(GaussianPolicy p, boolean grads) {
        List<Double> out = new ArrayList<>();
        for (Parameter q : p.parameters()) for (double v : (grads ? q.grad() : q.value()).data) out.add(v);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void close(String what, double[] expected, double[] actual) {
        if (expected == null) fail("PyTorch wrote no " + what);
        assertEquals(expected.length, actual.length, what + ": lengths");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= TOLERANCE * Math.max(1, Math.abs(expected[i])))) {
                fail(what + " [" + i + "]: PyTorch " + expected[i] + ", ours " + actual[i]);
            }
        }
    }

    private static double[] gaussian(Rng rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextGaussian();
        return a;
    }

    private static double[] toDoubles(int[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    private static double[] bools(boolean[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] ? 1 : 0;
        return d;
    }

    private static void line(StringBuilder sb, String name, double... values) {
        sb.append(name);
        for (double v : values) sb.append(' ').append(v);
        sb.append('\n');
    }

    private static Map<String, double[]> read(Path p) throws IOException {
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
}
