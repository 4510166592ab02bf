package org.teachlearn.robot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.control.HoldCommand;
import org.teachlearn.robot.control.ReadingFreshness;
import org.teachlearn.robot.dynamics.Dynamics;

/** The freshness gate and the hold command that every commanding node uses (docs/nodes.md §8). */
class SafetyChecksTest {

    static final long S = 1_000_000_000L;

    @Test
    void aReadingIsFreshOnlyWhenItArrivedWithinTheWatchdogAndItsStampIsNearTheClock() {
        ReadingFreshness f = new ReadingFreshness(0.03, 0.05, false);
        long now = 100 * S, clock = 5000 * S;
        assertEquals(ReadingFreshness.NONE, f.judge(0, now, clock, clock));
        assertEquals(ReadingFreshness.FRESH, f.judge(now - S / 100, now, clock - S / 100, clock));
        assertEquals(ReadingFreshness.LATE, f.judge(now - S / 20, now, clock, clock), "arrived 50 ms ago");
        assertEquals(ReadingFreshness.OLD_STAMP, f.judge(now, now, clock - 3600 * S, clock), "stamped an hour ago, arriving now");
        assertEquals(ReadingFreshness.OLD_STAMP, f.judge(now, now, clock + S, clock), "stamped a second ahead of the clock");
        assertEquals(ReadingFreshness.UNSTAMPED, f.judge(now, now, 0, clock));
        assertEquals(ReadingFreshness.FRESH, f.judge(now, now, clock - 3600 * S, -1), "no clock to compare with");
        assertEquals(ReadingFreshness.FRESH, new ReadingFreshness(0.03, 0, false).judge(now, now, 0, clock), "stamp check off");
        assertTrue(f.describe(ReadingFreshness.OLD_STAMP, "joint_states", now, now, clock - 3600 * S, clock).contains("3600.000 s behind"));
        assertEquals(ReadingFreshness.FRESH, f.judgeLockstep(clock + S, clock), "lockstep: the /clock reader lags the states");
        assertEquals(ReadingFreshness.OLD_STAMP, f.judgeLockstep(clock - S, clock), "lockstep: a state a second older than the clock");
        assertEquals(ReadingFreshness.FRESH, f.judgeLockstep(0, 0), "lockstep: the first step of simulated time");
        assertEquals(ReadingFreshness.FRESH, new ReadingFreshness(0.03, 0.05, true).judge(now, now, 0, S / 100), "sim time starts at 0");
        assertThrows(IllegalArgumentException.class, () -> new ReadingFreshness(0, 0.05, false));
        assertThrows(IllegalArgumentException.class, () -> new ReadingFreshness(0.03, Double.NaN, false));
    }

    @Test
    void holdIsTheMeasuredPositionZeroVelocityOrGravityWithDamping() throws Exception {
        double[] q = {0.1, -0.3, 0.2, -2.0, 0.1, 1.8, 0.8}, qd = {0.5, 0, 0, 0, 0, 0, -1}, out = new double[7];
        new HoldCommand(ControlMode.POSITION, null, null).fill(q, qd, out);
        assertArrayEquals(q, out);
        new HoldCommand(ControlMode.VELOCITY, null, null).fill(q, qd, out);
        assertArrayEquals(new double[7], out);
        Dynamics d = DynamicsTest.dynamics();
        double[] gravity = new double[7], damping = {2, 2, 2, 2, 1, 1, 1};
        d.gravity(q, gravity);
        new HoldCommand(ControlMode.EFFORT, d, damping).fill(q, qd, out);
        for (int i = 0; i < 7; i++) assertEquals(gravity[i] - damping[i] * qd[i], out[i], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new HoldCommand(ControlMode.EFFORT, null, null));
    }
}
