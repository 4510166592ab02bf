package org.teachlearn.learn.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.sim.Pushes;
import org.teachlearn.robot.urdf.Joint;

/**
 * The environment's modes. Served limits: the built-in simulator commanded as policy_server
 * commands an arm (a far target moves at most URDF velocity × scale × control period per step,
 * from the measured pose after each reset, and never past a URDF limit; without them the target
 * reaches the simulator as it is). Fixed horizon: reaching the goal does not end the episode.
 */
class ArmEnvModesTest {

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

    /** The scripted expert reaches the goal early; with a fixed horizon the episode goes on to the time limit, never terminal, and holds the success. */
    @Test
    void aFixedHorizonEpisodeRunsTheWholeTimeLimitPastTheGoal() throws Exception {
        ArmEnv ended = new ArmEnv(LearnFixtures.arm(), ArmLayout.TEACH_ARM, "reach", 0.05, Pushes.NONE);
        ArmEnv fixed = new ArmEnv(LearnFixtures.arm(), ArmLayout.TEACH_ARM, "reach", 0.05, Pushes.NONE).fixedHorizon();
        double[] cmd = new double[ended.layout().actionSize()];
        ended.reset(3);
        int steps = 0;
        while (!ended.done()) {
            ended.expertCommand(cmd, 0);
            ended.step(cmd, 0);
            steps++;
        }
        assertTrue(ended.success() && ended.terminal() && steps < 60, "the expert reaches in " + steps + " steps");
        fixed.reset(3);
        int fixedSteps = 0;
        boolean reachedOnTheWay = false;
        while (!fixed.done()) {
            fixed.expertCommand(cmd, 0);
            fixed.step(cmd, 0);
            fixedSteps++;
            reachedOnTheWay |= fixed.success();
            assertFalse(fixed.terminal(), "terminal at step " + fixedSteps);
        }
        assertEquals(60, fixedSteps, "3 s at 0.05 s");
        assertTrue(reachedOnTheWay && fixed.success(), "the expert reached and still holds the goal at the end");
    }
}
