package org.teachlearn.learn.algo;

import java.nio.file.Path;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.MixturePolicy;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * The mixture-of-Gaussians head equals PyTorch's (float64) within 1e-6 from the same weights and
 * labelled states: the negative log-likelihood of torch.distributions' MixtureSameFamily (log-sum-exp
 * over the components), its gradients with respect to every weight, and the components' weights.
 * Targets are drawn near different components and far from all, so both the responsibilities and
 * the log-sum-exp's shift are exercised.
 */
class MixtureParityTest {

    private static final int ROWS = 40, COMPONENTS = 3;

    @TempDir
    Path dir;

    @Test
    void mixtureNllGradientsAndWeightsMatchTorch() throws Exception {
        Rng rng = new Rng(11);
        PolicyLayout layout = LearnFixtures.reachLayout();
        int od = layout.observationSize(), act = layout.actionSize();
        MixturePolicy policy = new MixturePolicy(layout, COMPONENTS, new int[] {32, 32}, Activation.TANH, rng);
        for (Parameter p : policy.parameters()) for (int i = 0; i < p.size(); i++) p.value().data[i] += 0.1 * rng.nextGaussian();
        double[] obs = TorchCase.gaussian(rng, ROWS * od), u = new double[ROWS * act];
        DMatrixRMaj x = new DMatrixRMaj(ROWS, od);
        System.arraycopy(obs, 0, x.data, 0, obs.length);
        DMatrixRMaj out = policy.net().forward(x);   // the case's observations stand normalised
        for (int r = 0; r < ROWS; r++) {
            int k = r % COMPONENTS;
            for (int j = 0; j < act; j++) {
                double near = out.data[r * out.numCols + policy.mixture().meanOffset(k) + j];
                u[r * act + j] = r % 5 == 4 ? 4 * rng.nextGaussian() : near + 0.3 * rng.nextGaussian();
            }
        }
        TorchCase in = TorchCase.create();
        in.line("sizes", TorchCase.toDoubles(policy.net().sizes()));
        in.line("params", TorchCase.flat(policy.parameters(), false));
        in.line("rows", ROWS);
        in.line("components", COMPONENTS);
        in.line("actions", act);
        in.line("obs", obs);
        in.line("u", u);
        in.write(dir.resolve("case.txt"));
        LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/mixture_reference.py"), dir.resolve("case.txt").toString(),
                dir.resolve("torch.txt").toString());
        Map<String, double[]> torch = TorchCase.read(dir.resolve("torch.txt"));

        BehaviourCloning bc = new BehaviourCloning(policy, new BehaviourCloning.Config(BehaviourCloning.Loss.MIXTURE_NLL, 1e-3, 1, ROWS, 1));
        double loss = bc.lossAndGradients(obs, u, ROWS);
        TorchCase.close("mixture negative log-likelihood", torch.get("mixture_loss"), new double[] {loss});
        TorchCase.close("mixture gradients", torch.get("mixture_grads"), TorchCase.flat(policy.parameters(), true));
        double[] weights = new double[ROWS * COMPONENTS], row = new double[COMPONENTS];
        out = policy.net().forward(x);
        for (int r = 0; r < ROWS; r++) {
            policy.mixture().weights(out.data, r, row);
            System.arraycopy(row, 0, weights, r * COMPONENTS, COMPONENTS);
        }
        TorchCase.close("mixture weights", torch.get("mixture_weights"), weights);
    }
}
