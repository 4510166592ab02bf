package org.teachlearn.nodes.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.teachlearn.ros.node.Node;

/** Where a node finds its URDF: {@code ~urdf} (a path), else {@code /robot_description}, else the shipped arm. */
public final class RobotDescription {

    private RobotDescription() {
    }

    /** The URDF text; with {@code publish}, sets {@code /robot_description} when absent (as Gazebo's spawner expects it set). */
    public static String read(Node node, boolean publish) throws IOException {
        var p = node.params();
        String path = p.getString("~urdf", "");
        String xml;
        if (!path.isEmpty()) {
            xml = Files.readString(Path.of(path));
        } else if (p.has("/robot_description")) {
            return p.getString("/robot_description", "");
        } else {
            Path shipped = Path.of(System.getProperty("teachlearn.home", "."), "urdf", "teach_arm.urdf");
            if (!Files.exists(shipped)) {
                throw new IllegalArgumentException("no robot description: set /robot_description or ~urdf (the shipped "
                        + shipped + " is not there either)");
            }
            xml = Files.readString(shipped);
        }
        if (publish && !p.has("/robot_description")) p.set("/robot_description", xml);
        return xml;
    }
}
