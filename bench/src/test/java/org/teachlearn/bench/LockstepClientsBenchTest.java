package org.teachlearn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The naive lockstep clients benchmark, short and seeded (one start of 500 steps per client and
 * interface): it runs, and no client deadlocks on either arm interface. NaiveLockstepClientTest and
 * TrajectoryControllerTest start clients more often.
 */
class LockstepClientsBenchTest {

    @Test
    void naiveClientsOfBothInterfacesNeverDeadlock() throws Exception {
        List<LockstepClientsBench.Result> results = LockstepClientsBench.measure(LockstepClientsBench.root(), 1, 500, 0, 0, 11);
        results.forEach(System.out::println);
        assertEquals(4, results.size(), "rospy and roscpp on Float64MultiArray and JointTrajectory");
        for (var r : results) {
            assertEquals(0, r.deadlocks(), r.toString());
            assertTrue(r.stepsPerSecond() > 0, r.toString());
        }
    }
}
