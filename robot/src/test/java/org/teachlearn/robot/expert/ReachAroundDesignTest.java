package org.teachlearn.robot.expert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import java.nio.file.Path;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.sim.ReachAroundTask;
import org.teachlearn.robot.sim.Simulation;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.robot.urdf.UrdfParser;

/**
 * What makes reach_around a fair test of a multimodal demonstrator (docs/design.md §6): the goals
 * lie so close together that demonstrations of both ways start from the same states, the expert
 * takes each way about as often, and at the turning point the two ways' actions part sideways while
 * their average heads at the pole — a policy that averages them runs into it.
 */
class ReachAroundDesignTest {

    private static final int EPISODES = 60;

    @Test
    void theGoalsLieTogetherAndTheExpertTakesBothWaysAboutAsOften() throws Exception {
        Simulation s = sim();
        ReachAroundExpert e = new ReachAroundExpert(s.chain(), s.layout());
        int dof = s.armDof(), left = 0, right = 0, ok = 0;
        double[] q = new double[dof], act = new double[dof + 1], cmd = new double[dof], tcp = new double[16], first = null;
        for (int ep = 0; ep < EPISODES; ep++) {
            s.reset(500 + ep);
            double[] goal = s.goal().clone();
            if (first == null) first = goal;
            for (int a = 0; a < 3; a++) assertEquals(first[a], goal[a], 0.031, "episode " + ep + ": goals lie within 1.5 cm of one point");
            double passed = 0;
            while (!s.done()) {
                s.armPositions(q);
                e.act(q, s.gripperOpening(), goal, act);
                System.arraycopy(act, 0, cmd, 0, dof);
                s.step(cmd, act[dof]);
                s.tcpPose(tcp);
                double[] al = alongLateral(goal, tcp[3], tcp[7]);
                if (passed == 0 && al[0] >= 0) passed = al[1];
            }
            if (!s.success()) continue;   // one may fail (below); it may not have passed the pole
            ok++;
            assertEquals(ReachAroundExpert.coin(goal), Math.signum(passed), 0, "episode " + ep + " passed the pole on its coin's side");
            if (passed > 0) left++;
            else right++;
        }
        assertTrue(ok >= EPISODES - 1, "the expert succeeded in " + ok + " of " + EPISODES);
        assertTrue(left >= EPISODES / 3 && right >= EPISODES / 3, "both ways about as often: " + left + " left, " + right + " right");
    }

    @Test
    void atTheTurningPointTheTwoWaysPartSidewaysAndTheirAverageHeadsIntoThePole() throws Exception {
        Simulation s = sim();
        ReachAroundExpert e = new ReachAroundExpert(s.chain(), s.layout());
        int dof = s.armDof();
        double[] q = new double[dof], act = new double[dof + 1], cmd = new double[dof], tcp = new double[16];
        s.reset(7);
        double[] goal = s.goal().clone();
        while (!s.done()) {   // the expert's own way to where the ways part
            s.armPositions(q);
            s.tcpPose(tcp);
            if (alongLateral(goal, tcp[3], tcp[7])[0] >= -ReachAroundExpert.DECIDE - ReachAroundExpert.AT) break;
            e.act(q, s.gripperOpening(), goal, act);
            System.arraycopy(act, 0, cmd, 0, dof);
            s.step(cmd, act[dof]);
        }
        assertTrue(!s.done(), "the hand reached the turning point");
        double[] other = goal.clone();
        while (ReachAroundExpert.coin(other) == ReachAroundExpert.coin(goal)) other[0] = Math.nextUp(other[0]);   // the same goal, the other coin
        double[] here = alongLateral(goal, tcp[3], tcp[7]);
        double[] a = step(e, s, q, goal, tcp), b = step(e, s, q, other, tcp);
        double forward = (a[0] + b[0]) / 2 - here[0], sideways = (a[1] + b[1]) / 2 - here[1];
        assertTrue(a[1] - here[1] > 0.01 && b[1] - here[1] < -0.01 || a[1] - here[1] < -0.01 && b[1] - here[1] > 0.01,
                "the ways part sideways: " + (a[1] - here[1]) + " and " + (b[1] - here[1]));
        assertTrue(forward > 0.01, "their average goes forward, " + forward + " m");
        assertTrue(Math.abs(sideways) < 0.2 * forward, "... at the pole: " + sideways + " m sideways");
        double lateralAtPole = Math.abs(here[1] + sideways / forward * -here[0]);
        assertTrue(lateralAtPole < ReachAroundTask.POLE_RADIUS, "kept on, the average meets the pole's axis " + lateralAtPole + " m off");
    }

    /** Where the hand's command for {@code goal} puts the tool centre point, in (along, lateral) of the pole's line. */
    private static double[] step(ReachAroundExpert e, Simulation s, double[] q, double[] goal, double[] tcp) {
        double[] act = new double[q.length + 1], target = new double[q.length], pose = new double[16];
        e.act(q, s.gripperOpening(), goal, act);
        System.arraycopy(act, 0, target, 0, q.length);
        s.chain().forward(target, pose);
        return alongLateral(goal, pose[3], pose[7]);
    }

    /** (along, lateral) of (x, y) in the frame of the pole's axis, along its line to the goal, lateral > 0 to the left. */
    private static double[] alongLateral(double[] goal, double x, double y) {
        double ex = goal[0] - goal[3], ey = goal[1] - goal[4], len = Math.hypot(ex, ey);
        ex /= len;
        ey /= len;
        double hx = x - goal[3], hy = y - goal[4];
        return new double[] {hx * ex + hy * ey, ex * hy - ey * hx};
    }

    private static Simulation sim() throws Exception {
        Task t = Task.named("reach_around");
        return new Simulation(UrdfParser.parse(Path.of("../urdf/teach_arm.urdf")), ArmLayout.TEACH_ARM, t.physics(), Simulation.Settings.defaults(ControlMode.POSITION), t);
    }
}
