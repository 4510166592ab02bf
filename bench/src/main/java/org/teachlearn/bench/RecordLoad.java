package org.teachlearn.bench;

import java.util.ArrayList;
import java.util.List;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;

/**
 * The recorder benchmark's input: sensor_msgs/JointState at 1 kHz plus five other topics at
 * 100 Hz, for a given time, then prints how many messages went out on each topic.
 *
 * Usage: RecordLoad SECONDS   (with ROS_MASTER_URI set)
 */
public final class RecordLoad {

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(args[0]);
        Node node = Node.start(NodeArgs.parse("record_load", new String[0]));
        Publisher<JointState> joints = node.advertise("/joint_states", JointState.TYPE, 1000, false);
        List<Publisher<Float64MultiArray>> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) others.add(node.advertise("/load/array" + i, Float64MultiArray.TYPE, 1000, false));
        Publisher<WrenchStamped> wrench = node.advertise("/ft_sensor/wrench", WrenchStamped.TYPE, 1000, false);
        Thread.sleep(3000);   // the recorders connect
        JointState js = new JointState();
        js.name = new String[] {"j1", "j2", "j3", "j4", "j5", "j6", "j7", "finger"};
        js.position = new double[8];
        js.velocity = new double[8];
        js.effort = new double[8];
        Float64MultiArray arr = new Float64MultiArray();
        arr.data = new double[14];
        WrenchStamped w = new WrenchStamped();
        long period = 1_000_000, next = System.nanoTime(), end = next + (long) (seconds * 1e9);
        long sentJoints = 0, sentOthers = 0;
        for (int k = 0; System.nanoTime() < end; k++) {
            js.header.seq = k;
            node.now(js.header.stamp);
            js.position[0] = k;
            joints.publish(js);
            sentJoints++;
            if (k % 10 == 0) {
                for (Publisher<Float64MultiArray> p : others) {
                    arr.data[0] = k;
                    p.publish(arr);
                    sentOthers++;
                }
                node.now(w.header.stamp);
                wrench.publish(w);
                sentOthers++;
            }
            next += period;
            long wait = next - System.nanoTime();
            if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        Thread.sleep(2000);   // the last messages reach the recorders
        System.out.printf("sent /joint_states %d, other topics %d, total %d%n", sentJoints, sentOthers, sentJoints + sentOthers);
        node.shutdown("done");
        System.exit(0);
    }
}
