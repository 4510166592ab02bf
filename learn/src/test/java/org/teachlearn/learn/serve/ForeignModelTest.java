package org.teachlearn.learn.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;

/**
 * Models from elsewhere: MLPs exported by PyTorch's {@code torch.onnx.export} (Debian's
 * python3-torch) run with their layout given by the caller and give PyTorch's outputs; a model
 * whose action is a chunk [batch, K, act_dim] is recognised as one; without a layout the error
 * says what to give.
 */
class ForeignModelTest {

    static final String[] ARM = {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7"};

    @TempDir
    static Path dir;
    static Map<String, double[]> expected = new HashMap<>();

    @BeforeAll
    static void export() throws Exception {
        PolicySlotTest.djlCreatesTheEnvironment();
        LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/torch_export.py"), dir.toString());
        for (String l : Files.readAllLines(dir.resolve("expected.txt"))) {
            String[] p = l.trim().split("\\s+");
            expected.put(p[0], Arrays.stream(p, 1, p.length).mapToDouble(Double::parseDouble).toArray());
        }
    }

    static PolicyInfo layout() {
        double[] low = new double[8], high = new double[8];
        Arrays.fill(low, -10);
        Arrays.fill(high, 10);
        return PolicyInfo.forArm(ARM, "finger_left_joint").observationSize(18).actionLimits(low, high).build();
    }

    @Test
    void pytorchMlpRunsWithTheLayoutGivenAndMatchesTorch() throws Exception {
        try (OnnxPolicy p = new OnnxPolicy(Files.readAllBytes(dir.resolve("plain.onnx")), layout())) {
            assertEquals(1, p.chunk());
            double[] action = new double[8];
            p.act(expected.get("obs"), action);
            close(expected.get("plain"), action);
            assertEquals(null, p.logStd(), "a model without log_std has none");
        }
    }

    @Test
    void chunkedModelGivesItsKActions() throws Exception {
        try (OnnxPolicy p = new OnnxPolicy(Files.readAllBytes(dir.resolve("chunk.onnx")), layout())) {
            assertEquals(4, p.chunk());
            double[] actions = new double[4 * 8];
            p.act(expected.get("obs"), actions);
            close(expected.get("chunk"), actions);
        }
    }

    @Test
    void modelWithoutMetadataOrLayoutIsRefusedWithWhatToGive() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OnnxPolicy(Files.readAllBytes(dir.resolve("plain.onnx")), null));
        assertTrue(e.getMessage().contains("~joint_names"), e.getMessage());
    }

    private static void close(double[] torch, double[] ours) {
        assertEquals(torch.length, ours.length);
        for (int i = 0; i < torch.length; i++) assertEquals(torch[i], ours[i], 1e-5, "output " + i);
    }
}
