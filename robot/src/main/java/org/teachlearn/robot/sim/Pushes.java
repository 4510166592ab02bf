package org.teachlearn.robot.sim;

import java.util.SplittableRandom;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * Perturbations for the reach-with-pushes task: in each episode, {@code count} pushes of
 * {@code force} newtons in a random direction on {@code link} for {@code duration} seconds, at
 * random times in the first half of the episode. They knock the arm into states a clean
 * demonstration never visits, which is where behaviour cloning's errors compound. A
 * {@link PushSchedule} applies them to a {@link Simulation}, in process and in sim_arm alike.
 */
public record Pushes(String link, double force, double duration, int count) {

    public static final Pushes NONE = new Pushes("hand", 0, 0, 0);

    /** Two 40 N pushes of a quarter second on {@code link} (on teach_arm, arm_link5: see {@link #linkOf}). */
    public static Pushes reach(String link) {
        return new Pushes(link, 40, 0.25, 2);
    }

    /** Where pushes land on an arm: the link two thirds down its chain (teach_arm's arm_link5, lab6_arm's wrist_2_link). */
    public static String linkOf(KinematicChain chain, RobotModel model) {
        return model.joint(chain.jointNames()[2 * chain.dof() / 3]).child();
    }

    public boolean any() {
        return count > 0 && force > 0;
    }

    /** Draws an episode's schedule: start step and force vector of each push. */
    void draw(SplittableRandom rng, int episodeSteps, int[] startStep, double[] forces) {
        for (int p = 0; p < count; p++) {
            startStep[p] = (int) (rng.nextDouble() * episodeSteps / 2);
            double x = rng.nextDouble() * 2 - 1, y = rng.nextDouble() * 2 - 1, z = rng.nextDouble() * 2 - 1;
            double n = Math.sqrt(x * x + y * y + z * z) + 1e-9;
            forces[3 * p] = force * x / n;
            forces[3 * p + 1] = force * y / n;
            forces[3 * p + 2] = force * z / n;
        }
    }

    int durationSteps(double controlPeriod) {
        return Math.max(1, (int) Math.round(duration / controlPeriod));
    }
}
