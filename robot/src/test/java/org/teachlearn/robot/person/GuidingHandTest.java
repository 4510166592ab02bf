package org.teachlearn.robot.person;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GuidingHandTest {

    /** A hand on a damped point mass (a free-floating arm as the person feels it): where it ends, how hard it pushed. */
    private static double[] guide(GuidingHand hand, double[] goal, double mass, double damping, double seconds) {
        double[] pose = {1, 0, 0, 0.3, 0, 1, 0, 0.0, 0, 0, 1, 0.5, 0, 0, 0, 1};
        double[] v = new double[3], w = new double[3], f = new double[3], t = new double[3];
        hand.start(pose, goal);
        double dt = 0.002, peak = 0;
        for (double time = 0; time < seconds; time += dt) {
            hand.push(dt, pose, v, w, f, t);
            peak = Math.max(peak, Math.sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]));
            for (int a = 0; a < 3; a++) {
                v[a] += dt * (f[a] - damping * v[a]) / mass;
                pose[4 * a + 3] += dt * v[a];
            }
        }
        return new double[] {pose[3], pose[7], pose[11], peak};
    }

    @Test
    void movesTheHandToTheGoalAtAPersonsSpeed() {
        GuidingHand hand = new GuidingHand(GuidingHand.Settings.defaults(), 3);
        double[] end = guide(hand, new double[] {0.5, 0.2, 0.3}, 3, 40, 3.5);
        assertEquals(0.5, end[0], 0.01);
        assertEquals(0.2, end[1], 0.01);
        assertEquals(0.3, end[2], 0.01);
        assertTrue(hand.averageSpeed() >= 0.1 && hand.averageSpeed() <= 0.3 + 1e-9, "average " + hand.averageSpeed());
    }

    @Test
    void neverPushesHarderThanTheCap() {
        GuidingHand hand = new GuidingHand(GuidingHand.Settings.defaults().withMaxForce(12), 1);
        double[] end = guide(hand, new double[] {0.9, -0.4, 0.1}, 10, 200, 3);   // a heavy, stiff arm: the person strains
        assertTrue(end[3] <= 12 + 1e-9, "peak " + end[3] + " N");
        assertTrue(end[3] > 11.9, "the cap was reached: " + end[3] + " N");
    }

    @Test
    void theSameSeedPushesTheSameWay() {
        double[] a = guide(new GuidingHand(GuidingHand.Settings.defaults().withHesitationRate(2), 9), new double[] {0.4, 0.1, 0.6}, 3, 40, 2);
        double[] b = guide(new GuidingHand(GuidingHand.Settings.defaults().withHesitationRate(2), 9), new double[] {0.4, 0.1, 0.6}, 3, 40, 2);
        double[] c = guide(new GuidingHand(GuidingHand.Settings.defaults().withHesitationRate(2), 10), new double[] {0.4, 0.1, 0.6}, 3, 40, 2);
        assertArrayEquals(a, b);
        assertTrue(a[3] != c[3] || a[0] != c[0], "another seed, another person");
    }

    @Test
    void hesitatesAndStillArrives() {
        GuidingHand hand = new GuidingHand(GuidingHand.Settings.defaults().withHesitationRate(3), 5);
        double[] end = guide(hand, new double[] {0.5, -0.1, 0.4}, 3, 40, 5);
        assertTrue(hand.hesitations() > 0, "hesitations at 3 per second");
        assertEquals(0.5, end[0], 0.01);
        assertTrue(hand.arrived());
    }

    @Test
    void twistsBackTowardsTheOrientationItGripped() {
        GuidingHand hand = new GuidingHand(GuidingHand.Settings.defaults().withTremor(0), 2);
        double[] pose = {1, 0, 0, 0.3, 0, 1, 0, 0, 0, 0, 1, 0.5, 0, 0, 0, 1};
        hand.start(pose, new double[] {0.3, 0, 0.5});
        double c = Math.cos(0.2), s = Math.sin(0.2);   // the hand turned 0.2 rad about z since
        double[] turned = {c, -s, 0, 0.3, s, c, 0, 0, 0, 0, 1, 0.5, 0, 0, 0, 1};
        double[] f = new double[3], t = new double[3];
        hand.push(0.01, turned, new double[3], new double[3], f, t);
        assertEquals(-0.2 * GuidingHand.Settings.defaults().turnStiffness(), t[2], 1e-9);
        assertEquals(0, t[0], 1e-12);
        assertEquals(0, t[1], 1e-12);
    }
}
