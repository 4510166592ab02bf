package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.arm.ArmSpec;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * Our joint_states and /robot_description, turned into /tf by Debian's robot_state_publisher and
 * read back through tf2 by a rospy script, give the tip pose of our forward kinematics (docs/nodes.md §2, "Viewing in RViz").
 */
class RobotStatePublisherInteropTest {

    static final String RSP = "/usr/lib/robot_state_publisher/robot_state_publisher";
    /** Each shipped arm and a pose of it. */
    static final java.util.Map<String, double[]> POSES = java.util.Map.of(
            "teach_arm", new double[] {0.3, -0.5, 0.2, -2.0, 0.4, 1.6, -0.7},
            "lab6_arm", new double[] {0.3, -1.2, 1.1, -1.5, -1.4, 0.6});

    @ParameterizedTest
    @ValueSource(strings = {"teach_arm", "lab6_arm"})
    void tipPoseThroughTf2EqualsForwardKinematics(String arm) throws Exception {
        double[] q = POSES.get(arm);
        if (!Files.isExecutable(Path.of(RSP))) {
            throw new AssertionError(RSP + " is not installed: run ./teach_learn test as root (it installs ros-robot-state-publisher)");
        }
        Path file = Path.of("../urdf/" + arm + ".urdf");
        String urdf = Files.readString(file);
        RobotModel model = UrdfParser.parse(urdf);
        Path srdf = ArmSpec.srdfNextTo(file);
        ArmLayout layout = ArmLayout.resolve(model, ArmSpec.NONE.withSrdf(Files.readString(srdf), srdf.toString(), null), file.toString());
        KinematicChain chain = layout.chain(model);
        double[] fk = new double[16];
        chain.forward(q, fk);
        // every movable joint: the arm's at q, the rest (gripper, mimics) at 0.02
        java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of(chain.jointNames()));
        for (var j : model.joints().values()) if (j.isMovable() && !names.contains(j.name())) names.add(j.name());
        double[] positions = new double[names.size()];
        java.util.Arrays.fill(positions, 0.02);
        System.arraycopy(q, 0, positions, 0, q.length);

        URI[] uri = new URI[1];
        try (Peer roscore = RosPeers.roscore(uri)) {
            Node node = Node.start(NodeArgs.parse("joint_states_source", new String[] {"__master:=" + uri[0]}));
            node.params().set("/robot_description", urdf);
            try (Peer rsp = Peer.start(uri[0], RSP)) {
                // the positions are exactly Q; stamps advance, so robot_state_publisher sends every one
                Publisher<JointState> pub = node.advertise("joint_states", JointState.TYPE, 10, false);
                JointState js = new JointState();
                js.name = names.toArray(new String[0]);
                js.position = positions;
                js.velocity = new double[0];
                js.effort = new double[0];
                Thread source = new Thread(() -> {
                    while (!node.isShutdown()) {
                        node.now(js.header.stamp);
                        pub.publish(js);
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "joint_states_source");
                source.start();
                try {
                    String out = Peer.run(uri[0], 120, RosPeers.PYTHON,
                            Path.of("src/test/peers/tf_tip.py").toAbsolutePath().toString(), chain.baseLink(), chain.tipLink());
                    String line = out.lines().filter(l -> l.startsWith("stamp ")).findFirst()
                            .orElseThrow(() -> new AssertionError("tf_tip.py printed no pose:\n" + out + "\nrobot_state_publisher:\n" + rsp.output()));
                    String[] f = line.split(" ");
                    double[] p = {Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6])};
                    double x = Double.parseDouble(f[8]), y = Double.parseDouble(f[9]), z = Double.parseDouble(f[10]),
                            w = Double.parseDouble(f[11]);
                    double[] r = {1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
                        2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
                        2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)};
                    double positionError = Math.sqrt(sq(p[0] - fk[3]) + sq(p[1] - fk[7]) + sq(p[2] - fk[11]));
                    double rotationError = 0;
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) rotationError = Math.max(rotationError, Math.abs(r[3 * i + j] - fk[4 * i + j]));
                    }
                    System.out.printf("tf2 %s -> %s vs forward kinematics: position error %.3e m, rotation error %.3e%n",
                            chain.baseLink(), chain.tipLink(), positionError, rotationError);
                    assertTrue(positionError <= 1e-6, "tip position through tf2 " + line + " is " + positionError
                            + " m from forward kinematics (" + fk[3] + ", " + fk[7] + ", " + fk[11] + ")");
                    assertTrue(rotationError <= 1e-6, "tip rotation through tf2 " + line + " differs from forward kinematics by "
                            + rotationError);
                } finally {
                    source.interrupt();
                    node.shutdown("test over");
                    source.join(5000);
                }
            }
        }
    }

    private static double sq(double v) {
        return v * v;
    }
}
