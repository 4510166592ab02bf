package org.teachlearn.nodes.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.teach_learn.ActionStamped;
import org.teachlearn.msgs.teach_learn.ModelUpdate;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.policy.ConstantModel;
import org.teachlearn.nodes.policy.PolicyServer;
import org.teachlearn.nodes.sim.ExpertNode;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/**
 * Every subscription of every node that touches the arm, fed malformed messages of every kind
 * (generated from the message class by {@link Malformed}), then good ones: the node never sends a
 * non-finite or out-of-limit command, refuses what it cannot use, and uses the next good message as
 * if the bad one had never come. This is the guard against error state that sticks: one malformed
 * joint_states once disabled policy_server for good.
 */
class MalformedMessagesTest {

    static final String URDF = "../urdf/teach_arm.urdf";
    static final String[] ARM = {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7"};
    static final String GRIPPER = "finger_left_joint";
    static final double[] REST = StillArm.REST;

    @TempDir
    static Path dir;
    static RobotModel robot;

    @BeforeAll
    static void loadRobot() throws Exception {
        robot = UrdfParser.parse(Path.of(URDF));
    }

    /** sim_arm in real time: arm and gripper commands and sim/wrench; after each bad one, the arm still follows good commands. */
    @Test
    void simArmRefusesMalformedCommandsAndWrenchesAndFollowsTheNextGoodOnes() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=false", "_rate:=100", "_task:=none", "_seed:=3", "_urdf:=" + URDF);
            Thread loop = new SimArm(sim).start();
            Node peer = node("hostile", master.uri());
            List<String> bad = new CopyOnWriteArrayList<>();
            double[] latest = new double[ARM.length];
            AtomicLong states = new AtomicLong();
            peer.subscribe("joint_states", JointState.TYPE, 0, m -> {
                for (int i = 0; i < m.position.length; i++) {
                    Joint j = robot.joint(m.name[i]);
                    if (!Double.isFinite(m.position[i]) || !Double.isFinite(m.velocity[i])
                            || m.position[i] < j.lower() - 0.05 || m.position[i] > j.upper() + 0.05) {
                        bad.add(m.name[i] + " at " + m.position[i] + ", " + m.velocity[i] + "/s");
                    }
                    if (i < ARM.length) latest[i] = m.position[i];
                }
                states.incrementAndGet();
            });
            Publisher<Float64MultiArray> arm = peer.advertise("arm_controller/command", Float64MultiArray.TYPE);
            Publisher<Float64MultiArray> gripper = peer.advertise("gripper_controller/command", Float64MultiArray.TYPE);
            Publisher<WrenchStamped> wrench = peer.advertise("sim/wrench", WrenchStamped.TYPE);
            RosPeers.waitUntil(() -> arm.subscriberCount() > 0 && gripper.subscriberCount() > 0 && wrench.subscriberCount() > 0
                    && states.get() > 10, 10, "sim_arm to connect");
            Supplier<Float64MultiArray> goodArm = () -> command(REST);
            Supplier<Float64MultiArray> goodGripper = () -> command(new double[] {0.02});
            Supplier<WrenchStamped> goodWrench = () -> {
                WrenchStamped w = new WrenchStamped();
                w.header.frame_id = "hand";
                w.header.stamp.set(peer.now());
                w.wrench.force.z = 2;
                return w;
            };
            int round = 0;
            List<Runnable> cases = new ArrayList<>();
            for (var v : Malformed.of(goodArm)) cases.add(() -> sendTimes(arm, v.message()));
            for (var v : Malformed.of(goodGripper)) cases.add(() -> sendTimes(gripper, v.message()));
            for (var v : Malformed.of(goodWrench)) cases.add(() -> sendTimes(wrench, v.message()));
            List<String> names = new ArrayList<>();
            for (var v : Malformed.of(goodArm)) names.add("arm_controller/command " + v);
            for (var v : Malformed.of(goodGripper)) names.add("gripper_controller/command " + v);
            for (var v : Malformed.of(goodWrench)) names.add("sim/wrench " + v);
            try {
                for (int c = 0; c < cases.size(); c++) {
                    cases.get(c).run();
                    // then a good command: the arm must go there (alternating targets, 0.3 rad apart on joint 1)
                    double[] target = REST.clone();
                    target[0] = (round++ % 2 == 0) ? 0.3 : -0.3;
                    arm.publish(command(target));
                    final int k = c;
                    RosPeers.waitUntil(() -> Math.abs(latest[0] - target[0]) < 0.03, 5,
                            "the arm to follow a good command after " + names.get(k));
                    assertTrue(bad.isEmpty(), "after " + names.get(k) + ": " + bad);
                }
                wrench.publish(goodWrench.get());   // leave nothing odd held
            } finally {
                peer.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
            System.out.println("sim_arm: " + cases.size() + " malformed messages refused or clamped, the arm followed the next good command each time");
        }
    }

    /**
     * policy_server's timed loop with the test as the arm: joint_states, task/state, expert/action and
     * /policy/model malformed. Bad joint readings stop the commands within the watchdog (hold); good
     * ones bring them back; a good model after garbage ones is swapped in.
     */
    @Test
    void policyServerRefusesMalformedInputsHoldsAndResumesOnTheNextGoodOnes() throws Exception {
        Path first = constantModel(dir, 0.1), second = constantModel(dir, -0.1);
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node server = node("policy_server", master.uri(), "_model:=" + first, "_urdf:=" + URDF, "_lockstep:=false", "_rate:=100",
                    "_watchdog_timeout:=0.05", "_realtime_priority:=0");
            new PolicyServer(server);
            Node peer = node("hostile", master.uri());
            StillArm arm = new StillArm(peer);
            List<double[]> commands = arm.commands;
            List<String> errors = new CopyOnWriteArrayList<>();
            peer.subscribe("/rosout", Log.TYPE, 1000, m -> {
                if (m.level >= Log.ERROR && m.name.equals("/policy_server")) errors.add(m.msg);
            });
            Publisher<JointState> joints = arm.joints;
            Publisher<TaskState> states = arm.states;
            Publisher<ActionStamped> labels = peer.advertise("expert/action", ActionStamped.TYPE);
            Publisher<ModelUpdate> models = peer.advertise("/policy/model", ModelUpdate.TYPE);
            Supplier<JointState> goodJoints = () -> StillArm.reading(peer);
            Supplier<TaskState> goodState = () -> StillArm.taskState(peer);
            Supplier<ActionStamped> goodLabel = () -> {
                ActionStamped a = new ActionStamped();
                a.header.stamp.set(peer.now());
                a.action = new double[8];
                return a;
            };
            int refused = 0;
            try {
                RosPeers.waitUntil(() -> commands.size() > 20, 20, "commands from the timed loop");
                for (var v : Malformed.of(goodJoints)) {
                    arm.driving = false;
                    sleep(60);
                    for (int i = 0; i < 15; i++) {   // 150 ms of nothing but this malformed reading
                        v.message().header.stamp.set(v.path().equals("header.stamp") ? v.message().header.stamp : peer.now());
                        joints.publish(v.message());
                        states.publish(goodState.get());
                        sleep(10);
                        if (i == 9 && mustRefuse(v)) {
                            int at = commands.size();
                            sleep(40);
                            assertEquals(at, commands.size(), "policy_server sent commands computed from joint_states with " + v);
                            refused++;
                        }
                    }
                    int before = commands.size();
                    arm.driving = true;
                    RosPeers.waitUntil(() -> commands.size() > before + 5, 5, "commands to resume on good joint_states after " + v);
                }
                for (var v : Malformed.of(goodState)) sendTimes(states, v.message());
                for (var v : Malformed.of(goodLabel)) sendTimes(labels, v.message());
                for (var v : Malformed.of(() -> modelUpdate(first))) sendTimes(models, v.message());
                int before = commands.size();
                RosPeers.waitUntil(() -> commands.size() > before + 20, 5, "commands to go on after malformed task/state, labels and models");
                models.publish(modelUpdate(second));   // the hot swap still works: the new model's constant comes through
                RosPeers.waitUntil(() -> arm.lastCommand()[0] < -0.09, 10, "the good model after garbage ones to be swapped in");
                for (double[] c : commands) {
                    for (int i = 0; i < ARM.length; i++) {
                        Joint j = robot.joint(ARM[i]);
                        assertTrue(Double.isFinite(c[i]) && c[i] >= j.lower() - 1e-12 && c[i] <= j.upper() + 1e-12, ARM[i] + " command " + c[i]);
                    }
                }
                assertTrue(errors.stream().anyMatch(e -> e.contains("joint_states")), "no error on /rosout about joint_states: " + errors);
                assertTrue(errors.stream().anyMatch(e -> e.contains("task/state")), "no error on /rosout about task/state: " + errors);
                assertTrue(errors.stream().anyMatch(e -> e.contains("/policy/model")), "no error on /rosout about /policy/model: " + errors);
            } finally {
                arm.close();
                peer.shutdown("test over");
                server.shutdown("test over");
            }
            System.out.println("policy_server: " + refused + " malformed joint readings held the arm within the watchdog; commands resumed each time");
        }
    }

    /** expert (labelling): after malformed joint_states and task/state, good pairs are labelled again, never with a non-finite action. */
    @Test
    void expertRefusesMalformedInputsAndLabelsTheNextGoodState() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node expertNode = node("expert", master.uri(), "_task:=reach", "_urdf:=" + URDF);
            new ExpertNode(expertNode);
            Node peer = node("hostile", master.uri());
            List<ActionStamped> actions = new CopyOnWriteArrayList<>();
            peer.subscribe("expert/action", ActionStamped.TYPE, 1000, m -> actions.add(copy(m)));
            Publisher<JointState> joints = peer.advertise("joint_states", JointState.TYPE);
            Publisher<TaskState> states = peer.advertise("task/state", TaskState.TYPE);
            AtomicLong stamp = new AtomicLong(1_000_000_000L);
            Supplier<JointState> goodJoints = () -> {
                JointState js = new JointState();
                js.header.stamp.setNanos(stamp.get());
                js.name = new String[] {ARM[0], ARM[1], ARM[2], ARM[3], ARM[4], ARM[5], ARM[6], GRIPPER};
                js.position = new double[] {REST[0], REST[1], REST[2], REST[3], REST[4], REST[5], REST[6], 0.02};
                js.velocity = new double[8];
                return js;
            };
            Supplier<TaskState> goodState = () -> {
                TaskState ts = new TaskState();
                ts.header.stamp.setNanos(stamp.get());
                ts.step = 1;
                ts.goal = new double[] {0.4, 0.1, 0.4};
                return ts;
            };
            RosPeers.waitUntil(() -> joints.subscriberCount() > 0 && states.subscriberCount() > 0, 10, "the expert to connect");
            try {
                List<Runnable> cases = new ArrayList<>();
                for (var v : Malformed.of(goodJoints)) cases.add(() -> {
                    joints.publish(v.message());
                    states.publish(goodState.get());
                });
                for (var v : Malformed.of(goodState)) cases.add(() -> {
                    joints.publish(goodJoints.get());
                    states.publish(v.message());
                });
                for (Runnable c : cases) {
                    stamp.addAndGet(10_000_000L);
                    c.run();
                    sleep(20);
                    stamp.addAndGet(10_000_000L);
                    long good = stamp.get();
                    joints.publish(goodJoints.get());
                    states.publish(goodState.get());
                    RosPeers.waitUntil(() -> actions.stream().anyMatch(a -> a.header.stamp.toNanos() == good), 5, "a label for the good state after a malformed one");
                }
                for (ActionStamped a : actions) {
                    for (double x : a.action) assertTrue(Double.isFinite(x), "the expert labelled with a non-finite action");
                }
                System.out.println("expert: " + cases.size() + " malformed states, the next good state labelled each time");
            } finally {
                peer.shutdown("test over");
                expertNode.shutdown("test over");
            }
        }
    }

    /** Kinds the policy server must refuse in joint_states (1e300 is finite: clamped downstream; an empty velocity means unknown). */
    private static boolean mustRefuse(Malformed.Variant<JointState> v) {
        if (v.path().equals("header.frame_id") || v.path().equals("header.seq")) return false;
        if (v.kind().contains("1.0E300")) return false;
        if (v.kind().equals("empty") && (v.path().equals("velocity") || v.path().equals("effort"))) return false;
        if (v.path().equals("effort") && v.kind().startsWith("[last]")) return false;
        return true;
    }

    private static <T extends Message> void sendTimes(Publisher<T> p, T m) {
        for (int i = 0; i < 3; i++) {
            p.publish(m);
            sleep(5);
        }
        sleep(20);
    }

    private static Float64MultiArray command(double[] values) {
        Float64MultiArray m = new Float64MultiArray();
        m.data = values.clone();
        return m;
    }

    private static ActionStamped copy(ActionStamped m) {
        ActionStamped c = new ActionStamped();
        c.header.stamp.set(m.header.stamp);
        c.action = m.action.clone();
        return c;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static ModelUpdate modelUpdate(Path model) {
        try {
            return ConstantModel.update(Files.readAllBytes(model), 2);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A model in our format whose arm targets are {@code value} rad on every joint (gripper 0.02), whatever it observes. */
    static Path constantModel(Path dir, double value) throws Exception {
        Path file = Files.createTempFile(dir, "constant", ".onnx");
        Files.write(file, ConstantModel.onnx(robot, value, 0));
        return file;
    }
}
