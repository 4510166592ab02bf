package org.teachlearn.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Short versions of the off-policy results (bench/learn-results.sh runs the full ones): SAC learns
 * from reward and tunes its temperature, TD3 and DDPG write their log, curves and model, SAC runs
 * with hindsight goals and a decaying learning rate. A class of its own beside {@link
 * LearningTest}, so the two run in parallel.
 */
class OffPolicyLearningTest extends TrainRuns {

    @Test
    void sacLearnsFromRewardTunesItsTemperatureAndWritesItsRun() throws Exception {
        Path out = train("sac", "--steps", "10000", "--log-every", "1000", "--batch", "64", "--eval-every", "10", "--eval-episodes", "10");
        List<double[]> rows = CsvLog.read(out.resolve("progress.csv"));
        assertEquals(10, rows.size(), "rows of 1,000 steps");
        double first = rows.get(0)[col(out, "mean_return")], lastReturn = rows.get(rows.size() - 1)[col(out, "mean_return")];
        assertTrue(lastReturn > first + 5, "SAC's mean return went from " + first + " (acting at random) to " + lastReturn);
        assertTrue(rows.get(rows.size() - 1)[col(out, "alpha")] < 0.2, "the temperature was tuned down from 1 towards the target entropy");
        for (double[] r : rows.subList(1, rows.size())) assertTrue(Double.isFinite(r[col(out, "value_loss")]), "finite critic loss");
        for (String f : new String[] {"curve.png", "curve.svg", "policy.onnx", "checkpoint.bin", "summary.txt"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, "sac wrote no " + f);
        }
    }

    @Test
    void td3AndDdpgWriteTheirLogCurvesAndModel() throws Exception {
        for (String algo : new String[] {"td3", "ddpg"}) {
            Path out = train(algo, "--steps", "2000", "--log-every", "500", "--learning-starts", "500", "--batch", "32", "--eval-every", "2",
                    "--eval-episodes", "2");
            List<double[]> rows = CsvLog.read(out.resolve("progress.csv"));
            assertEquals(4, rows.size(), algo + " rows");
            for (double[] r : rows.subList(1, rows.size())) {
                assertTrue(Double.isFinite(r[col(out, "policy_loss")]) && Double.isFinite(r[col(out, "value_loss")]), algo + " losses");
            }
            for (String f : new String[] {"curve.png", "curve.svg", "policy.onnx", "checkpoint.bin", "summary.txt"}) {
                assertTrue(Files.size(out.resolve(f)) > 0, algo + " wrote no " + f);
            }
        }
    }

    @Test
    void sacWithHindsightGoalsAndADecayingLearningRateRuns() throws Exception {
        Path out = train("sac", "--steps", "2000", "--log-every", "500", "--learning-starts", "500", "--batch", "32", "--hidden", "32x32",
                "--eval-every", "4", "--eval-episodes", "2", "--lr", "1e-3", "--lr-decay", "linear", "--hindsight-share", "0.8");
        List<double[]> rows = CsvLog.read(out.resolve("progress.csv"));
        assertEquals(4, rows.size());
        for (int k = 0; k < 4; k++) {
            assertEquals(1e-3 * (1 - k * 500 / 2000.0), rows.get(k)[col(out, "learning_rate")], 1e-12, "the rate of row " + k);
        }
        for (double[] r : rows.subList(1, rows.size())) assertTrue(Double.isFinite(r[col(out, "value_loss")]), "finite critic loss");
        // the hand feature, on by default for sac on reach: the model still takes the 18 values of the contract
        try (var model = new org.teachlearn.learn.serve.OnnxPolicy(Files.readAllBytes(out.resolve("policy.onnx")), null)) {
            assertEquals(18, model.info().obsDim());
            double[] action = new double[8];
            model.act(new double[] {0, -0.785, 0, -2.356, 0, 1.571, 0.785, 0, 0, 0, 0, 0, 0, 0, 0.04, 0.4, 0.1, 0.4}, action);
            for (double a : action) assertTrue(Double.isFinite(a));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> train("sac", "--steps", "1000", "--hand-feature", "yes"));
        assertTrue(e.getMessage().contains("--hand-feature is on or off"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> train("sac", "--task", "pick_place", "--steps", "1000", "--hindsight-share", "0.8"));
        assertTrue(e.getMessage().contains("--hindsight-share is for reach"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> train("sac", "--steps", "1000", "--lr-decay", "cosine"));
        assertTrue(e.getMessage().contains("--lr-decay is none or linear"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> train("ppo", "--steps", "1000", "--lr-decay", "linear"));
        assertTrue(e.getMessage().contains("--lr-decay is for bc, sac, td3 and ddpg") && e.getMessage().contains("anneals"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> train("ppo", "--steps", "1000", "--init-log-std", "-2"));
        assertTrue(e.getMessage().contains("without --init use --log-std-init"), e.getMessage());
    }
}
