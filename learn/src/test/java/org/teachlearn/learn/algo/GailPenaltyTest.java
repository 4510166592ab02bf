package org.teachlearn.learn.algo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.teachlearn.learn.Rng;

/**
 * The gradient penalty does what it is for: on pairs it can tell apart perfectly (the same states,
 * the demonstrations' u against the opposite u), a discriminator trained without it grows its
 * slope between them without bound, and one trained with λ = 10 keeps the input gradient's norm
 * near the target 1 there, while it still tells the two apart.
 */
class GailPenaltyTest {

    private static final int OBS = 6, ACT = 3, DEMOS = 256, BATCH = 64;

    /** Mean ‖∇f‖ at points between the policy's and the demonstrations' pairs after 1,500 steps, and the accuracy of the last step. */
    private static double[] train(double lambda) {
        Rng rng = new Rng(11);
        Gail gail = new Gail(OBS, ACT, new Gail.Config(new int[] {32, 32}, 1e-3, 1, BATCH, Gail.Reward.GAIL, lambda, 1), rng);
        double[] demoObs = new double[DEMOS * OBS], demoU = new double[DEMOS * ACT];
        for (int i = 0; i < demoObs.length; i++) demoObs[i] = rng.nextGaussian();
        for (int i = 0; i < DEMOS; i++) for (int j = 0; j < ACT; j++) demoU[i * ACT + j] = 0.5 * Math.tanh(demoObs[i * OBS + j]) + 0.3;
        gail.fit(demoObs, DEMOS);
        double[] obs = new double[BATCH * OBS], u = new double[BATCH * ACT], s = null;
        for (int step = 0; step < 1500; step++) {
            for (int i = 0; i < BATCH; i++) {
                int row = rng.nextInt(DEMOS);
                System.arraycopy(demoObs, row * OBS, obs, i * OBS, OBS);
                for (int j = 0; j < ACT; j++) u[i * ACT + j] = -demoU[row * ACT + j];
            }
            s = gail.step(obs, u, 0, BATCH, demoObs, demoU, DEMOS, rng);
        }
        // the slope at points halfway between a state's two pairs (normalised as the discriminator sees them)
        double[] points = new double[BATCH * (OBS + ACT)];
        for (int i = 0; i < BATCH; i++) {
            int row = rng.nextInt(DEMOS);
            for (int j = 0; j < OBS; j++) points[i * (OBS + ACT) + j] = demoObs[row * OBS + j];   // the fit left these near unit scale
            for (int j = 0; j < ACT; j++) points[i * (OBS + ACT) + OBS + j] = 0;
        }
        Gail probe = new Gail(OBS, ACT, new Gail.Config(new int[] {32, 32}, 1e-3, 1, BATCH, Gail.Reward.GAIL, 1, 1), rng);
        for (int p = 0; p < probe.parameters().size(); p++) probe.parameters().get(p).value().setTo(gail.parameters().get(p).value());
        probe.penaltyAndGradients(points, BATCH);
        double norm = 0;
        double[] g = probe.lastInputGradient();
        for (int i = 0; i < BATCH; i++) {
            double sq = 0;
            for (int j = 0; j < OBS + ACT; j++) sq += g[i * (OBS + ACT) + j] * g[i * (OBS + ACT) + j];
            norm += Math.sqrt(sq) / BATCH;
        }
        return new double[] {norm, (s[1] + s[2]) / 2};
    }

    @Test
    void thePenaltyKeepsTheSlopeNearOneWhereTheUnpenalisedOneGrows() {
        double[] free = train(0), penalised = train(10);
        System.out.printf("between the pairs: mean |grad f| %.2f without the penalty, %.2f with λ = 10; accuracy %.0f %% and %.0f %%%n", free[0],
                penalised[0], 100 * free[1], 100 * penalised[1]);
        assertTrue(penalised[0] > 0.5 && penalised[0] < 1.6, "with the penalty the slope should stay near 1: " + penalised[0]);
        assertTrue(free[0] > 2 * penalised[0], "without the penalty the slope should grow well past it: " + free[0] + " vs " + penalised[0]);
        assertTrue(penalised[1] > 0.9, "the penalised discriminator still tells the pairs apart: " + penalised[1]);
    }
}
