package org.teachlearn.robot.person;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.teachlearn.robot.person.Supervisor.Stray;

class SupervisorTest {

    private final Supervisor.Rules rules = Supervisor.Rules.reach();

    @Test
    void aPolicyComingCloserIsLeftAlone() {
        Supervisor s = new Supervisor(rules);
        s.watch(0, 0.4);
        for (int k = 1; k <= 100; k++) {
            double t = 0.01 * k;
            assertEquals(Stray.NONE, s.observe(t, 0.4 - 0.3 * t, 3 - t), "at " + t + " s");
        }
    }

    @Test
    void aStillToolIsTakenOverOncePatienceRunsOut() {
        Supervisor s = new Supervisor(rules);
        s.watch(0, 0.3);
        assertEquals(Stray.NONE, s.observe(0.45, 0.3, 2.55));
        assertEquals(Stray.NONE, s.observe(0.5, 0.299, 2.5), "a millimetre is no progress, but patience is not over yet");
        assertEquals(Stray.NO_PROGRESS, s.observe(0.55, 0.299, 2.45));
    }

    @Test
    void goingAwayBeyondTheMarginIsAStray() {
        Supervisor s = new Supervisor(rules);
        s.watch(0, 0.3);
        s.observe(0.1, 0.2, 2.9);
        assertEquals(Stray.NONE, s.observe(0.2, 0.24, 2.8));
        assertEquals(Stray.AWAY, s.observe(0.3, 0.26, 2.7));
    }

    @Test
    void tooLittleTimeForTheWayLeftIsAStrayOnceThePolicyHadItsMoment() {
        Supervisor s = new Supervisor(rules);
        s.watch(0, 0.8);
        assertEquals(Stray.NONE, s.observe(0.1, 0.79, 0.5), "the clock is not judged in the first moments");
        s.watch(0, 0.8);
        for (int k = 1; k <= 60; k++) s.observe(0.01 * k, 0.8 - 0.005 * k, 3 - 0.01 * k);   // slow but steady progress
        assertEquals(Stray.TIME, s.observe(0.61, 0.5, 1.5), "0.5 m at 0.4 m/s + 0.6 s is more than 1.5 s");
    }

    @Test
    void atTheGoalNothingIsJudgedAndAStoppedSupervisorIsQuiet() {
        Supervisor s = new Supervisor(rules);
        s.watch(0, 0.01);
        assertEquals(Stray.NONE, s.observe(2, 0.01, 0.1));
        s.stop();
        assertEquals(Stray.NONE, s.observe(3, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new Supervisor.Rules(0, 0.005, 0.05, 0.02, 0.4, 0.6));
    }
}
