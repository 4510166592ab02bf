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
 * Round trips through a node over TCPROS, timed by one driver: joint_states + task/state to
 * policy_server (lockstep) and its arm command back, and a JointState to an echo node (roscpp's,
 * in bench/policy.sh) and back. The two alternate trip by trip, so both see the same machine
 * (a noisy one drifts between runs). The driver parks while it waits: a spinning driver takes a
 * core from the node it times. Prints p50/p99/p99.9 in microseconds for each.
 *
 * Usage: PolicyRoundTrip N   (with ROS_MASTER_URI set, policy_server and the echo running)
 */
public final class PolicyRoundTrip {

    private static volatile long policyAnswers, echoAnswers;
    private static volatile Thread waiter;

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Node node = Node.start(NodeArgs.parse("round_trip", new String[0]).anonymous());
        Publisher<JointState> joints = node.advertise("joint_states", JointState.TYPE, 1, false);
        Publisher<TaskState> states = node.advertise("task/state", TaskState.TYPE, 1, false);
        Publisher<JointState> echoOut = node.advertise("/echo_in", JointState.TYPE, 1, false);
        node.subscribe("arm_controller/command", Float64MultiArray.TYPE, 0, m -> {
            policyAnswers++;
            wake();
        });
        node.subscribe("gripper_controller/command", Float64MultiArray.TYPE, 0, m -> { });   // the server answers once both listen
        node.subscribe("/echo_out", JointState.TYPE, 0, m -> {
            echoAnswers++;
            wake();
        });
        while (joints.subscriberCount() == 0 || states.subscriberCount() == 0 || echoOut.subscriberCount() == 0) Thread.sleep(10);
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
        long[] policy = new long[n], echo = new long[n];
        for (int i = -warm; i < n; i++) {
            js.header.stamp.setNanos(1_000_000L * (i + warm + 1));   // a new state each time: lockstep answers each once
            ts.header.stamp.set(js.header.stamp);
            ts.step = i + warm + 1;
            long seen = policyAnswers, t0 = System.nanoTime();
            joints.publish(js);
            states.publish(ts);
            await(() -> policyAnswers != seen, i);
            long t1 = System.nanoTime();
            long seenEcho = echoAnswers;
            echoOut.publish(js);
            await(() -> echoAnswers != seenEcho, i);
            if (i >= 0) {
                policy[i] = t1 - t0;
                echo[i] = System.nanoTime() - t1;
            }
        }
        report("policy_server (ours)", policy);
        report("roscpp echo", echo);
        node.shutdown("done");
        System.exit(0);
    }

    private static void wake() {
        Thread w = waiter;
        if (w != null) LockSupport.unpark(w);
    }

    private static void await(java.util.function.BooleanSupplier answered, int trip) {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (!answered.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no answer within 1 s (round trip " + trip + ")");
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static void report(String what, long[] rtt) {
        Arrays.sort(rtt);
        int n = rtt.length;
        System.out.printf("round trip %s: p50 %.1f us, p99 %.1f us, p99.9 %.1f us over %d%n", what, rtt[n / 2] / 1e3, rtt[(int) (n * 0.99)] / 1e3,
                rtt[(int) (n * 0.999)] / 1e3, n);
    }
}
