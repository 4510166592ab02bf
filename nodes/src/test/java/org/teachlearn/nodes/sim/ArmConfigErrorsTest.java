package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.nodes.policy.PolicyServer;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;

/**
 * A wrong arm configuration stops a node before it touches anything, with an error that names
 * the file or parameter and what would be valid: controller joints the URDF lacks, a rest pose of
 * the wrong length, a joint the simulator cannot build, a shape it does not know.
 */
class ArmConfigErrorsTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path LAB6 = ROOT.resolve("urdf/lab6_arm.urdf");

    @TempDir
    Path dir;

    interface Start {
        void start(Node node) throws Exception;
    }

    /** Starts {@code start} on a fresh node with {@code params} and returns its configuration error. */
    static String error(String name, Start start, List<Object[]> globals, String... params) throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node node = node(name, master.uri(), params);
            try {
                for (Object[] g : globals) node.params().set((String) g[0], g[1]);
                return assertThrows(IllegalArgumentException.class, () -> start.start(node)).getMessage();
            } finally {
                node.shutdown("test over");
            }
        }
    }

    static void assertSays(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "'" + message + "' should say '" + p + "'");
    }

    @Test
    void controllerJointsTheUrdfLacks() throws Exception {
        String e = error("sim_arm", SimArm::new, List.<Object[]>of(new Object[] {"/arm_controller/joints",
            List.of("shoulder_pan_joint", "shoulder_lift_joint", "elbow_joint", "wrist_1_joint", "wrist_2_joint", "wrist_7_joint")}),
                "_urdf:=" + LAB6);
        assertSays(e, LAB6.toString(), "/arm_controller/joints names 'wrist_7_joint'", "its movable joints: shoulder_pan_joint");
    }

    @Test
    void aRestPoseOfTheWrongLength() throws Exception {
        String e = error("expert", ExpertNode::new, List.of(), "_urdf:=" + LAB6, "_rest_positions:=[0.0, 0.1]");
        assertSays(e, "~rest_positions has 2 values; the arm has 6 joints");
    }

    @Test
    void aGripperJointThatMimics() throws Exception {
        String e = error("sim_arm", SimArm::new, List.<Object[]>of(new Object[] {"/gripper_controller/joints", List.of("finger_right_joint")}),
                "_urdf:=" + ROOT.resolve("urdf/teach_arm.urdf"));
        assertSays(e, "/gripper_controller/joints [finger_right_joint] must name one movable joint", "candidates: finger_left_joint");
    }

    @Test
    void aJointTheSimulatorCannotBuild() throws Exception {
        Path planar = dir.resolve("planar_arm.urdf");
        Files.writeString(planar, Files.readString(LAB6).replace("<joint name=\"world_to_base\" type=\"fixed\">",
                "<joint name=\"world_to_base\" type=\"planar\">"));
        Files.copy(ROOT.resolve("urdf/lab6_arm.srdf"), dir.resolve("planar_arm.srdf"));
        String e = error("sim_arm", SimArm::new, List.of(), "_urdf:=" + planar);
        assertSays(e, "sim_arm cannot simulate " + planar, "joint 'world_to_base' is planar", "revolute, continuous, prismatic, fixed and mimic");
    }

    @Test
    void aShapeTheParserDoesNotKnow() throws Exception {
        Path capsule = dir.resolve("capsule_arm.urdf");
        Files.writeString(capsule, Files.readString(LAB6).replaceFirst("<cylinder radius=\"0.06\" length=\"0.15\"/>",
                "<capsule radius=\"0.06\" length=\"0.15\"/>"));
        String e = error("policy_server", PolicyServer::new, List.of(), "_urdf:=" + capsule);
        assertSays(e, capsule.toString(), "unknown shape (box, cylinder, sphere or mesh)");
    }
}
