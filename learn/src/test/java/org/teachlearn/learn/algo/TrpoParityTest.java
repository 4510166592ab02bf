package org.teachlearn.learn.algo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.DiagonalGaussian;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * TRPO's update equals PyTorch's (float64, autograd) within 1e-6 from the same weights and batch:
 * the surrogate's gradient, the Fisher-vector product (ours from a forward-mode and a backward pass,
 * torch's as the Hessian-vector product of the mean KL by double backward), the conjugate-gradient
 * direction, the step scale, and the line search's fraction and resulting parameters.
 */
class TrpoParityTest {

    private static final int ROWS = 64;

    @TempDir
    Path dir;

    @Test
    void surrogateGradientFisherProductDirectionStepAndLineSearchMatchTorch() throws Exception {
        Rng rng = new Rng(11);
        GaussianPolicy policy = new GaussianPolicy(LearnFixtures.reachLayout(), GaussianPolicy.Shape.of(32, 2), rng);
        for (Parameter p : policy.parameters()) for (int i = 0; i < p.size(); i++) p.value().data[i] += 0.3 * rng.nextGaussian();
        int od = policy.layout().observationSize(), ad = policy.layout().actionSize();
        double[] obs = TorchCase.gaussian(rng, ROWS * od), u = TorchCase.gaussian(rng, ROWS * ad), adv = TorchCase.gaussian(rng, ROWS);
        // the behaviour a little off the current policy, so that the ratios at θ_old are not all 1
        double[] logProbOld = new double[ROWS];
        double[] mean = policy.actor().forward(DMatrixRMaj.wrap(ROWS, od, obs)).data;
        for (int i = 0; i < ROWS; i++) logProbOld[i] = DiagonalGaussian.logProb(u, mean, i, policy.logStd().value().data, ad) + 0.1 * rng.nextGaussian();
        List<Parameter> theta = new ArrayList<>(policy.actor().parameters());
        theta.add(policy.logStd());
        double[] probe = TorchCase.gaussian(rng, TorchCase.flat(theta, false).length);

        Trpo.Config c = Trpo.Config.defaults();
        TorchCase in = TorchCase.create();
        in.line("actor_sizes", TorchCase.toDoubles(policy.actor().sizes()));
        in.line("critic_sizes", TorchCase.toDoubles(policy.critic().sizes()));
        in.line("activation", 0);
        in.line("params", TorchCase.flat(policy.parameters(), false));
        in.line("rows", ROWS);
        in.line("obs", obs);
        in.line("u", u);
        in.line("logprob_old", logProbOld);
        in.line("advantages", adv);
        in.line("probe", probe);
        in.line("damping", c.damping());
        in.line("max_kl", c.maxKl());
        in.line("cg_iterations", c.cgIterations());
        in.line("backtracks", c.backtracks());
        in.line("backtrack_ratio", c.backtrackRatio());
        in.write(dir.resolve("case.txt"));
        LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/trpo_reference.py"), dir.resolve("case.txt").toString(),
                dir.resolve("torch.txt").toString());
        Map<String, double[]> torch = TorchCase.read(dir.resolve("torch.txt"));

        Trpo trpo = new Trpo(policy, c);
        trpo.prepare(obs, u, logProbOld, adv, ROWS);
        TorchCase.close("surrogate gradient", torch.get("trpo_grad"), trpo.gradient().clone());
        double[] fv = new double[probe.length];
        trpo.fisherVector(probe, fv);
        TorchCase.close("Fisher-vector product (damped)", torch.get("trpo_fvp"), fv);
        trpo.solve();
        TorchCase.close("conjugate-gradient direction", torch.get("trpo_x"), trpo.searchDirection().clone());
        TorchCase.close("step scale", torch.get("trpo_beta"), new double[] {trpo.stepScale()});
        double fraction = trpo.lineSearch();
        TorchCase.close("line search fraction", torch.get("trpo_fraction"), new double[] {fraction});
        assertTrue(fraction > 0, "the case should take a step");
        TorchCase.close("parameters after the step", torch.get("trpo_params"), TorchCase.flat(theta, false));
        TorchCase.close("surrogate loss and KL after the step", torch.get("trpo_terms"), new double[] {trpo.losses().policy, trpo.losses().kl});
        assertTrue(trpo.losses().kl <= c.maxKl(), "KL " + trpo.losses().kl + " past the trust region");
    }
}
