package org.teachlearn.learn.algo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.DeterministicActor;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.policy.QFunction;
import org.teachlearn.learn.policy.RunningNorm;
import org.teachlearn.learn.policy.TwinQ;

/**
 * TD3's and DDPG's updates equal PyTorch's (Debian's python3-torch, float64) within 1e-6 step by
 * step: TD3 over two updates — target policy smoothing with clipped noise, the clipped double Q
 * target, the critics' loss and gradients each time, the delayed actor step with its loss and
 * gradients on the second, then the targets of both averaged — and DDPG's target, critic and
 * actor steps; every parameter and target parameter after. Target networks differ from the
 * networks, some transitions are terminal, and the smoothing noise is large enough to be clipped.
 */
class Td3DdpgParityTest {

    private static final int ROWS = 40;
    private static final int[] HIDDEN = {20, 20};

    @TempDir
    Path dir;

    private final Rng rng = new Rng(17);
    private PolicyLayout layout;
    private int od, ad;
    private double[] obs, next, u, rewards, notDone;

    private DeterministicActor actor() throws Exception {
        layout = LearnFixtures.reachLayout();
        od = layout.observationSize();
        ad = layout.actionSize();
        DeterministicActor actor = new DeterministicActor(layout, new RunningNorm(od), HIDDEN, Activation.TANH, rng);
        perturb(actor.net().parameters(), 0.4);
        perturb(actor.targetParameters(), 0.4);
        obs = TorchCase.gaussian(rng, ROWS * od);
        next = TorchCase.gaussian(rng, ROWS * od);
        u = new double[ROWS * ad];
        for (int k = 0; k < u.length; k++) u[k] = Math.tanh(rng.nextGaussian());
        rewards = TorchCase.gaussian(rng, ROWS);
        notDone = new double[ROWS];
        for (int r = 0; r < ROWS; r++) notDone[r] = rng.nextDouble() < 0.25 ? 0 : 1;
        return actor;
    }

    private TorchCase batch(TorchCase c, DeterministicActor actor, List<Parameter> q, List<Parameter> targetQ, double lr, double gamma, double tau) {
        return c.line("actor_sizes", TorchCase.toDoubles(actor.net().sizes())).line("q_sizes", od + ad, HIDDEN[0], HIDDEN[1], 1)
                .line("actor_params", TorchCase.flat(actor.net().parameters(), false))
                .line("target_actor_params", TorchCase.flat(actor.targetParameters(), false))
                .line("q_params", TorchCase.flat(q, false)).line("target_q_params", TorchCase.flat(targetQ, false))
                .line("lr", lr).line("gamma", gamma).line("tau", tau)
                .line("rows", ROWS).line("obs", obs).line("next", next).line("u", u).line("rewards", rewards).line("not_done", notDone);
    }

    private Map<String, double[]> torch(TorchCase c) throws Exception {
        c.write(dir.resolve("case.txt"));
        LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/td3_reference.py"), dir.resolve("case.txt").toString(),
                dir.resolve("torch.txt").toString());
        return TorchCase.read(dir.resolve("torch.txt"));
    }

    @Test
    void twoTd3UpdatesMatchTorch() throws Exception {
        twoTd3Updates(null);
    }

    /** TD3 with the behaviour-cloning term and the Q-filter on the first 14 rows (some kept, not all). */
    @Test
    void twoTd3UpdatesWithTheDemonstrationTermMatchTorch() throws Exception {
        twoTd3Updates(new DemoCloning(1.5, true, 14));
    }

    private static TorchCase cloning(DemoCloning cloning) {
        TorchCase c = TorchCase.create();
        if (cloning != null) c.line("bc_weight", cloning.weight()).line("demo_rows", cloning.rows()).line("q_filter", cloning.qFilter() ? 1 : 0);
        return c;
    }

    private static void kept(DemoCloning cloning, Map<String, double[]> torch, String name) {
        if (cloning == null) return;
        TorchCase.close(name + ": demonstration rows kept", torch.get(name + "_bc_kept"), new double[] {cloning.lastKept()});
        if (cloning.qFilter()) {
            org.junit.jupiter.api.Assertions.assertTrue(cloning.lastKept() > 0 && cloning.lastKept() < cloning.rows(),
                    cloning.lastKept() + " of " + cloning.rows() + " kept");
        } else {
            org.junit.jupiter.api.Assertions.assertEquals(cloning.rows(), cloning.lastKept());
        }
    }

    private void twoTd3Updates(DemoCloning cloning) throws Exception {
        DeterministicActor actor = actor();
        TwinQ critics = new TwinQ(od, ad, HIDDEN, Activation.TANH, rng);
        perturb(critics.parameters(), 0.3);
        perturb(critics.targetParameters(), 0.3);
        Td3 td3 = new Td3(actor, critics, Td3.Config.defaults().withLearningRate(1e-3).withDiscount(0.97, 0.05).withNoise(0.4, 0.5, 2, 0.1));
        td3.cloneDemonstrations(cloning);
        double[] eps0 = TorchCase.gaussian(rng, ROWS * ad), eps1 = TorchCase.gaussian(rng, ROWS * ad);
        Map<String, double[]> torch = torch(batch(cloning(cloning).line("mode", 3), actor, critics.parameters(), critics.targetParameters(),
                1e-3, 0.97, 0.05).line("policy_noise", 0.4).line("noise_clip", 0.5).line("eps_0", eps0).line("eps_1", eps1));

        DMatrixRMaj obsN = DMatrixRMaj.wrap(ROWS, od, obs), nextN = DMatrixRMaj.wrap(ROWS, od, next);
        td3.target(nextN, rewards, notDone, eps0);
        TorchCase.close("td3 critic loss, update 1", torch.get("td3_critic_loss_0"), new double[] {td3.criticStep(obsN, u)});
        TorchCase.close("td3 critic gradients, update 1", torch.get("td3_critic_grads_0"), TorchCase.flat(critics.parameters(), true));
        td3.target(nextN, rewards, notDone, eps1);
        TorchCase.close("td3 critic loss, update 2", torch.get("td3_critic_loss_1"), new double[] {td3.criticStep(obsN, u)});
        TorchCase.close("td3 critic gradients, update 2", torch.get("td3_critic_grads_1"), TorchCase.flat(critics.parameters(), true));
        TorchCase.close("td3 actor loss", torch.get("td3_actor_loss"), new double[] {td3.actorStep(obsN, u)});
        kept(cloning, torch, "td3");
        TorchCase.close("td3 actor gradients", torch.get("td3_actor_grads"), TorchCase.flat(actor.net().parameters(), true));
        actor.polyak(0.05);
        critics.polyak(0.05);
        TorchCase.close("td3 actor after", torch.get("td3_actor_after"), TorchCase.flat(actor.net().parameters(), false));
        TorchCase.close("td3 target actor after", torch.get("td3_target_actor_after"), TorchCase.flat(actor.targetParameters(), false));
        TorchCase.close("td3 critics after", torch.get("td3_q_after"), TorchCase.flat(critics.parameters(), false));
        TorchCase.close("td3 target critics after", torch.get("td3_target_q_after"), TorchCase.flat(critics.targetParameters(), false));
    }

    @Test
    void theTd3UpdateStepsItsActorEverySecondTime() throws Exception {
        DeterministicActor actor = actor();
        Td3 td3 = new Td3(actor, new TwinQ(od, ad, HIDDEN, Activation.TANH, rng), Td3.Config.defaults());
        double[] before = TorchCase.flat(actor.net().parameters(), false);
        org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(td3.update(obs, u, rewards, next, notDone, ROWS, rng).policy));
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, TorchCase.flat(actor.net().parameters(), false), "no actor step on update 1");
        org.junit.jupiter.api.Assertions.assertTrue(Double.isFinite(td3.update(obs, u, rewards, next, notDone, ROWS, rng).policy));
    }

    @Test
    void oneDdpgUpdateMatchesTorch() throws Exception {
        oneDdpgUpdate(null);
    }

    /** DDPG with the behaviour-cloning term on the first 10 rows, without the Q-filter (every row kept). */
    @Test
    void oneDdpgUpdateWithTheUnfilteredDemonstrationTermMatchesTorch() throws Exception {
        oneDdpgUpdate(new DemoCloning(0.8, false, 10));
    }

    private void oneDdpgUpdate(DemoCloning cloning) throws Exception {
        DeterministicActor actor = actor();
        QFunction critic = new QFunction(od, ad, HIDDEN, Activation.TANH, rng);
        perturb(critic.parameters(), 0.3);
        perturb(critic.targetParameters(), 0.3);
        Ddpg ddpg = new Ddpg(actor, critic, Ddpg.Config.defaults().withLearningRate(1e-3).withDiscount(0.97, 0.05));
        ddpg.cloneDemonstrations(cloning);
        Map<String, double[]> torch = torch(batch(cloning(cloning).line("mode", 1), actor, critic.parameters(), critic.targetParameters(),
                1e-3, 0.97, 0.05));

        DMatrixRMaj obsN = DMatrixRMaj.wrap(ROWS, od, obs), nextN = DMatrixRMaj.wrap(ROWS, od, next);
        ddpg.target(nextN, rewards, notDone);
        TorchCase.close("ddpg critic loss", torch.get("ddpg_critic_loss_0"), new double[] {ddpg.criticStep(obsN, u)});
        TorchCase.close("ddpg critic gradients", torch.get("ddpg_critic_grads_0"), TorchCase.flat(critic.parameters(), true));
        TorchCase.close("ddpg actor loss", torch.get("ddpg_actor_loss"), new double[] {ddpg.actorStep(obsN, u)});
        kept(cloning, torch, "ddpg");
        TorchCase.close("ddpg actor gradients", torch.get("ddpg_actor_grads"), TorchCase.flat(actor.net().parameters(), true));
        actor.polyak(0.05);
        critic.polyak(0.05);
        TorchCase.close("ddpg actor after", torch.get("ddpg_actor_after"), TorchCase.flat(actor.net().parameters(), false));
        TorchCase.close("ddpg target actor after", torch.get("ddpg_target_actor_after"), TorchCase.flat(actor.targetParameters(), false));
        TorchCase.close("ddpg critic after", torch.get("ddpg_q_after"), TorchCase.flat(critic.parameters(), false));
        TorchCase.close("ddpg target critic after", torch.get("ddpg_target_q_after"), TorchCase.flat(critic.targetParameters(), false));
    }

    private void perturb(List<Parameter> params, double scale) {
        for (Parameter p : params) for (int i = 0; i < p.size(); i++) p.value().data[i] += scale * rng.nextGaussian();
    }
}
