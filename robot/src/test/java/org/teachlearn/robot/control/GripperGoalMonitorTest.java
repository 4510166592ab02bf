package org.teachlearn.robot.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.teachlearn.robot.control.GripperGoalMonitor.Verdict;

class GripperGoalMonitorTest {

    @Test
    void reachedWithinTolerance() {
        GripperGoalMonitor m = new GripperGoalMonitor(0.002, 0.001, 1.0);
        m.start(0.02, 0);
        assertEquals(Verdict.MOVING, m.update(0.04, -0.05, 0.1));
        assertEquals(Verdict.REACHED, m.update(0.0215, -0.01, 0.5));
    }

    @Test
    void fingersBlockedShortOfTheGoalStallAfterTheTimeout() {
        GripperGoalMonitor m = new GripperGoalMonitor(0.002, 0.001, 1.0);
        m.start(0.0, 10);
        assertEquals(Verdict.MOVING, m.update(0.03, -0.05, 10.2));
        assertEquals(Verdict.MOVING, m.update(0.025, 0.0, 10.3));   // stopped on the cube: the clock runs from the last movement
        assertEquals(Verdict.MOVING, m.update(0.025, 0.0005, 11.2));
        assertEquals(Verdict.STALLED, m.update(0.025, 0.0, 11.31));
    }

    @Test
    void aGoalThatNeverMovesStallsFromItsStart() {
        GripperGoalMonitor m = new GripperGoalMonitor(0.002, 0.001, 0.5);
        m.start(0.0, 0);
        assertEquals(Verdict.MOVING, m.update(0.025, 0, 0.4));
        assertEquals(Verdict.STALLED, m.update(0.025, 0, 0.6));
    }

    @Test
    void nanReadingsNeitherSucceedNorStall() {
        GripperGoalMonitor m = new GripperGoalMonitor(0.002, 0.001, 0.5);
        m.start(0.01, 0);
        assertEquals(Verdict.MOVING, m.update(Double.NaN, Double.NaN, 5));
    }

    @Test
    void nonPositiveSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GripperGoalMonitor(0, 0.001, 1));
        assertThrows(IllegalArgumentException.class, () -> new GripperGoalMonitor(0.01, Double.NaN, 1));
    }
}
