package org.teachlearn.nodes.demos;

import java.nio.file.Path;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.teach_learn.DemoInfo;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.ros.bag.BagWriter;

/**
 * A demonstration bag whose motion is known: teach_arm's joints move at constant velocities from
 * its rest pose, the fingers close at 10 mm/s, recorded at {@link #rate} Hz with wall-clock
 * stamps, task/state with every reading (the last one done), and optionally a demo/info, arm
 * commands and gripper commands.
 */
final class SyntheticBag {

    static final String[] JOINTS = {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7",
        "finger_left_joint", "finger_right_joint"};
    static final double[] REST = {0, -Math.PI / 4, 0, -3 * Math.PI / 4, 0, Math.PI / 2, Math.PI / 4};
    static final double[] VELOCITY = {0.2, -0.1, 0.15, 0.1, -0.2, 0.05, 0.3};
    static final double[] GOAL = {0.4, 0.1, 0.3};
    static final long START = 1_700_000_000_000_000_000L;

    double rate = 1000, seconds = 2, jitter = 0;   // jitter: each stamp off its tick by up to ± this many seconds
    String source = "drag_teach", task = "reach";
    boolean info = true, success = true, armCommands = false, gripperCommands = false;
    boolean infoBefore04 = false;   // demo/info as the 0.3 recorder wrote it (no interventions, no latency)
    String[] names = JOINTS;

    static double position(int j, double tau) {
        return REST[j] + VELOCITY[j] * tau;
    }

    static double opening(double tau) {
        return 0.04 - 0.01 * tau;
    }

    /** The gripper command recorded (when asked for): half open until 1 s, then closed. */
    static double gripperCommand(double tau) {
        return tau < 1 ? 0.02 : 0.0;
    }

    Path write(Path file) throws Exception {
        try (BagWriter w = new BagWriter(file, BagWriter.Compression.NONE)) {
            int js = w.connection("/joint_states", JointState.TYPE, "/sim_arm", false);
            int ts = w.connection("/task/state", TaskState.TYPE, "/sim_arm", false);
            int arm = armCommands ? w.connection("/arm_controller/command", Float64MultiArray.TYPE, "/drag_teach", false) : -1;
            int grip = gripperCommands ? w.connection("/gripper_controller/command", Float64MultiArray.TYPE, "/drag_teach", false) : -1;
            int n = (int) Math.round(seconds * rate);
            JointState j = new JointState();
            j.name = names;
            j.position = new double[names.length];
            j.velocity = new double[names.length];
            TaskState s = new TaskState();
            s.episode = 3;
            s.goal = GOAL.clone();
            Float64MultiArray cmd = new Float64MultiArray();
            java.util.Random random = new java.util.Random(5);
            for (int k = 0; k < n; k++) {
                long stamp = START + Math.round(k * 1e9 / rate + (k > 0 ? jitter * 1e9 * (2 * random.nextDouble() - 1) : 0));
                double tau = (stamp - START) / 1e9;
                for (int i = 0; i < names.length; i++) {
                    int a = java.util.Arrays.asList(JOINTS).indexOf(names[i]);
                    j.position[i] = a < 7 ? position(a, tau) : opening(tau);
                    j.velocity[i] = a < 7 ? VELOCITY[a] : -0.01;
                }
                j.header.stamp.setNanos(stamp);
                w.write(js, stamp + 200_000, j);   // recorded 0.2 ms after its stamp
                s.header.stamp.setNanos(stamp);
                s.step = k;
                s.done = k == n - 1;
                s.success = s.done && success;
                w.write(ts, stamp + 300_000, s);
                if (arm >= 0) {
                    cmd.data = new double[] {9, 9, 9, 9, 9, 9, 9};   // an admittance controller's commands: not the label of a drag
                    w.write(arm, stamp + 400_000, cmd);
                }
                if (grip >= 0) {
                    cmd.data = new double[] {gripperCommand(tau)};
                    w.write(grip, stamp + 500_000, cmd);
                }
            }
            if (info && infoBefore04) {
                // 0.3's definition and bytes: the 0.4 fields' prefix, under its own MD5
                String def = "Header header\nstring task\nstring source\nbool success\nstring notes\n";
                int di = w.connection("/demo/info", org.teachlearn.ros.message.MessageType.raw(DemoInfo.TYPE.name(),
                        "13f5e46cfd5df2cbe492d7609a115dd1", def), "/recorder", true);
                DemoInfo d = new DemoInfo();
                d.header.stamp.setNanos(START);
                d.task = task;
                d.source = source;
                d.success = success;
                d.notes = "synthetic, 0.3";
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4096).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                d.serialize(b);
                byte[] bytes = java.util.Arrays.copyOf(b.array(), b.position() - 12);   // without the three 0.4 fields
                w.write(di, START + Math.round(seconds * 1e9), bytes, 0, bytes.length);
            } else if (info) {
                int di = w.connection("/demo/info", DemoInfo.TYPE, "/recorder", true);
                DemoInfo d = new DemoInfo();
                d.header.stamp.setNanos(START);
                d.task = task;
                d.source = source;
                d.success = success;
                d.notes = "synthetic";
                w.write(di, START + Math.round(seconds * 1e9), d);
            }
        }
        return file;
    }
}
