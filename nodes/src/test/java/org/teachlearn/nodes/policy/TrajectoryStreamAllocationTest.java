package org.teachlearn.nodes.policy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.RosPeers;

/**
 * Streaming to a JointTrajectoryController allocates nothing per goal on our side: policy_server's
 * {@link TrajectoryCommandOut} publishing (its thread and the flusher) and sim_arm taking each goal
 * on its connection's thread (decoding, matching joints by name, splicing it into the trajectory).
 */
class TrajectoryStreamAllocationTest {

    static final String[] ARM = {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7"};
    static final int GOALS = 20_000;

    @Test
    void streamedGoalsAllocateNothingPerGoalOnEitherSide() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=false", "_rate:=100", "_task:=none", "_urdf:=../urdf/teach_arm.urdf");
            sim.params().set("arm_controller/type", "position_controllers/JointTrajectoryController");
            Thread loop = new SimArm(sim).start();
            Node server = node("policy_server", master.uri());
            double[] rest = new double[7];
            java.util.concurrent.atomic.AtomicLong states = new java.util.concurrent.atomic.AtomicLong();
            server.subscribe("joint_states", JointState.TYPE, 0, m -> {
                synchronized (rest) {
                    for (int i = 0; i < 7; i++) rest[i] = m.position[java.util.Arrays.asList(m.name).indexOf(ARM[i])];
                }
                states.incrementAndGet();
            });
            TrajectoryCommandOut out = new TrajectoryCommandOut(server, "arm_controller");
            out.configure(ARM, 0.01);
            try {
                RosPeers.waitUntil(() -> out.publisher().subscriberCount() > 0 && states.get() > 0, 10, "sim_arm to connect");
                double[] targets;
                synchronized (rest) {
                    targets = rest.clone();
                }
                stream(out, targets);   // warm-up: JIT, buffers grown to size
                long[] ids = Thread.getAllStackTraces().keySet().stream().filter(t -> t == Thread.currentThread()
                        || t.getName().startsWith("tcpros-flush") || t.getName().startsWith("sub/arm_controller/command"))
                        .mapToLong(Thread::getId).toArray();
                long before = sum(threads, ids);
                stream(out, targets);
                double perGoal = (sum(threads, ids) - before) / (double) GOALS;
                System.out.printf("trajectory streaming: %d goals on %d threads, %.3f B allocated per goal%n", GOALS, ids.length, perGoal);
                assertTrue(ids.length >= 3, "did not find the threads: " + ids.length);
                assertTrue(perGoal < 1.0, perGoal + " B allocated per streamed goal");
            } finally {
                server.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    @Test
    void aModelWhoseJointsAreNotTheControllersIsRefusedAtOnce() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node server = node("policy_server", master.uri());
            server.params().set("arm_controller/joints", List.of("panda_joint1", "panda_joint2"));
            try {
                TrajectoryCommandOut out = new TrajectoryCommandOut(server, "arm_controller");
                var e = assertThrows(IllegalArgumentException.class, () -> out.configure(ARM, 0.01));
                assertTrue(e.getMessage().contains("arm_controller/joints [panda_joint1, panda_joint2]"), e.getMessage());
                server.params().set("arm_controller/joints", List.of(ARM[6], ARM[5], ARM[4], ARM[3], ARM[2], ARM[1], ARM[0]));
                out.configure(ARM, 0.01);   // the same joints in another order: the controller matches them by name
            } finally {
                server.shutdown("test over");
            }
        }
    }

    /** Sends GOALS goals around {@code targets}, a little apart so each is a new goal, at most ~10 µs apart on average. */
    private static void stream(TrajectoryCommandOut out, double[] targets) throws InterruptedException {
        for (int i = 0; i < GOALS; i++) {
            targets[0] += (i % 2 == 0 ? 1e-4 : -1e-4);
            out.send(targets, false);
            if ((i & 255) == 0) Thread.sleep(2);   // let sim_arm's reader keep up
        }
        Thread.sleep(300);
    }

    private static long sum(com.sun.management.ThreadMXBean threads, long[] ids) {
        long s = 0;
        for (long v : threads.getThreadAllocatedBytes(ids)) if (v > 0) s += v;
        return s;
    }
}
