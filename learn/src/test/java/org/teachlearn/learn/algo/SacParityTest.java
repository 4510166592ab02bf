package org.teachlearn.learn.algo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.policy.RunningNorm;
import org.teachlearn.learn.policy.SquashedGaussianActor;
import org.teachlearn.learn.policy.TwinQ;

/**
 * One SAC update equals PyTorch's (Debian's python3-torch, float64) within 1e-6, step by step:
 * the soft target, the critic loss and its gradients, the actor loss through the squash and the
 * critics and its gradients, the temperature's gradient, and every parameter after the Adam steps
 * and the Polyak averaging. Weights are perturbed away from their initialisation, the target
 * critics differ from the critics, some transitions are terminal and the larger weights push some
 * samples into tanh's saturation.
 */
class SacParityTest {

    private static final int ROWS = 48;

    @TempDir
    Path dir;

    @Test
    void oneUpdateMatchesTorchStepByStep() throws Exception {
        oneUpdate(null);
    }

    /**
     * With the behaviour-cloning term on the first 16 rows and the Q-filter: the term's rows kept
     * (some, not all: the filter decides both ways here), the actor's loss and gradients.
     */
    @Test
    void oneUpdateWithTheDemonstrationTermMatchesTorch() throws Exception {
        oneUpdate(new DemoCloning(2.5, true, 16));
    }

    private void oneUpdate(DemoCloning cloning) throws Exception {
        Rng rng = new Rng(11);
        PolicyLayout layout = LearnFixtures.reachLayout();
        int od = layout.observationSize(), ad = layout.actionSize();
        int[] hidden = {24, 24};
        SquashedGaussianActor actor = new SquashedGaussianActor(layout, new RunningNorm(od), hidden, Activation.TANH, rng);
        TwinQ critics = new TwinQ(od, ad, hidden, Activation.TANH, rng);
        Sac sac = new Sac(actor, critics, Sac.Config.defaults().withLearningRate(1e-3).withTau(0.05).withGamma(0.97).withAlpha(0.3, true));
        sac.cloneDemonstrations(cloning);
        perturb(actor.net().parameters(), rng, 0.4);
        perturb(critics.parameters(), rng, 0.3);
        perturb(critics.targetParameters(), rng, 0.3);
        double[] obs = TorchCase.gaussian(rng, ROWS * od), next = TorchCase.gaussian(rng, ROWS * od);
        double[] u = new double[ROWS * ad];
        for (int k = 0; k < u.length; k++) u[k] = Math.tanh(rng.nextGaussian());
        double[] rewards = TorchCase.gaussian(rng, ROWS), notDone = new double[ROWS];
        for (int r = 0; r < ROWS; r++) notDone[r] = rng.nextDouble() < 0.25 ? 0 : 1;
        double[] epsNext = TorchCase.gaussian(rng, ROWS * ad), epsNow = TorchCase.gaussian(rng, ROWS * ad);
        double logAlpha = sac.logAlpha().value().data[0];

        TorchCase c = TorchCase.create();
        if (cloning != null) c.line("bc_weight", cloning.weight()).line("demo_rows", cloning.rows()).line("q_filter", cloning.qFilter() ? 1 : 0);
        c.line("actor_sizes", TorchCase.toDoubles(actor.net().sizes()))
                .line("q_sizes", od + ad, hidden[0], hidden[1], 1)
                .line("actor_params", TorchCase.flat(actor.net().parameters(), false))
                .line("q_params", TorchCase.flat(critics.parameters(), false))
                .line("target_params", TorchCase.flat(critics.targetParameters(), false))
                .line("log_alpha", logAlpha)
                .line("lr", sac.config().learningRate()).line("gamma", sac.config().gamma()).line("tau", sac.config().tau())
                .line("rows", ROWS).line("obs", obs).line("next", next).line("u", u).line("rewards", rewards).line("not_done", notDone)
                .line("eps_next", epsNext).line("eps_now", epsNow)
                .write(dir.resolve("case.txt"));
        LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/sac_reference.py"), dir.resolve("case.txt").toString(),
                dir.resolve("torch.txt").toString());
        Map<String, double[]> torch = TorchCase.read(dir.resolve("torch.txt"));

        DMatrixRMaj obsN = DMatrixRMaj.wrap(ROWS, od, obs), nextN = DMatrixRMaj.wrap(ROWS, od, next);
        double alpha = sac.alpha();
        sac.softTarget(nextN, rewards, notDone, epsNext, alpha);
        double criticLoss = sac.criticStep(obsN, u);
        TorchCase.close("critic loss", torch.get("sac_critic_loss"), new double[] {criticLoss});
        TorchCase.close("critic gradients", torch.get("sac_critic_grads"), TorchCase.flat(critics.parameters(), true));
        double actorLoss = sac.actorStep(obsN, u, epsNow, alpha);
        if (cloning != null) {
            TorchCase.close("demonstration rows the Q-filter kept", torch.get("sac_bc_kept"), new double[] {cloning.lastKept()});
            assertTrue(cloning.lastKept() > 0 && cloning.lastKept() < cloning.rows(), cloning.lastKept() + " of " + cloning.rows() + " kept");
        }
        TorchCase.close("actor loss", torch.get("sac_actor_loss"), new double[] {actorLoss});
        TorchCase.close("actor gradients", torch.get("sac_actor_grads"), TorchCase.flat(actor.net().parameters(), true));
        sac.temperatureStep();
        TorchCase.close("temperature gradient", torch.get("sac_alpha_grad"), sac.logAlpha().grad().data);
        critics.polyak(sac.config().tau());
        TorchCase.close("actor after the update", torch.get("sac_actor_after"), TorchCase.flat(actor.net().parameters(), false));
        TorchCase.close("critics after the update", torch.get("sac_q_after"), TorchCase.flat(critics.parameters(), false));
        TorchCase.close("target critics after the update", torch.get("sac_target_after"), TorchCase.flat(critics.targetParameters(), false));
        TorchCase.close("log alpha after the update", torch.get("sac_log_alpha_after"), sac.logAlpha().value().data);
        assertTrue(Math.abs(sac.logAlpha().value().data[0] - logAlpha) > 1e-4, "the temperature moved");
    }

    private static void perturb(java.util.List<Parameter> params, Rng rng, double scale) {
        for (Parameter p : params) for (int i = 0; i < p.size(); i++) p.value().data[i] += scale * rng.nextGaussian();
    }
}
