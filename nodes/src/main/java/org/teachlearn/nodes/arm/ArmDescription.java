package org.teachlearn.nodes.arm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.arm.ArmSpec;
import org.teachlearn.robot.arm.GripperScale;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfException;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.node.Parameters;
import org.teachlearn.ros.node.Node;

/**
 * A node's arm, the same way for every node (docs/nodes.md §1): the URDF from {@code ~urdf} (a
 * path), else {@code /robot_description}, else the shipped {@code urdf/teach_arm.urdf}; which of
 * its joints are the arm and the gripper from the controllers' {@code joints} lists; and the rest
 * from the node's parameters ({@code ~base_link}, {@code ~tip_link}, {@code ~ft_sensor_link},
 * {@code ~rest_positions} or an SRDF's group_state, a revolute gripper's calibration), anything
 * left unsaid found in the URDF ({@link ArmLayout#resolve}).
 *
 * @param source where the URDF came from, for messages
 */
public record ArmDescription(String urdf, String source, RobotModel model, ArmLayout layout) {

    /** Reads the node's arm; with {@code publish}, sets {@code /robot_description} when absent (Gazebo's spawner and RViz read it). */
    public static ArmDescription read(Node node, boolean publish) throws IOException {
        Parameters p = node.params();
        Urdf urdf = urdf(p);
        if (publish && !p.has("/robot_description")) p.set("/robot_description", urdf.xml());
        RobotModel model = parse(urdf);
        ArmLayout layout;
        try {
            layout = ArmLayout.resolve(model, spec(node, p, urdf.file()), urdf.source());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node.name() + ": the arm in " + urdf.source() + ": " + e.getMessage(), e);
        }
        return new ArmDescription(urdf.xml(), urdf.source(), model, layout);
    }

    /** The URDF alone, for a node that learns its joints elsewhere (policy_server: from the model). */
    public static RobotModel robot(Node node) throws IOException {
        return parse(urdf(node.params()));
    }

    private static RobotModel parse(Urdf urdf) {
        try {
            return UrdfParser.parse(urdf.xml());
        } catch (UrdfException e) {
            throw new IllegalArgumentException(urdf.source() + ": " + e.getMessage(), e);
        }
    }

    /** A URDF's text, where it came from, and its file when it has one (where its SRDF may lie). */
    private record Urdf(String xml, String source, Path file) { }

    private static Urdf urdf(Parameters p) throws IOException {
        Path shipped = home().resolve("urdf").resolve("teach_arm.urdf");
        String path = p.getString("~urdf", "");
        if (!path.isEmpty()) return new Urdf(readFile(Path.of(path), "~urdf"), path, Path.of(path));
        if (p.has("/robot_description")) {
            String xml = p.getString("/robot_description", "");
            // the shipped arm set as /robot_description (view.launch, gazebo.launch) keeps its SRDF
            boolean isShipped = Files.exists(shipped) && xml.equals(Files.readString(shipped));
            return new Urdf(xml, "/robot_description", isShipped ? shipped : null);
        }
        if (!Files.exists(shipped)) {
            throw new IllegalArgumentException("no robot description: set /robot_description or ~urdf (the shipped " + shipped
                    + " is not there either)");
        }
        return new Urdf(Files.readString(shipped), "urdf/teach_arm.urdf", shipped);
    }

    /** The controller namespaces the node reads joints from: {@code ~arm_controller}, {@code ~gripper_controller}. */
    public static String armController(Parameters p) {
        return p.getString("~arm_controller", "arm_controller");
    }

    public static String gripperController(Parameters p) {
        return p.getString("~gripper_controller", "gripper_controller");
    }

    private static ArmSpec spec(Node node, Parameters p, Path urdfFile) throws IOException {
        String arm = armController(p), gripper = gripperController(p);
        ArmSpec spec = ArmSpec.NONE.withKeys(k -> switch (k) {
            case "arm_joints" -> node.resolve(arm + "/joints");
            case "gripper_joints" -> node.resolve(gripper + "/joints");
            default -> "~" + k;
        });
        if (p.has(arm + "/joints")) spec = spec.withArmJoints(p.getStringList(arm + "/joints", List.of()));
        if (p.has(gripper + "/joints")) spec = spec.withGripperJoints(p.getStringList(gripper + "/joints", List.of()));
        else if (p.has(gripper + "/joint")) spec = spec.withGripperJoints(List.of(p.getString(gripper + "/joint", "")));   // GripperActionController
        String base = p.getString("~base_link", ""), tip = p.getString("~tip_link", "");
        spec = spec.withLinks(base.isEmpty() ? null : base, tip.isEmpty() ? null : tip);
        if (p.has("~ft_sensor_link")) spec = spec.withSensorLink(p.getString("~ft_sensor_link", ""));
        if (p.has("~rest_positions")) spec = spec.withRestPositions(p.getDoubles("~rest_positions", null));
        String state = p.getString("~group_state", "");
        String srdfPath = p.getString("~srdf", "");
        if (!srdfPath.isEmpty()) {
            spec = spec.withSrdf(readFile(Path.of(srdfPath), "~srdf"), srdfPath, state.isEmpty() ? null : state);
        } else if (p.has("/robot_description_semantic")) {
            spec = spec.withSrdf(p.getString("/robot_description_semantic", ""), "/robot_description_semantic", state.isEmpty() ? null : state);
        } else if (urdfFile != null && Files.exists(ArmSpec.srdfNextTo(urdfFile))) {
            Path sibling = ArmSpec.srdfNextTo(urdfFile);
            spec = spec.withSrdf(Files.readString(sibling), sibling.toString(), state.isEmpty() ? null : state);
        }
        return calibrated(spec, p);
    }

    /** The gripper calibration parameters, when given, into {@code spec}. */
    private static ArmSpec calibrated(ArmSpec spec, Parameters p) {
        if (!p.has("~gripper_closed_position") && !p.has("~gripper_open_position")) return spec;
        return spec.withGripperCalibration(p.getDouble("~gripper_closed_position", Double.NaN), p.getDouble("~gripper_open_position", Double.NaN),
                p.getDouble("~gripper_open_width", Double.NaN));
    }

    /**
     * How gripper joint {@code g}'s position maps to the opening in metres a policy speaks, for a
     * node that takes its joints from elsewhere (policy_server: from the model): the
     * {@code ~gripper_*_position} calibration parameters, required for a revolute gripper.
     */
    public static GripperScale gripperScale(Node node, Joint g) {
        return GripperScale.forJoint(g, calibrated(ArmSpec.NONE.withKeys(k -> "~" + k), node.params()), "the URDF");
    }

    private static String readFile(Path file, String key) throws IOException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(key + ": no file " + file.toAbsolutePath());
        }
    }

    private static Path home() {
        return Path.of(System.getProperty("teachlearn.home", "."));
    }
}
