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
        obs = TorchCase.gaussian(rng, ROWS * od);
        u = TorchCase.gaussian(rng, ROWS * ad);
        // Old log-probabilities near the current ones, so some ratios fall inside the clip range and some outside.
        logProbOld = new double[ROWS];
        double[] mean = policy.actor().forward(org.ejml.data.DMatrixRMaj.wrap(ROWS, od, obs)).data;
        for (int i = 0; i < ROWS; i++) {
            logProbOld[i] = DiagonalGaussian.logProb(u, mean, i, policy.logStd().value().data, ad) + 0.3 * rng.nextGaussian();
        }
        adv = TorchCase.gaussian(rng, ROWS);
        ret = TorchCase.gaussian(rng, ROWS);
        meanOld = TorchCase.gaussian(rng, ROWS * ad);
        initial = flat(policy, false);

        TorchCase in = TorchCase.create();
        in.line("actor_sizes", TorchCase.toDoubles(policy.actor().sizes()));
        in.line("critic_sizes", TorchCase.toDoubles(policy.critic().sizes()));
        in.line("activation", 0);
        in.line("params", initial);
        in.line("rows", ROWS);
        in.line("obs", obs);
        in.line("u", u);
        in.line("logprob_old", logProbOld);
        in.line("advantages", adv);
        in.line("returns", ret);
        in.line("mean_old", meanOld);
        Ppo.Config c = config(Ppo.Objective.CLIP);
        in.line("clip", c.clipRange());
        in.line("value_coef", c.valueCoef());
        in.line("entropy_coef", c.entropyCoef());
        in.line("beta", c.betaInit());
        in.line("lr", c.learningRate());
        in.line("max_grad_norm", c.maxGradNorm());
        Rollout g = gaeCase(rng);
        in.line("gae_envs", g.envs);
        in.line("gae_steps", g.steps);
        in.line("gae_rewards", g.rewards);
        in.line("gae_values", g.values);
        in.line("gae_next_values", g.nextValues);
        in.line("gae_terminal", bools(g.terminal));
        in.line("gae_end", bools(g.episodeEnd));
        in.line("gamma", 0.99);
        in.line("lambda", 0.95);
        in.write(dir.resolve("case.txt"));
        LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/torch_reference.py"), dir.resolve("case.txt").toString(),
                dir.resolve("torch.txt").toString());
        torch = TorchCase.read(dir.resolve("torch.txt"));
    }

    static Ppo.Config config(Ppo.Objective objective) {
        return Ppo.Config.defaults().withObjective(objective).withEpochs(1, ROWS).withKlPenalty(0.01, 0.7).withEntropyCoef(0.01)
                .withAnnealLearningRate(false);
    }

    @ParameterizedTest
    @EnumSource(value = BehaviourCloning.Loss.class, names = {"MSE", "GAUSSIAN_NLL"})
    void behaviourCloningLossAndGradientsMatchTorch(BehaviourCloning.Loss lossKind) {
        restore();
        String key = lossKind == BehaviourCloning.Loss.MSE ? "bc_mse" : "bc_nll";
        BehaviourCloning bc = new BehaviourCloning(policy, new BehaviourCloning.Config(lossKind, 1e-3, 1, ROWS, 1));
        double loss = bc.lossAndGradients(obs, u, ROWS);
        TorchCase.close(key + " loss", torch.get(key + "_loss"), new double[] {loss});
        TorchCase.close(key + " gradients", torch.get(key + "_grads"), flat(policy, true));
    }

    @Test
    void ppoClippedLossTermsGradientsAndAdamStepMatchTorch() {
        restore();
        Ppo ppo = new Ppo(policy, config(Ppo.Objective.CLIP));
        Losses l = ppo.lossAndGradients(obs, u, logProbOld, adv, ret, null, ROWS);
        TorchCase.close("ppo clip terms (policy, value, entropy, approx kl, kl, total)", torch.get("ppo_clip_terms"),
                new double[] {l.policy, l.value, l.entropy, l.approxKl, l.kl, l.total});
        if (l.clipFraction < 0.1 || l.clipFraction > 0.9) fail("the case should clip some ratios but not all: clip fraction " + l.clipFraction);
        TorchCase.close("ppo clip gradients", torch.get("ppo_clip_grads"), flat(policy, true));
        ppo.optimiser().clipGradNorm(ppo.config().maxGradNorm());
        ppo.optimiser().step();
        TorchCase.close("parameters after one clipped Adam step", torch.get("adam_params"), flat(policy, false));
    }

    @Test
    void ppoKlPenaltyLossTermsAndGradientsMatchTorch() {
        restore();
        Ppo ppo = new Ppo(policy, config(Ppo.Objective.KL_PENALTY));
        Losses l = ppo.lossAndGradients(obs, u, logProbOld, adv, ret, meanOld, ROWS);
        TorchCase.close("ppo kl terms (policy, value, entropy, approx kl, kl, total)", torch.get("ppo_kl_terms"),
                new double[] {l.policy, l.value, l.entropy, l.approxKl, l.kl, l.total});
        TorchCase.close("ppo kl gradients", torch.get("ppo_kl_grads"), flat(policy, true));
    }

    @Test
    void reinforceLossAndGradientsMatchTorch() {
        restore();
        Reinforce reinforce = new Reinforce(policy, Reinforce.Config.defaults().withValueCoef(config(Ppo.Objective.CLIP).valueCoef()));
        double[] l = reinforce.lossAndGradients(obs, u, adv, ret, ROWS);
        TorchCase.close("reinforce terms (policy, value)", torch.get("reinforce_terms"), l);
        TorchCase.close("reinforce gradients", torch.get("reinforce_grads"), flat(policy, true));
    }

    @Test
    void gaeAdvantagesAndReturnsMatchTorch() {
        Rollout r = gaeCaseFromFile();
        Gae.compute(r, 0.99, 0.95);
        TorchCase.close("gae advantages", torch.get("gae_advantages"), r.advantages);
        TorchCase.close("gae returns", torch.get("gae_returns"), r.returns);
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
            Map<String, double[]> in = TorchCase.read(dir.resolve("case.txt"));
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
        return TorchCase.flat(p.parameters(), grads);
    }




    private static double[] bools(boolean[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] ? 1 : 0;
        return d;
    }


}
