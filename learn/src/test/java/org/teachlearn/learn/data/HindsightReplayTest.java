package org.teachlearn.learn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.SteadyAllocation;

/**
 * Hindsight relabelling in the replay buffer: a relabelled sample's goal is the hand position
 * after itself or a later transition of its own episode (never another episode's, also with two
 * environments' episodes interleaved, across the ring's wrap and after a checkpoint), with the
 * reward and the ending recomputed; sampling allocates nothing.
 *
 * <p>The toy task: one joint q whose value is the hand position, a goal of one value; an
 * observation is (q, goal); the reward is minus the distance, plus 1 within 0.02, which ends.
 */
class HindsightReplayTest {

    static double reward(double distance) {
        return distance < 0.02 ? 1 - distance : -distance;
    }

    static Hindsight hindsight(double share) {
        return new Hindsight(share, 1, 1, 1, (q, goal) -> goal[0] = q[0], HindsightReplayTest::reward, d -> d < 0.02);
    }

    /**
     * Episode e of stream s moves q from 100·e + 10·s by 1 per step, {@code steps} steps, goal
     * 1000 (never reached), so q says which episode and which step a value comes from.
     */
    static void fill(ReplayBuffer buffer, int episodes, int steps) {
        double[] o = new double[4], n = new double[4], u = new double[2];
        for (int e = 0; e < episodes; e++) {
            for (int t = 0; t < steps; t++) {
                for (int s = 0; s < 2; s++) {   // the two environments' transitions interleave
                    o[2 * s] = 100 * e + 10 * s + t;
                    o[2 * s + 1] = 1000;
                    n[2 * s] = o[2 * s] + 1;
                    n[2 * s + 1] = 1000;
                    buffer.add(o, u, -(1000 - n[2 * s]), n, false, s, t == steps - 1);
                }
            }
        }
    }

    static void assertRelabelledWithinTheirEpisode(ReplayBuffer buffer, Hindsight h, int steps) {
        int batch = 500;
        double[] o = new double[batch * 2], u = new double[batch], r = new double[batch], n = new double[batch * 2], d = new double[batch];
        buffer.sample(batch, new Rng(3), o, u, r, n, d, 0, h);
        Set<Double> offsets = new HashSet<>();
        for (int b = 0; b < batch; b++) {
            double q = o[2 * b], goal = o[2 * b + 1], reached = n[2 * b];
            assertEquals(goal, n[2 * b + 1], "observation and next observation share the goal");
            double start = Math.floor(q / 10) * 10;   // the episode's first q
            assertTrue(goal >= q + 1 && goal <= start + steps, "goal " + goal + " for q " + q + ": after it, within its episode");
            double distance = Math.abs(goal - reached);
            assertEquals(reward(distance), r[b], 1e-12);
            assertEquals(distance < 0.02 ? 0 : 1, d[b]);
            offsets.add(goal - reached);
        }
        assertTrue(offsets.contains(0.0) && offsets.size() >= steps - 1, "goals from the transition itself to its episode's end: " + offsets);
    }

    @Test
    void aRelabelledGoalIsReachedLaterInTheSameEpisode() {
        ReplayBuffer buffer = new ReplayBuffer(1000, 2, 1).linkingEpisodes(2);
        fill(buffer, 3, 8);
        assertRelabelledWithinTheirEpisode(buffer, hindsight(1), 8);
    }

    @Test
    void theRingsWrapBreaksNoEpisode() {
        ReplayBuffer buffer = new ReplayBuffer(37, 2, 1).linkingEpisodes(2);   // 37 slots: wraps mid-episode, again and again
        fill(buffer, 9, 8);
        assertEquals(37, buffer.size());
        assertRelabelledWithinTheirEpisode(buffer, hindsight(1), 8);
    }

    @Test
    void theHandFeatureIsRecomputedForTheNewGoal() {
        // observation (q, goal, tanh((q − goal) / 0.05)): the feature stored for goal 1000, relabelled with the new goal
        ReplayBuffer buffer = new ReplayBuffer(100, 3, 1).linkingEpisodes(1);
        double[] o = new double[3], n = new double[3], u = new double[1];
        for (int t = 0; t < 8; t++) {
            o[0] = t;
            o[1] = 1000;
            o[2] = -1;
            n[0] = t + 0.01;
            n[1] = 1000;
            n[2] = -1;
            buffer.add(o, u, -1, n, false, 0, t == 7);
        }
        Hindsight h = new Hindsight(1, 1, 1, 1, (q, goal) -> goal[0] = q[0], HindsightReplayTest::reward, d -> d < 0.02)
                .withFeature((q, goal, out, at) -> out[at] = Math.tanh((q[0] - goal[0]) / 0.05), 2);
        int batch = 200;
        double[] bo = new double[batch * 3], bu = new double[batch], br = new double[batch], bn = new double[batch * 3], bd = new double[batch];
        buffer.sample(batch, new Rng(6), bo, bu, br, bn, bd, 0, h);
        for (int b = 0; b < batch; b++) {
            double goal = bo[3 * b + 1];
            assertTrue(goal < 1000, "relabelled");
            assertEquals(Math.tanh((bo[3 * b] - goal) / 0.05), bo[3 * b + 2], 1e-12, "the observation's feature for its new goal");
            assertEquals(Math.tanh((bn[3 * b] - goal) / 0.05), bn[3 * b + 2], 1e-12, "the next observation's feature for its new goal");
        }
    }

    @Test
    void aShareOfZeroOrAnUnrelabelledSampleKeepsTheStoredTransition() {
        ReplayBuffer buffer = new ReplayBuffer(1000, 2, 1).linkingEpisodes(2);
        fill(buffer, 3, 8);
        double[] o = new double[200], u = new double[100], r = new double[100], n = new double[200], d = new double[100];
        buffer.sample(100, new Rng(4), o, u, r, n, d, 0, hindsight(0));
        for (int b = 0; b < 100; b++) {
            assertEquals(1000, o[2 * b + 1]);
            assertEquals(-(1000 - n[2 * b]), r[b], 1e-12);
            assertEquals(1, d[b]);
        }
        ReplayBuffer unlinked = new ReplayBuffer(10, 2, 1);
        unlinked.add(new double[2], new double[1], 0, new double[2], false, 0);
        assertThrows(IllegalStateException.class, () -> unlinked.sample(1, new Rng(1), o, u, r, n, d, 0, hindsight(1)));
        assertThrows(IllegalArgumentException.class, () -> hindsight(1.5));
    }

    @Test
    void theLinksSurviveACheckpoint() throws Exception {
        ReplayBuffer buffer = new ReplayBuffer(100, 2, 1).linkingEpisodes(2);
        fill(buffer, 3, 8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        buffer.write(new DataOutputStream(bytes));
        ReplayBuffer restored = new ReplayBuffer(100, 2, 1).linkingEpisodes(2);
        restored.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertRelabelledWithinTheirEpisode(restored, hindsight(1), 8);
    }

    @Test
    void addingAndRelabellingAllocateNothing() throws Exception {
        ReplayBuffer buffer = new ReplayBuffer(300, 2, 1).linkingEpisodes(2);
        Hindsight h = hindsight(0.8);
        double[] o = new double[512], u = new double[256], r = new double[256], n = new double[512], d = new double[256];
        double[] obs = {1, 1000, 2, 1000}, next = {2, 1000, 3, 1000}, act = new double[2];
        Rng rng = new Rng(5);
        SteadyAllocation.assertQuiet("adding and relabelling", 2000, 500, 2, 8, i -> {
            for (int s = 0; s < 2; s++) buffer.add(obs, act, -1, next, false, s, i % 60 == 59);
            buffer.sample(256, rng, o, u, r, n, d, 0, h);
        });
    }
}
