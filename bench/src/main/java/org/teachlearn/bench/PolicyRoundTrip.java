package org.teachlearn.bench;

import java.util.Arrays;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;

/**
 * Round trips through a node over TCPROS, timed by one driver: an observation out, an answer back.
 * {@code policy}: joint_states + task/state to policy_server (lockstep), its arm command back.
 * {@code echo IN OUT}: joint_states to an echo node (roscpp's, in bench/policy.sh), the same
 * JointState back. Prints p50/p99/p99.9 in microseconds.
 *
 * Usage: PolicyRoundTrip policy|echo N   (with ROS_MASTER_URI set)
 */
public final class PolicyRoundTrip {

    private static volatile long answered;
    private static volatile Thread waiter;

    /** Counts an answer and wakes the driver, which parks rather than spins: a spinning driver takes a core from the node it times. */
    private static void answer() {
        answered++;
        Thread w = waiter;
        if (w != null) java.util.concurrent.locks.LockSupport.unpark(w);
    }

    public static void main(String[] args) throws Exception {
        boolean policy = args[0].equals("policy");
        int n = Integer.parseInt(args[1]);
        Node node = Node.start(NodeArgs.parse("round_trip", new String[0]).anonymous());
        Publisher<JointState> joints = node.advertise(policy ? "joint_states" : "/echo_in", JointState.TYPE, 1, false);
        Publisher<TaskState> states = policy ? node.advertise("task/state", TaskState.TYPE, 1, false) : null;
        if (policy) {
            node.subscribe("arm_controller/command", Float64MultiArray.TYPE, 0, m -> answer());
            node.subscribe("gripper_controller/command", Float64MultiArray.TYPE, 0, m -> { });   // the server answers once both listen
        }
        else node.subscribe("/echo_out", JointState.TYPE, 0, m -> answer());
        while (joints.subscriberCount() == 0 || (states != null && states.subscriberCount() == 0)) Thread.sleep(10);
        Thread.sleep(1000);

        JointState js = new JointState();
        js.name = new String[] {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7",
            "finger_left_joint", "finger_right_joint"};
        js.position = new double[] {0, -0.78, 0, -2.36, 0, 1.57, 0.78, 0.04, 0.04};
        js.velocity = new double[9];
        js.effort = new double[9];
        TaskState ts = new TaskState();
        ts.goal = new double[] {0.5, 0.1, 0.4};
        int warm = n / 10;
        waiter = Thread.currentThread();
        long[] rtt = new long[n];
        for (int i = -warm; i < n; i++) {
            long seen = answered;
            js.header.stamp.setNanos(1_000_000L * (i + warm + 1));   // a new state each time: lockstep answers each once
            ts.header.stamp.set(js.header.stamp);
            ts.step = i + warm + 1;
            long t0 = System.nanoTime();
            joints.publish(js);
            if (states != null) states.publish(ts);
            long deadline = t0 + 1_000_000_000L;
            while (answered == seen) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("no answer within 1 s (round trip " + i + ")");
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            if (i >= 0) rtt[i] = System.nanoTime() - t0;
        }
        Arrays.sort(rtt);
        System.out.printf("round trip %s: p50 %.1f us, p99 %.1f us, p99.9 %.1f us over %d%n", policy ? "policy_server (ours)" : "roscpp echo",
                rtt[n / 2] / 1e3, rtt[(int) (n * 0.99)] / 1e3, rtt[(int) (n * 0.999)] / 1e3, n);
        node.shutdown("done");
        System.exit(0);
    }
}
