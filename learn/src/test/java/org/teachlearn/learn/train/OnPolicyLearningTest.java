package org.teachlearn.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Short versions of the on-policy learning results (bench/learn-results.sh runs the full ones):
 * PPO learns to reach from reward alone, and PPO-KL, TRPO and REINFORCE runs write their log,
 * curves and model. A class of its own beside {@link LearningTest}, so the two run in parallel.
 */
class OnPolicyLearningTest extends TrainRuns {

    @Test
    void ppoLearnsToReachFromReward() throws Exception {
        // with the hand feature PPO reaches within 40 k steps (seed 1: 66 % of the training episodes, 20 of 20 evaluated); without it this test needed 80 k
        Path out = train("ppo", "--steps", "40960", "--hand-feature", "on", "--eval-every", "10", "--eval-episodes", "20");
        List<double[]> rows = CsvLog.read(out.resolve("progress.csv"));
        double first = rows.get(0)[col(out, "mean_return")], lastReturn = rows.get(rows.size() - 1)[col(out, "mean_return")];
        double success = rows.get(rows.size() - 1)[col(out, "success_rate")];
        assertTrue(lastReturn > first + 3, "PPO's mean return went from " + first + " to " + lastReturn);
        assertTrue(success >= 0.25, "PPO's episodes succeeded " + success * 100 + " % of the time after 40 k steps");
    }

    @Test
    void everyOnPolicyAlgorithmWritesItsLogCurvesAndModel() throws Exception {
        for (String algo : new String[] {"ppo-kl", "trpo", "reinforce"}) {
            Path out = train(algo, "--steps", "4096", "--envs", "4", "--rollout", "256", "--eval-every", "2", "--eval-episodes", "2");
            List<double[]> rows = CsvLog.read(out.resolve("progress.csv"));
            assertEquals(4, rows.size(), algo + " iterations");
            for (double[] r : rows) assertTrue(Double.isFinite(r[col(out, "policy_loss")]) && Double.isFinite(r[col(out, "value_loss")]), algo);
            for (String f : new String[] {"curve.png", "curve.svg", "policy.onnx", "checkpoint.bin", "summary.txt"}) {
                assertTrue(Files.size(out.resolve(f)) > 0, algo + " wrote no " + f);
            }
        }
    }
}
