package org.teachlearn.robot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.expert.Expert;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.sim.Simulation;

/** The scripted experts succeed in at least 98 % of seeded episodes of their task. */
class ExpertTest {

    static int successes(String task, int episodes) throws Exception {
        Simulation s = SimulatorTest.sim(ControlMode.POSITION, task);
        Expert e = Expert.forTask(task, s.chain(), ArmLayout.TEACH_ARM, 0.01, 0.05);
        double[] q = new double[7], act = new double[8], cmd = new double[7];
        int ok = 0;
        for (int ep = 0; ep < episodes; ep++) {
            s.reset(1000 + ep);
            while (!s.done()) {
                s.armPositions(q);
                e.act(q, s.gripperOpening(), s.goal(), act);
                System.arraycopy(act, 0, cmd, 0, 7);
                s.step(cmd, act[7]);
            }
            if (s.success()) ok++;
        }
        return ok;
    }

    @Test
    void reachExpertSucceedsInAlmostEveryEpisode() throws Exception {
        int ok = successes("reach", 50);
        assertTrue(ok >= 49, "reach expert succeeded in " + ok + " of 50 episodes");
    }

    @Test
    void pickPlaceExpertSucceedsInAlmostEveryEpisode() throws Exception {
        int ok = successes("pick_place", 50);
        assertTrue(ok >= 49, "pick-and-place expert succeeded in " + ok + " of 50 episodes");
    }
}
