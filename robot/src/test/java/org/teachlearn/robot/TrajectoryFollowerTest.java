package org.teachlearn.robot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.control.TrajectoryFollower;
import org.teachlearn.robot.control.TrajectoryFollower.Splice;

/** The joint trajectory controller's semantics that streaming clients rely on: splice at the start time, stamp 0 = now, hold the end. */
class TrajectoryFollowerTest {

    static final long MS = 1_000_000L;

    /** A goal of one-joint (or two-joint) points: {time_from_start ms, position...}. */
    record Points(double[][] rows) implements TrajectoryFollower.Goal {
        public int points() {
            return rows.length;
        }

        public long timeFromStart(int k) {
            return (long) rows[k][0] * MS;
        }

        public double position(int k, int joint) {
            return rows[k][1 + joint];
        }
    }

    static Points goal(double[]... rows) {
        return new Points(rows);
    }

    static double at(TrajectoryFollower f, long t) {
        double[] out = new double[1];
        f.sample(t * MS, out);
        return out[0];
    }

    @Test
    void streamedSinglePointsAreReachedOnePeriodAfterEachGoalFromWhereTheLastOneLeft() {
        TrajectoryFollower f = new TrajectoryFollower(1, 100);
        f.holdAt(new double[] {0});
        for (int step = 0; step < 50; step++) {
            long now = 10L * step;
            assertEquals(Splice.ACCEPTED, f.replace(goal(new double[] {10, step + 1}), now * MS, now * MS));
            assertEquals(step, at(f, now), 1e-12, "a new goal starts from where the last one is now");
            assertEquals(step + 0.5, at(f, now + 5), 1e-12);
            assertEquals(step + 1, at(f, now + 10), 1e-12, "reached one period later");
            assertEquals(step + 1, at(f, now + 500), 1e-12, "and held after");
            assertTrue(f.knots() <= 3, "streaming keeps the trajectory short: " + f.knots() + " knots");
        }
        double[] out = new double[1];
        assertFalse(f.sample(10_000 * MS, out), "past the end the trajectory holds its last point");
        assertTrue(f.sample(495 * MS, out));
    }

    @Test
    void pointsAreInterpolatedLinearlyInTimeAndTheLastHeld() {
        TrajectoryFollower f = new TrajectoryFollower(2, 100);
        f.holdAt(new double[] {1, -1});
        assertEquals(Splice.ACCEPTED, f.replace(goal(new double[] {100, 2, 0}, new double[] {300, 0, 4}), 1000 * MS, 1000 * MS));
        double[] out = new double[2];
        f.sample(1050 * MS, out);
        assertArrayEquals(new double[] {1.5, -0.5}, out, 1e-12, "bridge from the hold to the first point");
        f.sample(1200 * MS, out);
        assertArrayEquals(new double[] {1, 2}, out, 1e-12, "halfway between the two points");
        assertFalse(f.sample(1300 * MS, out));
        assertArrayEquals(new double[] {0, 4}, out, 1e-12);
    }

    @Test
    void aGoalStartingLaterLetsTheCurrentTrajectoryRunUntilThen() {
        TrajectoryFollower f = new TrajectoryFollower(1, 100);
        f.holdAt(new double[] {0});
        f.replace(goal(new double[] {1000, 10}), 0, 0);                  // 0 → 10 over a second
        assertEquals(Splice.ACCEPTED, f.replace(goal(new double[] {100, -5}), 500 * MS, 200 * MS));   // stamped 0.5 s, arriving at 0.2 s
        assertEquals(4, at(f, 400), 1e-12, "before its start the current trajectory goes on");
        assertEquals(5, at(f, 500), 1e-12, "at its start, where the current one is");
        assertEquals(0, at(f, 550), 1e-12, "then bridged to the new point");
        assertEquals(-5, at(f, 600), 1e-12);
    }

    @Test
    void aGoalStampedInThePastKeepsOnlyItsFuturePointsAndOneAllInThePastIsRefused() {
        TrajectoryFollower f = new TrajectoryFollower(1, 100);
        f.holdAt(new double[] {0});
        assertEquals(Splice.ACCEPTED, f.replace(goal(new double[] {100, 1}, new double[] {200, 2}, new double[] {300, 3}), 0, 150 * MS));
        assertEquals(0, at(f, 150), 1e-12, "from where the arm is now");
        assertEquals(1, at(f, 175), 1e-12, "to the first point still ahead, then on");
        assertEquals(2.5, at(f, 250), 1e-12);
        assertEquals(Splice.ALL_IN_PAST, f.replace(goal(new double[] {100, 9}), 0, 300 * MS));
        assertEquals(2.5, at(f, 250), 1e-12, "a refused goal changes nothing");
        assertEquals(Splice.ALL_IN_PAST, f.replace(goal(new double[] {0, 9}), 300 * MS, 300 * MS), "a point at now is in the past");
    }

    @Test
    void malformedGoalsChangeNothing() {
        TrajectoryFollower f = new TrajectoryFollower(1, 3);
        f.holdAt(new double[] {0.5});
        assertEquals(Splice.EMPTY, f.replace(goal(), 0, 0));
        assertEquals(Splice.NOT_INCREASING, f.replace(goal(new double[] {100, 1}, new double[] {100, 2}), 0, 0));
        assertEquals(Splice.TOO_LONG, f.replace(goal(new double[] {1, 1}, new double[] {2, 1}, new double[] {3, 1}, new double[] {4, 1}), 0, 0));
        assertEquals(0.5, at(f, 1000), 0);
        assertEquals(1, f.knots());
    }

    @Test
    void stopHoldsWhereTheTrajectoryIsAndTheNextGoalStartsThere() {
        TrajectoryFollower f = new TrajectoryFollower(1, 100);
        f.holdAt(new double[] {0});
        f.replace(goal(new double[] {1000, 10}), 0, 0);
        f.stopAt(300 * MS);
        assertEquals(3, at(f, 900), 1e-12);
        f.replace(goal(new double[] {100, 4}), 900 * MS, 900 * MS);
        assertEquals(3.5, at(f, 950), 1e-12);
    }

    @Test
    void longGoalsGrowTheBuffersOnceAndStreamingAllocatesNothing() {
        TrajectoryFollower f = new TrajectoryFollower(7, 10_000);
        f.holdAt(new double[7]);
        double[][] rows = new double[500][8];
        for (int k = 0; k < rows.length; k++) rows[k][0] = 10 * (k + 1);
        assertEquals(Splice.ACCEPTED, f.replace(goal(rows), 0, 0));
        assertEquals(502, f.knots(), "the hold, the bridge from it at the start, the 500 points");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Points one = goal(new double[] {10, 1, 2, 3, 4, 5, 6, 7});
        double[] out = new double[7];
        long sum = 0;
        for (int round = 0; round < 2; round++) {   // the first round warms up
            long before = threads.getCurrentThreadAllocatedBytes();
            for (long t = 0; t < 100_000; t++) {
                f.replace(one, t * 10 * MS, t * 10 * MS);
                f.sample(t * 10 * MS + 10 * MS, out);
                sum += (long) out[0];
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) assertTrue(bytes < 1000, bytes + " B allocated by 100,000 streamed goals");
        }
        assertEquals(200_000, sum);
    }

    @Test
    void trajectoryControllersOfEveryInterfaceAreCommandedWithPositions() {
        for (String t : new String[] {"position_controllers/JointTrajectoryController", "effort_controllers/JointTrajectoryController",
            "velocity_controllers/JointTrajectoryController", "position_controllers/ScaledJointTrajectoryController"}) {
            assertTrue(ControlMode.isTrajectoryController(t), t);
            assertEquals(ControlMode.POSITION, ControlMode.ofControllerType(t), t);
        }
        assertFalse(ControlMode.isTrajectoryController("effort_controllers/JointGroupPositionController"));
        assertEquals(ControlMode.EFFORT, ControlMode.ofControllerType("effort_controllers/JointGroupEffortController"));
        assertThrows(IllegalArgumentException.class, () -> ControlMode.ofControllerType("joint_state_controller/JointStateController"));
    }
}
