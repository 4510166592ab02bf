package org.teachlearn.robot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.expert.Expert;
import org.teachlearn.robot.sim.Simulation;

/** The scripted experts succeed in at least 98 % of seeded episodes of their task. */
public class ExpertTest {

    static int successes(String task, int episodes) throws Exception {
        return successes(SimulatorTest.sim(ControlMode.POSITION, task), task, episodes, 1000);
    }

    /** Episodes from seed {@code firstSeed} on in which the scripted expert of {@code task} succeeds on {@code s}'s arm. */
    public static int successes(Simulation s, String task, int episodes, long firstSeed) {
        int dof = s.armDof();
        Expert e = Expert.forTask(task, s.chain(), s.layout(), 0.01, 0.05);
        double[] q = new double[dof], act = new double[dof + 1], cmd = new double[dof];
        int ok = 0;
        for (int ep = 0; ep < episodes; ep++) {
            s.reset(firstSeed + ep);
            while (!s.done()) {
                s.armPositions(q);
                e.act(q, s.gripperOpening(), s.goal(), act);
                System.arraycopy(act, 0, cmd, 0, dof);
                s.step(cmd, act[dof]);
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
    void reachAroundExpertPassesThePoleBothWaysInAlmostEveryEpisode() throws Exception {
        int ok = successes("reach_around", 50);
        assertTrue(ok >= 49, "reach-around expert succeeded in " + ok + " of 50 episodes");
    }

    @Test
    void pickPlaceExpertSucceedsInAlmostEveryEpisode() throws Exception {
        int ok = successes("pick_place", 50);
        assertTrue(ok >= 49, "pick-and-place expert succeeded in " + ok + " of 50 episodes");
    }
}
