package org.teachlearn.learn;

import java.nio.file.Path;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;

/** The shipped arm and its reach layout, for tests. */
public final class LearnFixtures {

    private LearnFixtures() {
    }

    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !p.resolve("urdf/teach_arm.urdf").toFile().exists()) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find urdf/teach_arm.urdf above " + Path.of("").toAbsolutePath());
        return p;
    }

    public static RobotModel arm() throws Exception {
        return UrdfParser.parse(root().resolve("urdf/teach_arm.urdf"));
    }

    public static PolicyLayout reachLayout() throws Exception {
        return PolicyLayout.of(arm(), ArmLayout.TEACH_ARM, "reach", 3);
    }

    /** Runs a Python 3 script with Debian's interpreter (where rospy, torch and onnx live); fails loudly. */
    public static String python(Path script, String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "/usr/bin/python3";
        cmd[1] = script.toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }
}
