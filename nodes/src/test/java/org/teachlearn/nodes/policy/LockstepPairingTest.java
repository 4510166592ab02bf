package org.teachlearn.nodes.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.observe.JointStateMap;
import org.teachlearn.nodes.observe.RecentJointStates;

/**
 * The orders in which a lockstep simulator's two messages of a state reach the policy server.
 * After a done state sim_arm publishes the next episode's first state without waiting, so the
 * first state's joint_states can overtake the done state's task/state: the done state must still
 * pair with its own joints (its transition carries the episode's end and the success bonus).
 */
class LockstepPairingTest {

    private final RecentJointStates readings = new RecentJointStates(new JointStateMap("j1", "j2"), 2, 8, true);
    private final LockstepPairing pairing = new LockstepPairing(100_000_000L, null, () -> { });

    {
        pairing.joints(readings);
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        pairing.close();
    }

    @Test
    void aDoneStateOvertakenByTheNextEpisodesJointsPairsWithItsOwn() {
        assertTrue(readings.put(joints(3_000_000_000L, 0.1, 0.2)));
        assertTrue(readings.put(joints(3_050_000_000L, 0.5, 0.6)));   // episode 2, step 0: before the done task/state
        state(state(3_000_000_000L, 1, 60, true));
        assertTrue(pairing.due(), "the done state pairs with the joints stamped as it is, not the newest");
        assertArrayEquals(new double[] {0.1, 0.2}, readings.positions(pairing.jointSlot()));
        assertTrue(pairing.done());
        pairing.answer();
        assertFalse(pairing.due());
        state(state(3_050_000_000L, 2, 0, false));
        assertTrue(pairing.due());
        assertEquals(0, pairing.step());
        assertArrayEquals(new double[] {0.5, 0.6}, readings.positions(pairing.jointSlot()));
        assertArrayEquals(new double[] {1.5, 1.6}, readings.velocities(pairing.jointSlot()));
    }

    @Test
    void aDoneStateReplacedBeforeItWasPairedIsHeldWithItsGoalUntilClosed() {
        assertTrue(readings.put(joints(3_000_000_000L, 0.1, 0.2)));
        TaskState done = state(3_000_000_000L, 1, 60, true);
        done.reward = 0.99;
        done.goal = new double[] {0.4, 0.1, 0.2};
        state(done);
        // not answered (the model was running ahead on the next joints): the next episode's first state comes in
        state(state(3_050_000_000L, 2, 0, false));
        assertFalse(pairing.due(), "the first state's joints are not in");
        assertTrue(pairing.heldDue(), "the replaced done state pairs with its joints");
        assertArrayEquals(new double[] {0.1, 0.2}, readings.positions(pairing.heldJointSlot()));
        assertArrayEquals(new double[] {0.4, 0.1, 0.2}, pairing.heldGoal(), "its own goal, not the next episode's");
        assertEquals(0.99, pairing.heldReward());
        assertEquals(60, pairing.heldStep());
        assertEquals(3_000_000_000L, pairing.heldStamp().toNanos());
        assertTrue(pairing.releaseHeld());
        assertFalse(pairing.heldDue());
        assertTrue(readings.put(joints(3_050_000_000L, 0.5, 0.6)));
        assertTrue(pairing.due());
        pairing.answer();
        assertFalse(pairing.releaseHeld(), "nothing held: an answered state replaced is not kept");
        state(state(3_100_000_000L, 2, 1, false));
        assertFalse(pairing.heldDue());
    }

    @Test
    void aStateWaitsForItsJointsAndSpeculationSeesOnlyNewerOnes() {
        assertTrue(readings.put(joints(1_000_000_000L, 0.1, 0.2)));
        state(state(1_000_000_000L, 1, 3, false));
        assertTrue(pairing.due());
        assertFalse(pairing.jointsAhead());
        pairing.answer();
        state(state(1_050_000_000L, 1, 4, false));
        assertFalse(pairing.due(), "task/state first: its joints are not in yet");
        assertTrue(readings.put(joints(1_050_000_000L, 0.3, 0.4)));
        assertTrue(pairing.due());
        pairing.answer();
        assertTrue(readings.put(joints(1_100_000_000L, 0.7, 0.8)));
        assertTrue(pairing.jointsAhead(), "joints of a state whose task/state is still on its way");
        assertFalse(pairing.due());
    }

    @Test
    void aRefusedReadingKeepsTheOthers() {
        assertTrue(readings.put(joints(1_000_000_000L, 0.1, 0.2)));
        JointState bad = joints(1_050_000_000L, Double.NaN, 0.2);
        assertFalse(readings.put(bad));
        assertTrue(readings.missing().contains("j1"), readings.missing());
        assertEquals(-1, readings.slotOf(1_050_000_000L));
        state(state(1_000_000_000L, 1, 3, false));
        assertTrue(pairing.due());
        assertArrayEquals(new double[] {0.1, 0.2}, readings.positions(pairing.jointSlot()));
    }

    @Test
    void onlyTheLastEightReadingsAreKept() {
        for (int k = 0; k < 9; k++) assertTrue(readings.put(joints(k * 50_000_000L, k, k)));
        assertEquals(-1, readings.slotOf(0));
        state(state(50_000_000L, 1, 1, false));
        assertTrue(pairing.due());
        assertArrayEquals(new double[] {1, 1}, readings.positions(pairing.jointSlot()));
    }

    /** The server's order: the pairing sees the goal the state replaces before the new one is copied. */
    private void state(TaskState m) {
        pairing.state(m, goal);
        System.arraycopy(m.goal, 0, goal, 0, goal.length);
    }

    private final double[] goal = new double[3];

    private static JointState joints(long stampNanos, double q1, double q2) {
        JointState m = new JointState();
        m.header.stamp.setNanos(stampNanos);
        m.name = new String[] {"j2", "j1"};
        m.position = new double[] {q2, q1};
        m.velocity = new double[] {q2 + 1, q1 + 1};
        return m;
    }

    private static TaskState state(long stampNanos, int episode, int step, boolean done) {
        TaskState m = new TaskState();
        m.header.stamp.setNanos(stampNanos);
        m.episode = episode;
        m.step = step;
        m.done = done;
        m.goal = new double[] {0.5, 0, 0.3};
        return m;
    }
}
