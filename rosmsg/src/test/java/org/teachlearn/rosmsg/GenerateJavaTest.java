package org.teachlearn.rosmsg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateJavaTest {

    @Test
    void generatesUsersPackagesFoundOnRosPackagePath(@TempDir Path tmp) throws Exception {
        Path pkg = tmp.resolve("ws/src/my_robot_msgs");
        Files.createDirectories(pkg.resolve("msg"));
        Files.createDirectories(pkg.resolve("srv"));
        Files.writeString(pkg.resolve("package.xml"), "<package format=\"2\"><name>my_robot_msgs</name></package>");
        Files.writeString(pkg.resolve("msg/Gripper.msg"), "uint8 OPEN=1\nfloat64 width\nstring[] fingers\n");
        Files.writeString(pkg.resolve("srv/Grip.srv"), "Gripper target\n---\nbool ok\n");
        Path out = tmp.resolve("out");
        GenerateJava.main(new String[] {"--out", out.toString(), "--ros-package-path", tmp.resolve("ws").toString(),
                "my_robot_msgs"});
        String gripper = Files.readString(out.resolve("org/teachlearn/msgs/my_robot_msgs/Gripper.java"));
        assertTrue(gripper.contains("public static final short OPEN = (short) 1;"), gripper);
        assertTrue(gripper.contains("public double width"), gripper);
        assertTrue(Files.exists(out.resolve("org/teachlearn/msgs/my_robot_msgs/GripRequest.java")));
        String grip = Files.readString(out.resolve("org/teachlearn/msgs/my_robot_msgs/Grip.java"));
        assertTrue(grip.contains("ServiceType<org.teachlearn.msgs.my_robot_msgs.GripRequest"), grip);
    }
}
