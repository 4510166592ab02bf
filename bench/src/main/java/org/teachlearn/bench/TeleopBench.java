package org.teachlearn.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import org.teachlearn.msgs.geometry_msgs.PoseStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.sensor_msgs.Joy;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.teach.DragSettings;
import org.teachlearn.robot.teleop.TeleopController;
import org.teachlearn.robot.teleop.TeleopSettings;
import org.teachlearn.robot.teleop.TrackingToBase;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;

/**
 * vr_teleop's latency ({@code ./teach_learn bench teleop}). In process: one controller pose in →
 * joint command out ({@link TeleopController#pose} then {@link TeleopController#tick}, IK included)
 * on teach_arm, an ideal arm following, over many ticks: p50, p99, p99.9 and bytes per tick.
 * Through ROS: vr_teleop as its own process on the same master; this program plays the arm
 * (joint_states at the control rate) and the headset (vr/controller_pose at the headset's rate,
 * stamped when sent, the clutch held on vr/joy), and reads vr_teleop's own report on
 * teleop/latency: for each pose, the first command computed from it, controller stamp → command
 * out (the inbound TCPROS and the wait for the next control tick included; the outbound wire not).
 *
 * Usage: TeleopBench inproc [ticks] | ros [poses] [pose Hz] [joint Hz]
 */
public final class TeleopBench {

    /** p50, p99, p99.9 (µs) and bytes per tick of {@code ticks} in-process ticks, after a warm-up. */
    public static double[] inProcess(int ticks) throws Exception {
        KinematicChain chain = ArmLayout.TEACH_ARM.chain(UrdfParser.parse(Path.of(System.getProperty("teachlearn.home", ".")).resolve("urdf/teach_arm.urdf")));
        TeleopController c = new TeleopController(chain, ControlMode.POSITION, ArmLayout.TEACH_ARM.restPose(),
                DragSettings.DEFAULTS.with("max_linear_speed", 0.6), TeleopSettings.DEFAULTS, TrackingToBase.of(TrackingToBase.webxrYUp()), 0.04);
        double[] q = ArmLayout.TEACH_ARM.restPose().clone(), out = new double[7];
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] nanos = new long[ticks];
        long bytes0 = 0, clock = 1_000_000_000L;
        c.buttons(true, 0.2);
        for (int i = -50_000; i < ticks; i++) {
            if (i == 0) bytes0 = mx.getCurrentThreadAllocatedBytes();
            clock += 1_000_000;
            double t = i * 0.001;
            // a hand drawing slow circles, turning a little
            double x = 0.2 + 0.08 * Math.sin(t), y = 1.1 + 0.05 * Math.cos(0.7 * t), h = 0.1 * Math.sin(0.3 * t);
            long t0 = System.nanoTime();
            c.pose(x, y, -0.3, 0, Math.sin(h), 0, Math.cos(h), clock);
            c.tick(q, 0.001, clock, out);
            long dt = System.nanoTime() - t0;
            if (i >= 0) nanos[i] = dt;
            System.arraycopy(out, 0, q, 0, 7);
        }
        long bytes = mx.getCurrentThreadAllocatedBytes() - bytes0;
        if (c.state() != TeleopController.State.ENGAGED) throw new IllegalStateException("the controller disengaged: " + c.describeLoss());
        Arrays.sort(nanos);
        return new double[] {nanos[ticks / 2] / 1e3, nanos[(int) (ticks * 0.99)] / 1e3, nanos[(int) (ticks * 0.999)] / 1e3, (double) bytes / ticks};
    }

    /** Through ROS: {@code poses} poses at {@code poseRate}, joint_states at {@code jointRate}; p50, p99 (µs) of stamp → first command, and of arrival → it. */
    public static double[] throughRos(URI master, int poses, double poseRate, double jointRate) throws Exception {
        try (Node node = Node.start(NodeArgs.parse("teleop_bench", new String[0]).withMaster(master))) {
            Publisher<JointState> joints = node.advertise("joint_states", JointState.TYPE);
            Publisher<PoseStamped> posesOut = node.advertise("vr/controller_pose", PoseStamped.TYPE);
            Publisher<Joy> joys = node.advertise("vr/joy", Joy.TYPE);
            long[] stampLatency = new long[poses + 16], arrivalLatency = new long[poses + 16];
            int[] n = {0};
            double[] previous = {Double.MAX_VALUE};
            Object lock = new Object();
            node.subscribe("teleop/latency", Float64MultiArray.TYPE, 0, m -> {
                synchronized (lock) {
                    // a pose's first command has the smallest age; the next pose's first command is younger than the last command
                    if (m.data[0] < previous[0] && n[0] < stampLatency.length) {
                        stampLatency[n[0]] = (long) (m.data[0] * 1e9);
                        arrivalLatency[n[0]++] = (long) (m.data[1] * 1e9);
                    }
                    previous[0] = m.data[0];
                }
            });
            int[] losses = {0};
            node.subscribe("teleop/active", org.teachlearn.msgs.std_msgs.Bool.TYPE, 100, m -> {
                if (!m.data) losses[0]++;
            });
            JointState js = new JointState();
            js.name = new String[] {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7",
                "finger_left_joint", "finger_right_joint"};
            js.position = Arrays.copyOf(ArmLayout.TEACH_ARM.restPose(), 9);
            js.position[7] = js.position[8] = 0.04;
            js.velocity = new double[9];
            PoseStamped pose = new PoseStamped();
            pose.pose.orientation.w = 1;
            Joy joy = new Joy();
            joy.buttons = new int[] {1, 0, 0, 0, 0};
            joy.axes = new float[6];
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (joints.subscriberCount() == 0 || posesOut.subscriberCount() == 0 || joys.subscriberCount() == 0) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("vr_teleop did not subscribe to joint_states, vr/controller_pose, vr/joy");
                Thread.sleep(50);
            }
            long jointPeriod = (long) (1e9 / jointRate), posePeriod = (long) (1e9 / poseRate);
            long start = System.nanoTime(), nextJoint = start, nextPose = start, warmupUntil = start + 3_000_000_000L;
            int sent = 0;
            boolean counting = false;
            while (sent < poses) {
                long next = Math.min(nextJoint, nextPose);
                long left = next - System.nanoTime();
                if (left > 300_000) java.util.concurrent.locks.LockSupport.parkNanos(left - 200_000);
                while (System.nanoTime() < next) Thread.onSpinWait();
                if (next == nextPose) {
                    nextPose += posePeriod;
                    double t = (next - start) * 1e-9;
                    node.now(pose.header.stamp);
                    pose.pose.position.x = 0.2 + 0.05 * Math.sin(t);
                    pose.pose.position.y = 1.1;
                    pose.pose.position.z = -0.3 + 0.05 * Math.cos(t);
                    posesOut.publish(pose);
                    joy.header.stamp.set(pose.header.stamp);
                    // released first: a press engages (also after an earlier run); then a re-grip every second, as an operator
                    // re-grips when the arm stopped (a stall of this loaded machine is a stale pose to vr_teleop: it disengages)
                    long since = next - start;
                    joy.buttons[0] = since < 500_000_000L || since % 1_000_000_000L < 30_000_000L ? 0 : 1;
                    joys.publish(joy);
                    if (!counting && next > warmupUntil) {   // the JIT warmed up: count from here
                        counting = true;
                        synchronized (lock) {
                            n[0] = 0;
                        }
                    }
                    if (counting) sent++;
                }
                if (next == nextJoint) {
                    nextJoint += jointPeriod;
                    node.now(js.header.stamp);
                    joints.publish(js);
                }
            }
            Thread.sleep(200);
            long[] s, a;
            synchronized (lock) {
                s = Arrays.copyOf(stampLatency, n[0]);
                a = Arrays.copyOf(arrivalLatency, n[0]);
            }
            if (s.length == 0) throw new IllegalStateException("vr_teleop reported no teleop/latency (engaged? see its log)");
            Arrays.sort(s);
            Arrays.sort(a);
            return new double[] {s[s.length / 2] / 1e3, s[(int) (s.length * 0.99)] / 1e3, a[a.length / 2] / 1e3, a[(int) (a.length * 0.99)] / 1e3,
                s.length, poses, losses[0]};
        }
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "inproc";
        if (what.equals("inproc")) {
            int ticks = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
            double[] t = inProcess(ticks);
            System.out.printf("vr_teleop tick in process (pose in -> IK -> command out, teach_arm): p50 %.1f us, p99 %.1f us, p99.9 %.1f us,"
                    + " %.2f B/tick over %d ticks (target p99 <= 100 us, 0 B)%n", t[0], t[1], t[2], t[3], ticks);
        } else {
            int poses = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
            double poseRate = args.length > 2 ? Double.parseDouble(args[2]) : 90, jointRate = args.length > 3 ? Double.parseDouble(args[3]) : 1000;
            URI master = URI.create(System.getenv().getOrDefault("ROS_MASTER_URI", "http://127.0.0.1:11311"));
            double[] r = throughRos(master, poses, poseRate, jointRate);
            System.out.printf("vr_teleop through ROS, poses at %.0f Hz, joint_states at %.0f Hz: controller stamp -> command out p50 %.0f us, p99 %.0f us;"
                    + " pose arrival -> command out p50 %.0f us, p99 %.0f us (%d of %d poses commanded; %d releases, re-grips included)%n", poseRate,
                    jointRate, r[0], r[1], r[2], r[3], (int) r[4], (int) r[5], (int) r[6]);
        }
    }
}
