package org.teachlearn.nodes.hardening;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;

/**
 * A test's arm for a policy server in its timed mode: it stands still at {@link #REST} and says so
 * at 100 Hz (joint_states and task/state stamped with the node's clock) while {@link #driving},
 * and records every arm command it is sent. A still arm makes a hold recognisable: the policy
 * moves its targets away from REST, and only a hold sends REST back.
 */
public final class StillArm implements AutoCloseable {

    public static final String[] JOINTS = {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7",
        "finger_left_joint"};
    public static final double[] REST = {0, -0.3, 0, -2.0, 0, 1.8, 0.8};

    public final List<double[]> commands = new CopyOnWriteArrayList<>();
    final Publisher<JointState> joints;
    final Publisher<TaskState> states;
    volatile boolean driving = true;
    private volatile boolean running = true;
    private final Thread loop;

    public StillArm(Node node) throws Exception {
        node.subscribe("arm_controller/command", Float64MultiArray.TYPE, 1000, m -> commands.add(m.data.clone()));
        joints = node.advertise("joint_states", JointState.TYPE);
        states = node.advertise("task/state", TaskState.TYPE);
        Supplier<JointState> reading = () -> reading(node);
        loop = new Thread(() -> {
            while (running) {
                if (driving) {
                    joints.publish(reading.get());
                    states.publish(taskState(node));
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "still-arm");
        loop.start();
    }

    /** A good joint reading, stamped now: the arm at REST, the gripper 2 cm open. */
    static JointState reading(Node node) {
        JointState js = new JointState();
        js.header.stamp.set(node.now());
        js.name = JOINTS.clone();
        js.position = java.util.Arrays.copyOf(REST, 8);
        js.position[7] = 0.02;
        js.velocity = new double[8];
        js.effort = new double[8];
        return js;
    }

    /** A good task state, stamped now. */
    static TaskState taskState(Node node) {
        TaskState ts = new TaskState();
        ts.header.stamp.set(node.now());
        ts.goal = new double[] {0.4, 0.1, 0.4};
        return ts;
    }

    public double[] lastCommand() {
        return commands.get(commands.size() - 1);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        loop.join(2000);
    }
}
