package org.teachlearn.bench;

import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;

/**
 * The recorder benchmark's input: {@code joint_states} (sensor_msgs/JointState, 7 arm joints and a
 * finger), {@code ft_sensor/wrench} and {@code arm_controller/command} at 1 kHz each, every message
 * numbered (header.seq, or the command's first value) so a recorder's losses show as gaps.
 *
 * Usage: RecordLoad SECONDS   (with ROS_MASTER_URI set; prints what it sent)
 */
public final class RecordLoad {

    private final Node node;
    private final Publisher<JointState> joints;
    private final Publisher<WrenchStamped> wrench;
    private final Publisher<Float64MultiArray> command;
    private volatile boolean running = true;
    private volatile long sent;

    public RecordLoad(Node node) throws Exception {
        this.node = node;
        joints = node.advertise("/joint_states", JointState.TYPE, 1000, false);
        wrench = node.advertise("/ft_sensor/wrench", WrenchStamped.TYPE, 1000, false);
        command = node.advertise("/arm_controller/command", Float64MultiArray.TYPE, 1000, false);
    }

    /** Subscriptions over the three topics. */
    public int subscribers() {
        return joints.subscriberCount() + wrench.subscriberCount() + command.subscriberCount();
    }

    /** Per subscriber, the messages this publisher dropped for it over the three topics (it fell a queue behind). */
    public java.util.Map<String, Long> droppedBySubscriber() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (Publisher<?> p : java.util.List.of(joints, wrench, command)) p.droppedBySubscriber().forEach((k, v) -> out.merge(k, v, Long::sum));
        return out;
    }

    /** Messages sent per topic so far. */
    public long sent() {
        return sent;
    }

    public void stop() {
        running = false;
    }

    /** Publishes at 1 kHz until {@link #stop}. */
    public void run() {
        JointState js = new JointState();
        js.name = new String[] {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7", "finger_left_joint"};
        js.position = new double[8];
        js.velocity = new double[8];
        js.effort = new double[8];
        WrenchStamped w = new WrenchStamped();
        w.header.frame_id = "hand";
        Float64MultiArray cmd = new Float64MultiArray();
        cmd.data = new double[7];
        long period = 1_000_000, next = System.nanoTime();
        for (int k = 0; running; k++) {
            js.header.seq = k;
            node.now(js.header.stamp);
            js.position[0] = k * 1e-6;
            joints.publish(js);
            w.header.seq = k;
            w.header.stamp.set(js.header.stamp);
            w.wrench.force.x = k * 1e-3;
            wrench.publish(w);
            cmd.data[0] = k;
            command.publish(cmd);
            sent = k + 1;
            next += period;
            long wait = next - System.nanoTime();
            if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(args[0]);
        Node node = Node.start(NodeArgs.parse("record_load", new String[0]));
        RecordLoad load = new RecordLoad(node);
        Thread.sleep(3000);   // the recorders connect
        Thread t = new Thread(load::run);
        t.start();
        Thread.sleep((long) (seconds * 1000));
        load.stop();
        t.join();
        Thread.sleep(2000);   // the last messages reach the recorders
        System.out.printf("sent %d on each of /joint_states, /ft_sensor/wrench, /arm_controller/command, total %d%n", load.sent(), 3 * load.sent());
        node.shutdown("done");
        System.exit(0);
    }
}
