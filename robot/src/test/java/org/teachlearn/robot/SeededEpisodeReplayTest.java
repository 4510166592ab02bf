package org.teachlearn.robot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.expert.Expert;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.sim.ArmWorld;
import org.teachlearn.robot.sim.Simulation;

/**
 * Seeded expert episodes replay bit for bit against trajectories recorded before the simulator was
 * last restructured (golden files under {@code src/test/resources/golden}): every joint's position,
 * velocity and effort, the wrist sensor (with pushes on the hand and a finger), the hand's pose and
 * the cube's. A refactoring of {@link ArmWorld} must not change a single bit. To record new golden
 * files after an intended change of the physics: {@code -Dgolden.write=robot/src/test/resources/golden}.
 */
class SeededEpisodeReplayTest {

    @ParameterizedTest
    @ValueSource(strings = {"reach", "pick_place"})
    void seededExpertEpisodeReplaysBitForBit(String task) throws Exception {
        List<String> lines = record(task, 21);
        String file = "golden/" + task + "_seed21.txt";
        String out = System.getProperty("golden.write");
        if (out != null) {
            Files.write(Path.of(out, task + "_seed21.txt"), lines, StandardCharsets.US_ASCII);
            return;
        }
        List<String> golden;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(file)) {
            if (in == null) fail("no golden trajectory " + file + " (record it with -Dgolden.write=DIR)");
            golden = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        }
        for (int k = 0; k < Math.min(golden.size(), lines.size()); k++) {
            assertEquals(golden.get(k), lines.get(k), task + ": step " + k + " differs from the golden trajectory");
        }
        assertEquals(golden.size(), lines.size(), task + ": episode length");
    }

    private static List<String> record(String task, long seed) throws Exception {
        Simulation s = SimulatorTest.sim(ControlMode.POSITION, task);
        ArmWorld w = s.world();
        Expert e = Expert.forTask(task, s.chain(), ArmLayout.TEACH_ARM, 0.01, 0.05);
        int n = w.jointCount(), dof = s.armDof();
        double[] q = new double[dof], act = new double[dof + 1], cmd = new double[dof], wrench = new double[6],
                hand = new double[16], cube = new double[4];
        List<String> lines = new ArrayList<>();
        s.reset(seed);
        for (int k = 0; k < 300; k++) {   // on past the end of the episode: the pushes come after reach is done
            // pushes on the hand and on a finger (both behind the wrist sensor) in the middle of the episode
            if (k == 20) w.setExternalWrench("hand", 3, -2, 1, 0.1, 0, 0.2);
            if (k == 30) w.setExternalWrench("finger_left", 0, 1, 0, 0, 0.05, 0);
            if (k == 45) w.clearExternalWrenches();
            s.armPositions(q);
            e.act(q, s.gripperOpening(), s.goal(), act);
            System.arraycopy(act, 0, cmd, 0, dof);
            s.step(cmd, act[dof]);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) hex(b, w.position(i)).append(' ');
            for (int i = 0; i < n; i++) hex(b, w.velocity(i)).append(' ');
            for (int i = 0; i < n; i++) hex(b, w.effort(i)).append(' ');
            w.sensedWrench(wrench);
            for (double v : wrench) hex(b, v).append(' ');
            w.linkPose("hand", hand);
            for (int i = 0; i < 12; i++) hex(b, hand[i]).append(' ');
            if (w.settings().objects()) {
                w.cubePose(cube);
                for (double v : cube) hex(b, v).append(' ');
            }
            b.append(s.reward()).append(' ').append(s.done());
            lines.add(b.toString());
        }
        return lines;
    }

    private static StringBuilder hex(StringBuilder b, double v) {
        return b.append(Long.toHexString(Double.doubleToRawLongBits(v)));
    }
}
