package org.teachlearn.learn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.policy.HandFeature;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.serve.OnnxPolicy;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.kinematics.KinematicChain;

/**
 * A policy that observes hand − goal ({@link HandFeature}) exports a model that takes the
 * contract's observation and computes the feature itself: the policy server's runtime, fed 18
 * values, gives the action our forward pass gives on the 21 the learner saw. Pick and place's
 * feature adds the cube's offset from its target: 22 values served, 28 learned from.
 */
class HandFeatureExportTest {

    @TempDir
    Path dir;

    @Test
    void theModelComputesTheHandFeatureFromTheContractsObservation() throws Exception {
        PolicyLayout layout = LearnFixtures.reachLayout().withHand(new HandFeature(LearnFixtures.arm(), ArmLayout.TEACH_ARM));
        assertEquals(layout.contractSize() + 3, layout.observationSize());
        servedAsLearned(layout, "input.obs=batchx18", "meta.obs_dim=18", "meta.features=hand_minus_goal/x,hand_minus_goal/y,hand_minus_goal/z");
    }

    @Test
    void pickAndPlacesFeatureAlsoHasTheCubesOffsetFromItsTarget() throws Exception {
        PolicyLayout layout = PolicyLayout.of(LearnFixtures.arm(), ArmLayout.TEACH_ARM, "pick_place", 7)
                .withHand(HandFeature.forTask(LearnFixtures.arm(), ArmLayout.TEACH_ARM, "pick_place"));
        assertEquals(layout.contractSize() + 6, layout.observationSize());
        servedAsLearned(layout, "input.obs=batchx22", "meta.obs_dim=22",
                "meta.features=hand_minus_goal/x,hand_minus_goal/y,hand_minus_goal/z,goal_minus_destination/x,goal_minus_destination/y,goal_minus_destination/z");
    }

    private void servedAsLearned(PolicyLayout layout, String... expectedReport) throws Exception {
        Rng rng = new Rng(21);
        int od = layout.observationSize(), oc = layout.contractSize(), ad = layout.actionSize(), n = layout.armJoints().length, rows = 60;
        int goals = layout.goalSize();
        KinematicChain chain = ArmLayout.TEACH_ARM.chain(LearnFixtures.arm());
        double[] obs = new double[rows * od], q = new double[n], dq = new double[n], goal = new double[goals], pose = new double[16];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                q[j] = chain.lower(j) + (chain.upper(j) - chain.lower(j)) * (0.5 + 0.45 * Math.sin(7 * r + j));
                dq[j] = 0.3 * rng.nextGaussian();
            }
            goal[0] = 0.3 + 0.2 * rng.nextGaussian();
            goal[1] = 0.2 * rng.nextGaussian();
            goal[2] = 0.4 + 0.1 * rng.nextGaussian();
            for (int j = 3; j < goals; j++) goal[j] = 0.1 * rng.nextGaussian();   // pick and place: yaw, then the target, near the cube or not
            layout.observe(q, dq, 0.02, goal, obs, r * od);
            chain.forward(q, pose);
            assertEquals(Math.tanh((pose[3] - goal[0]) / HandFeature.SCALE), obs[r * od + oc], 1e-12, "hand − goal, x");
            assertEquals(Math.tanh((pose[11] - goal[2]) / HandFeature.SCALE), obs[r * od + oc + 2], 1e-12, "hand − goal, z");
            if (goals == 7) {
                assertEquals(Math.tanh((goal[0] - goal[4]) / HandFeature.SCALE), obs[r * od + oc + 3], 1e-12, "cube − target, x");
                assertEquals(Math.tanh((goal[2] - goal[6]) / HandFeature.SCALE), obs[r * od + oc + 5], 1e-12, "cube − target, z");
            }
        }
        GaussianPolicy policy = new GaussianPolicy(layout, GaussianPolicy.Shape.of(64, 2), rng);
        for (Parameter p : policy.parameters()) for (int i = 0; i < p.size(); i++) p.value().data[i] += 0.2 * rng.nextGaussian();
        policy.norm().update(obs, rows);
        DMatrixRMaj u = new DMatrixRMaj(1, 1), command = new DMatrixRMaj(1, 1);
        policy.act(DMatrixRMaj.wrap(rows, od, obs), true, rng, u, command, null, null);

        Path file = dir.resolve("hand.onnx");
        PolicyExport.write(PolicyExport.toOnnx(policy, "bc", 1, 0.01, false), file);
        double worst = 0, feature = 0;
        try (OnnxPolicy served = new OnnxPolicy(Files.readAllBytes(file), null)) {
            double[] one = new double[oc], action = new double[ad];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(obs, r * od, one, 0, oc);   // what a policy server observes
                served.act(one, action);
                for (int j = 0; j < ad; j++) worst = Math.max(worst, Math.abs(action[j] - command.data[r * ad + j]));
            }
        }
        // the comparison can tell: our action with the feature zeroed is far from the served one
        double[] zeroed = obs.clone();
        for (int r = 0; r < rows; r++) java.util.Arrays.fill(zeroed, r * od + oc, r * od + od, 0);
        DMatrixRMaj without = new DMatrixRMaj(1, 1);
        policy.act(DMatrixRMaj.wrap(rows, od, zeroed), true, rng, u, without, null, null);
        for (int k = 0; k < rows * ad; k++) feature = Math.max(feature, Math.abs(without.data[k] - command.data[k]));
        assertTrue(worst < 1e-5, "the served action differs from ours by " + worst);
        assertTrue(feature > 1e-3, "the feature moves the action by only " + feature + ": the comparison could not tell a wrong one");
        String report = LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/onnx_check.py"), file.toString());
        for (String expected : expectedReport) {
            assertTrue(report.contains(expected), "onnx report lacks '" + expected + "':\n" + report);
        }
        assertTrue(!report.contains("meta.observation=position/arm_joint1,") || !report.split("meta.observation=")[1].split("\n")[0].contains("hand"),
                "the observation metadata lists the contract's entries only:\n" + report);
    }
}
