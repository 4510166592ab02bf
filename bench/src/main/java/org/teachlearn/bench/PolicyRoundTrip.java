package org.teachlearn.bench;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;

/**
 * Round trips through nodes over TCPROS, timed by one driver that alternates between them trip by
 * trip, so all see the same machine (a noisy one drifts between runs):
 * <ul>
 * <li>policy_server (lockstep): joint_states + task/state in, the model, gripper and arm command out;
 * <li>a roscpp echo (bench/policy.sh runs peer.cpp's jsecho): one JointState in, the same out;
 * <li>a roscpp node with policy_server's topics and no model (peer.cpp's jspair, in namespace
 *     /pair): the same two messages in, paired by stamp, the same two out.
 * </ul>
 * The driver parks while it waits: a spinning driver takes a core from the node it times. Prints
 * p50/p99/p99.9 in microseconds for each.
 *
 * Usage: PolicyRoundTrip N   (with ROS_MASTER_URI set and the three nodes running)
 */
public final class PolicyRoundTrip {

    private static volatile Thread waiter;

    /** Where a trip goes: what it publishes and the answer that ends it. */
    private static final class Target {
        final String name;
        final Publisher<JointState> joints;
        final Publisher<TaskState> state;   // null: the echo takes the JointState alone
        final long[] trips;
        volatile long answers;

        Target(Node node, String name, String ns, boolean paired, int n) throws java.io.IOException {
            this.name = name;
            this.trips = new long[n];
            if (paired) {
                joints = node.advertise(ns + "joint_states", JointState.TYPE, 1, false);
                state = node.advertise(ns + "task/state", TaskState.TYPE, 1, false);
                node.subscribe(ns + "arm_controller/command", Float64MultiArray.TYPE, 0, m -> answered());
                node.subscribe(ns + "gripper_controller/command", Float64MultiArray.TYPE, 0, m -> { });   // both must listen for an answer
            } else {
                joints = node.advertise("/echo_in", JointState.TYPE, 1, false);
                state = null;
                node.subscribe("/echo_out", JointState.TYPE, 0, m -> answered());
            }
        }

        private void answered() {
            answers++;
            Thread w = waiter;
            if (w != null) LockSupport.unpark(w);
        }

        boolean connected() {
            return joints.subscriberCount() > 0 && (state == null || state.subscriberCount() > 0);
        }

        long trip(JointState js, TaskState ts, int i) {
            long seen = answers, t0 = System.nanoTime();
            joints.publish(js);
            if (state != null) state.publish(ts);
            long deadline = t0 + 1_000_000_000L;
            while (answers == seen) {
                if (System.nanoTime() > deadline) throw new IllegalStateException(name + ": no answer within 1 s (round trip " + i + ")");
                LockSupport.parkNanos(1_000_000);
            }
            return System.nanoTime() - t0;
        }
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Node node = Node.start(NodeArgs.parse("round_trip", new String[0]).anonymous());
        Target[] targets = {
            new Target(node, "policy_server (ours)", "", true, n),
            new Target(node, "roscpp echo", "", false, n),
            new Target(node, "roscpp same topics, no model", "/pair/", true, n),
        };
        while (!Arrays.stream(targets).allMatch(Target::connected)) Thread.sleep(10);
        Thread.sleep(1000);

        JointState js = new JointState();
        js.name = new String[] {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7",
            "finger_left_joint", "finger_right_joint"};
        js.position = new double[] {0, -0.78, 0, -2.36, 0, 1.57, 0.78, 0.04, 0.04};
        js.velocity = new double[9];
        js.effort = new double[9];
        TaskState ts = new TaskState();
        ts.goal = new double[] {0.5, 0.1, 0.4};
        waiter = Thread.currentThread();
        int warm = n / 10;
        for (int i = -warm; i < n; i++) {
            js.header.stamp.setNanos(1_000_000L * (i + warm + 1));   // a new state each time: lockstep answers each once
            ts.header.stamp.set(js.header.stamp);
            ts.step = i + warm + 1;
            for (Target t : targets) {
                long rtt = t.trip(js, ts, i);
                if (i >= 0) t.trips[i] = rtt;
            }
        }
        for (Target t : targets) report(t.name, t.trips);
        node.shutdown("done");
        System.exit(0);
    }

    private static void report(String what, long[] rtt) {
        Arrays.sort(rtt);
        int n = rtt.length;
        System.out.printf("round trip %s: p50 %.1f us, p99 %.1f us, p99.9 %.1f us over %d%n", what, rtt[n / 2] / 1e3, rtt[(int) (n * 0.99)] / 1e3,
                rtt[(int) (n * 0.999)] / 1e3, n);
    }
}
