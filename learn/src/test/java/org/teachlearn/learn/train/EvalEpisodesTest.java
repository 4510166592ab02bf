package org.teachlearn.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;

/** {@code eval RUN --episodes-csv FILE}: one row per evaluated episode, agreeing with the success rate printed. */
class EvalEpisodesTest {

    @TempDir
    Path dir;

    @Test
    void everyEpisodeIsARowAndTheScriptedExpertEndsWithinTheTolerance() throws Exception {
        System.setProperty("teachlearn.home", LearnFixtures.root().toString());
        Path run = dir.resolve("bc"), csv = dir.resolve("episodes.csv");
        TrainCommand.train(List.of("bc", "--out", run.toString(), "--demos", "2", "--epochs", "1", "--eval-episodes", "1", "--seed", "3"));
        TrainCommand.eval(List.of(run.toString(), "--expert", "--episodes", "6", "--seed", "40", "--episodes-csv", csv.toString()));

        List<String> lines = Files.readAllLines(csv);
        assertEquals("episode,seed,success,steps,return,last_reward,best_reward", lines.get(0));
        assertEquals(7, lines.size(), String.join("\n", lines));
        for (int e = 0; e < 6; e++) {
            String[] f = lines.get(1 + e).split(",");
            assertEquals(Integer.toString(e), f[0]);
            assertEquals(Long.toString(40 + e), f[1]);
            assertEquals("1", f[2], "the scripted expert reaches: " + lines.get(1 + e));
            int steps = Integer.parseInt(f[3]);
            assertTrue(steps > 1 && steps <= 300, "within reach's 3 s at 100 Hz: " + steps);
            // reach's reward is minus the distance left, plus 1 on the step that ends within 2 cm
            double last = Double.parseDouble(f[5]);
            assertTrue(last > 1 - 0.02 && last <= 1, "the last step's reward " + last);
            assertTrue(Double.parseDouble(f[6]) == last, "nothing beats the step that succeeds");
        }
    }
}
