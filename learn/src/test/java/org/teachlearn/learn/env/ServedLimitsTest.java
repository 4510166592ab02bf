package org.teachlearn.learn.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.sim.Pushes;
import org.teachlearn.robot.urdf.Joint;

/**
 * The built-in simulator commanded as policy_server commands an arm: a far target moves at most
 * URDF velocity × scale × control period per step, from the measured pose after each reset, and
 * never past a URDF limit; without served limits the target reaches the simulator as it is.
 */
class ServedLimitsTest {

    @Test
    void farTargetsAreApproachedAtTheServedStepAndClampedToTheUrdf() throws Exception {
        ArmEnv env = new ArmEnv(LearnFixtures.arm(), ArmLayout.TEACH_ARM, "reach", 0.05, Pushes.NONE).servedLimits(0.5);
        int dof = env.simulation().armDof();
        double[] q0 = new double[dof], cmd = new double[dof + 1];
        for (int episode = 0; episode < 2; episode++) {
            env.reset(7 + episode);
            env.simulation().armPositions(q0);
            for (int t = 1; t <= 3; t++) {
                for (int i = 0; i < dof; i++) cmd[i] = q0[i] + 100;   // far beyond every upper limit
                cmd[dof] = 0.02;
                env.step(cmd, 0);
                double[] target = env.simulation().arm().targets();
                for (int i = 0; i < dof; i++) {
                    Joint j = env.simulation().chain().joint(i);
                    double expected = Math.min(j.upper(), q0[i] + t * j.velocity() * 0.5 * 0.05);
                    assertEquals(expected, target[i], 1e-12, "episode " + episode + ", step " + t + ", joint " + j.name());
                }
            }
        }
    }

    @Test
    void withoutServedLimitsTheCommandIsTheTarget() throws Exception {
        ArmEnv env = new ArmEnv(LearnFixtures.arm(), ArmLayout.TEACH_ARM, "reach", 0.05, Pushes.NONE);
        int dof = env.simulation().armDof();
        double[] cmd = new double[dof + 1];
        env.reset(7);
        env.simulation().armPositions(cmd);
        cmd[0] += 0.5;
        env.step(cmd, 0);
        assertEquals(cmd[0], env.simulation().arm().targets()[0], 1e-12);
    }
}
