package org.teachlearn.learn;

import java.nio.file.Path;
import org.teachlearn.learn.demo.Demonstration;
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

    /**
     * A drag-taught demonstration of {@code layout}'s arm: joint 1 along {@code path} (one value per
     * 10 ms), the others still, one reach episode ending in success at its last reading.
     */
    public static Demonstration guided(PolicyLayout layout, double[] path) {
        Demonstration d = new Demonstration("guided", layout);
        d.setInfo(new Demonstration.Info("reach", Demonstration.DRAG_TEACH, true, ""));
        int arm = layout.armJoints().length, grip = layout.gripperJoint() != null ? 1 : 0;
        double[] joints = new double[d.joints().width()], state = new double[d.states().width()];
        int last = path.length - 1;
        for (int k = 0; k <= last; k++) {
            long t = 1_000_000_000L + k * 10_000_000L;
            java.util.Arrays.fill(joints, 0);
            joints[0] = path[k];
            joints[arm + grip] = k < last && path[k + 1] != path[k] ? 1 : 0;
            d.joints().add(t, joints, 0);
            state[Demonstration.EPISODE] = 1;
            state[Demonstration.DONE] = k == last ? 1 : 0;
            state[Demonstration.SUCCESS] = k == last ? 1 : 0;
            state[Demonstration.GOAL] = 1;
            d.states().add(t, state, 0);
        }
        return d;
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
