package org.teachlearn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.teachlearn.nodes.teach.DragTeach;
import org.teachlearn.robot.teach.DragController;
import org.teachlearn.robot.teach.DragSettings;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;

/**
 * The drag benchmark, short and seeded: the feel figures of both modes (drift over 3 s instead of
 * 10), 20,000 in-process ticks, and 3 s of drag_teach at 1 kHz through ROS on an embedded master.
 */
class DragBenchTest {

    @Test
    void feelMeetsItsTargetsInBothModes() throws Exception {
        for (DragController.Mode mode : DragController.Mode.values()) {
            DragBench.Feel f = DragBench.feel(mode, 3);
            System.out.println(f);
            assertTrue(f.slow()[0] <= 5, mode + ": at most 5 N moves the hand at 0.1 m/s: " + f);
            assertEquals(0.1, f.slow()[1], 0.01, mode + ": the guided hand keeps 0.1 m/s");
            assertTrue(f.fast()[0] < 30 && Math.abs(f.fast()[1] - 0.3) < 0.03, mode + ": 0.3 m/s within a person's 30 N: " + f);
            assertTrue(f.drift()[0] <= 1e-3, mode + ": compensated tool, nobody touching: under 1 mm: " + f);
            assertTrue(f.driftUncompensated()[0] > 10 * f.drift()[0], mode + ": the compensation is what keeps it still: " + f);
            // gravity mode meets the 1 mm target; admittance on the simulated position controllers bounces a few mm (docs/nodes.md)
            assertTrue(f.table()[1] <= (mode == DragController.Mode.GRAVITY ? 1e-3 : 6e-3), mode + ": pushed into the table: " + f);
        }
    }

    @Test
    void gravityModeHoldsALockedOrientationAndDoesNotRing() throws Exception {
        double[] free = DragFeel.push(DragSettings.DEFAULTS, 10, 1.0), held = DragFeel.push(DragSettings.DEFAULTS.withSelectedAxes("x y z"), 10, 1.0);
        System.out.printf("gravity mode, 10 N along y for 1 s: free turned %.3f rad moved %.3f m; orientation locked turned %.4f rad moved %.3f m%n",
                free[0], free[1], held[0], held[1]);
        assertTrue(free[0] > 0.3, "a push off the wrist's axes turns a free hand: " + free[0]);
        assertTrue(held[0] < 0.05, "with ~selected_axes \"x y z\" it keeps its orientation: " + held[0]);
        assertTrue(held[1] > 0.3, "and still moves where it is pushed: " + held[1]);
        // each joint's damping is a sampled one: past 2·I/dt it reverses the joint's speed every tick and
        // grows (the wrist rang at ±1.3 rad/s, 50 Hz, when joint_damping 3 was applied to its 0.004 kg m²)
        for (DragSettings s : new DragSettings[] {DragSettings.DEFAULTS, DragSettings.DEFAULTS.withSelectedAxes("x y z")}) {
            double ringing = DragFeel.ringing(s);
            assertTrue(ringing < 0.01, "joint speeds after a twist is let go, rms over 1 s: " + ringing + " rad/s (" + s + ")");
        }
        double holding = DragFeel.ringing(DragSettings.DEFAULTS, true);
        assertTrue(holding < 0.01, "and while drag_teach holds the arm every tick (a hold damps by 2 N m s/rad or more, bounded alike): " + holding + " rad/s");
    }

    @Test
    void theTickAllocatesNothingAndTakesMicroseconds() throws Exception {
        for (DragController.Mode mode : DragController.Mode.values()) {
            double[] t = DragBench.tickTimes(mode, 20_000);
            System.out.printf("%s tick p50 %.1f us p99 %.1f us, %.3f B/tick%n", mode, t[0], t[1], t[3]);
            assertTrue(t[3] < 0.01, mode + ": bytes per tick " + t[3]);
            assertTrue(t[0] < 200, mode + ": p50 " + t[0] + " us (a loaded 2-core VM; the target is p99 <= 50 us, measured by the benchmark)");
        }
    }

    @Test
    void dragTeachAnswersEveryStateAt1kHzThroughRos() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node drag = Node.start(NodeArgs.parse("drag_teach", new String[] {"_urdf:=../urdf/teach_arm.urdf"}).withMaster(master.uri()));
            try {
                new DragTeach(drag);
                DragRoundTrip.Result r = DragRoundTrip.measure(master.uri(), 3000, 1000);
                System.out.println(r);
                assertTrue(r.answered() >= 0.98 * r.states(), "one command per state: " + r);
            } finally {
                drag.shutdown("test over");
            }
        }
    }
}
