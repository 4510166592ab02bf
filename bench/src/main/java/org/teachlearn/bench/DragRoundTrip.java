package org.teachlearn.bench;

import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;

/**
 * drag_teach's tick through ROS at 1 kHz: an arm played by this program publishes ft_sensor/wrench
 * and then joint_states every millisecond (a hand pushing back and forth on teach_arm at rest), and
 * times each arm_controller/command that drag_teach answers with, from the joint_states it
 * answers. Prints p50, p99, p99.9 and how many commands came for how many states. drag_teach must be running
 * on the same master ({@code ./teach_learn run drag_teach}).
 *
 * Usage: DragRoundTrip [ticks] [rate Hz]
 */
public final class DragRoundTrip {

    public record Result(double p50, double p99, double p999, int states, int answered) {
        @Override
        public String toString() {
            return String.format("drag_teach through ROS at 1 kHz (joint_states + wrench in -> arm command out, loopback TCPROS): p50 %.1f us,"
                    + " p99 %.1f us, p99.9 %.1f us, %d commands for %d states", p50, p99, p999, answered, states);
        }
    }

    public static Result measure(URI master, int ticks, double rate) throws Exception {
        try (Node node = Node.start(NodeArgs.parse("drag_round_trip", new String[0]).withMaster(master))) {
            Publisher<JointState> joints = node.advertise("joint_states", JointState.TYPE);
            Publisher<WrenchStamped> wrenches = node.advertise("ft_sensor/wrench", WrenchStamped.TYPE);
            long[] latency = new long[ticks];
            AtomicInteger answered = new AtomicInteger();   // commands received while the measured states went out
            final long[] sentAt = {0};
            final int[] current = {-1};
            Object lock = new Object();
            node.subscribe("arm_controller/command", Float64MultiArray.TYPE, 0, m -> {
                long now = System.nanoTime();
                synchronized (lock) {
                    int k = current[0];
                    if (k >= 0) answered.incrementAndGet();
                    // timed when it answers the newest state (a later answer cannot be told from the next state's)
                    if (k >= 0 && k < ticks && latency[k] == 0) latency[k] = now - sentAt[0];
                }
            });
            JointState js = new JointState();
            js.name = new String[] {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7",
                "finger_left_joint", "finger_right_joint"};
            js.position = Arrays.copyOf(ArmLayout.TEACH_ARM.restPose(), 9);
            js.position[7] = js.position[8] = 0.04;
            js.velocity = new double[9];
            WrenchStamped w = new WrenchStamped();
            w.header.frame_id = "hand";
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (joints.subscriberCount() == 0 || wrenches.subscriberCount() == 0) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("drag_teach did not subscribe to joint_states and ft_sensor/wrench");
                Thread.sleep(50);
            }
            long period = (long) (1e9 / rate), next = System.nanoTime();
            int warmup = (int) (3 * rate);   // the start-up tare and the JIT
            for (int i = -warmup; i < ticks; i++) {
                next += period;
                // sleep most of the period (a spinning publisher would take one of a small machine's cores from drag_teach), spin the rest
                long left = next - System.nanoTime();
                if (left > 300_000) java.util.concurrent.locks.LockSupport.parkNanos(left - 200_000);
                while (System.nanoTime() < next) Thread.onSpinWait();
                node.now(js.header.stamp);
                w.header.stamp.set(js.header.stamp);
                w.wrench.force.z = i < 0 ? 0 : -3 + 2 * Math.sin(i * 0.003);
                wrenches.publish(w);
                synchronized (lock) {
                    current[0] = i;
                    sentAt[0] = System.nanoTime();
                }
                joints.publish(js);
            }
            Thread.sleep(200);
            long[] got = Arrays.stream(latency).filter(x -> x > 0).sorted().toArray();
            if (got.length == 0) throw new IllegalStateException("drag_teach answered none of " + ticks + " joint_states");
            return new Result(got[got.length / 2] / 1e3, got[(int) (got.length * 0.99)] / 1e3, got[(int) (got.length * 0.999)] / 1e3, ticks,
                    answered.get());
        }
    }

    public static void main(String[] args) throws Exception {
        int ticks = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 1000;
        URI master = URI.create(System.getenv().getOrDefault("ROS_MASTER_URI", "http://127.0.0.1:11311"));
        System.out.println(measure(master, ticks, rate));
    }
}
