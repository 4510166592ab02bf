package org.teachlearn.learn.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.expert.Expert;
import org.teachlearn.robot.sim.Pushes;
import org.teachlearn.robot.sim.ReachViaTask;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;

/**
 * reach_via, the non-Markovian demonstrator's task: the scripted expert dwells at the via point for
 * a wait of its own (0.55–1 s, different from episode to episode) and succeeds; a hand that goes
 * straight to the goal point, or leaves the via point after 0.25 s, fails.
 */
class ReachViaTest {

    private static ArmEnv env() throws Exception {
        RobotModel model = UrdfParser.parse(LearnFixtures.root().resolve("urdf/teach_arm.urdf"));
        return new ArmEnv(model, ArmLayout.TEACH_ARM, "reach_via", 0.01, Pushes.NONE);
    }

    @Test
    void theExpertDwellsAWaitOfItsOwnAndSucceeds() throws Exception {
        ArmEnv env = env();
        List<Double> dwells = new ArrayList<>();
        Evaluation.Result r = Evaluation.run(env, Evaluation.expert(env), 12, 40,
                e -> dwells.add(((ReachViaTask) env.simulation().task()).dwelt()));
        assertEquals(1.0, r.successRate(), "the scripted expert: " + r);
        double min = dwells.stream().mapToDouble(d -> d).min().orElseThrow(), max = dwells.stream().mapToDouble(d -> d).max().orElseThrow();
        assertTrue(min >= ReachViaTask.MIN_DWELL, "every dwell at least 0.5 s: " + dwells);
        assertTrue(max - min > 0.15, "the wait differs from episode to episode: " + dwells);
    }

    @Test
    void aHandThatDoesNotDwellFails() throws Exception {
        for (double leaveAfter : new double[] {0, 0.25}) {
            ArmEnv env = env();
            Expert reach = Expert.forTask("reach", env.simulation().chain(), ArmLayout.TEACH_ARM, 0.01, 0.05);
            double[] q = new double[7], goal = new double[3], via = new double[3], action = new double[8];
            int[] near = {0};
            Evaluation.Controller hurried = new Evaluation.Controller() {
                @Override
                public void act(double[] o, double[] command) {
                    double[] g = env.simulation().goal();
                    System.arraycopy(o, 0, q, 0, 7);
                    // the task's own count of the time within the via point's tolerance
                    if (((ReachViaTask) env.simulation().task()).dwelt() >= leaveAfter) near[0] = 1;
                    boolean leave = near[0] == 1;
                    System.arraycopy(g, leave ? 3 : 0, leave ? goal : via, 0, 3);
                    reach.act(q, 0, leave ? goal : via, action);
                    System.arraycopy(action, 0, command, 0, command.length);
                }

                @Override
                public void reset() {
                    near[0] = 0;
                }
            };
            Evaluation.Result r = Evaluation.run(env, hurried, 6, 40);
            assertEquals(0.0, r.successRate(), "leaving after " + leaveAfter + " s at the via point: " + r);
        }
    }
}
