package org.teachlearn.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;

/** {@code train bc --turns N --mirror on}: the samples the run learns from, and the arms it refuses. */
class SymmetryTrainingTest extends TrainRuns {

    static final String[] RUN = {"--task", "pick_place", "--demos", "12", "--epochs", "1", "--eval-episodes", "1", "--seed", "3", "--control-period", "0.05"};

    private static int labels(Path run) throws Exception {
        String summary = Files.readString(run.resolve("summary.txt"));
        return Integer.parseInt(summary.replaceAll("(?s).*?: (\\d+) expert labels.*", "$1"));
    }

    private static String[] with(String... more) {
        String[] all = java.util.Arrays.copyOf(RUN, RUN.length + more.length);
        System.arraycopy(more, 0, all, RUN.length, more.length);
        return all;
    }

    @Test
    void aRunLearnsFromItsSamplesTurnedAndMirroredAndNothingElseChanges() throws Exception {
        int plain = labels(train("bc", RUN));
        int turned = labels(train("bc", with("--turns", "2")));
        Path run = train("bc", with("--turns", "2", "--mirror", "on"));
        int both = labels(run);
        // turns alone give at most 3 times the samples; the mirror images (and their turns) more, up to 6 times.
        // Twelve demonstrations cover part of the table (images keep each goal point within twelve points'
        // bounding box), so some images are left out.
        assertTrue(turned > 2 * plain && turned <= 3 * plain, plain + " → " + turned);
        assertTrue(both > turned && both > 3 * plain && both <= 6 * plain, plain + " → " + turned + " → " + both);
        assertTrue(Files.size(run.resolve("policy.onnx")) > 0);
    }

    @Test
    void anArmOrOptionWithoutTheSymmetryIsRefusedSayingWhy() throws Exception {
        String lab6 = LearnFixtures.root().resolve("urdf/lab6_arm.urdf").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> train("bc", with("--mirror", "on", "--urdf", lab6)));
        assertEquals("--mirror: this arm's kinematics are not mirror-symmetric: no choice of joint signs mirrors the hand's pose about the plane"
                + " through the base axis and x", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> train("bc", with("--mirror", "sometimes")));
        assertEquals("--mirror is on or off, got 'sometimes'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> train("bc", with("--turns", "-1")));
        assertEquals("--turns must be 0..100, got -1", e.getMessage());
        // an algorithm that learns from no cloned demonstrations does not take them silently
        e = assertThrows(IllegalArgumentException.class, () -> train("ppo", "--task", "reach", "--steps", "256", "--turns", "2"));
        assertEquals("--turns and --mirror add to the demonstrations bc and dagger learn from; ppo does not take them", e.getMessage());
    }
}
