package org.teachlearn.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;

/**
 * A PPO, SAC or TD3 run killed with {@code kill -9} resumes from its last checkpoint and writes exactly
 * the rows an uninterrupted run writes (timing aside): same weights, optimisers, normaliser, random
 * state, environment seeds and, off-policy, the same replay buffer (and TD3's count of updates,
 * which decides when its actor steps; SAC and TD3 with demonstration replay, whose buffer a resumed
 * run makes again from the seed, and the behaviour-cloning term on it; SAC on a discriminator's
 * reward, whose discriminator is kept; GAIL with VAIL's bottleneck, whose head and β are kept).
 */
class CheckpointResumeTest {

    @TempDir
    Path dir;

    static List<String> args(String algorithm, Path out) {
        if (algorithm.equals("sac-gail")) {   // the discriminator and its optimiser are in the checkpoint too
            List<String> a = offPolicy("sac", out);
            a.addAll(List.of("--reward", "gail", "--demos", "2", "--disc-gp", "10"));   // the penalty's points are drawn from the checkpointed random state
            return a;
        }
        if (TrainCommand.OFF_POLICY.contains(algorithm)) {
            List<String> a = offPolicy(algorithm, out);
            // made again on resume, and the normaliser saw it once; the cloning term (Q-filtered) holds no state
            if (algorithm.equals("sac")) a.addAll(List.of("--demo-replay", "2", "--demo-bc", "1"));
            if (algorithm.equals("td3")) a.addAll(List.of("--demo-replay", "2", "--demo-bc", "0.5", "--demo-bc-filter", "none"));
            return a;
        }
        List<String> a = new ArrayList<>(List.of(algorithm, "--out", out.toString(), "--steps", "1536", "--envs", "2", "--rollout", "128",
                "--checkpoint-every", "2", "--eval-every", "4", "--eval-episodes", "4", "--epochs", "4", "--seed", "5"));
        // the discriminator and its optimiser are in the checkpoint too, and VAIL's head and β
        if (algorithm.equals("gail")) a.addAll(List.of("--demos", "4", "--disc-bottleneck", "4", "--disc-beta-step", "0.01"));
        return a;
    }

    private static List<String> offPolicy(String algorithm, Path out) {
        return new ArrayList<>(List.of(algorithm, "--out", out.toString(), "--steps", "1500", "--log-every", "250", "--learning-starts",
                "150", "--envs", "2", "--batch", "32", "--hidden", "32x32", "--checkpoint-every", "2", "--eval-every", "4", "--eval-episodes", "4",
                "--seed", "5"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ppo", "gail", "sac", "td3", "sac-gail"})
    void runKilledWithSigkillResumesOnTheSameCurve(String algorithm) throws Exception {
        System.setProperty("teachlearn.home", LearnFixtures.root().toString());
        Path straight = dir.resolve("straight"), killed = dir.resolve("killed");
        TrainCommand.train(args(algorithm, straight));

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dteachlearn.home=" + LearnFixtures.root(), "-cp", System.getProperty("java.class.path"),
                TrainCommand.class.getName(), "train"));
        cmd.addAll(args(algorithm, killed));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        Path ckpt = killed.resolve("checkpoint.bin");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(ckpt) && Long.parseLong(Checkpoint.settings(ckpt).get("iteration")) >= 4)) {
            assertTrue(p.isAlive(), "the training process ended before its second checkpoint:\n" + Files.readString(dir.resolve("killed.log")));
            assertTrue(System.nanoTime() < deadline, "no checkpoint at iteration 4 within 120 s");
            Thread.sleep(20);
        }
        p.destroyForcibly();   // SIGKILL: no shutdown hooks, no flushing
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "the process should have died of SIGKILL");
        long at = Long.parseLong(Checkpoint.settings(ckpt).get("iteration"));
        assertTrue(at < 6, "the run finished before it could be killed (iteration " + at + ")");

        List<String> resume = new ArrayList<>(List.of(args(algorithm, killed).get(0), "--out", killed.toString(), "--resume"));
        TrainCommand.train(resume);

        List<String> a = withoutTiming(straight.resolve("progress.csv")), b = withoutTiming(killed.resolve("progress.csv"));
        assertEquals(7, a.size(), "header and 6 iterations");
        assertEquals(a, b, "the resumed run's log differs from the uninterrupted run's");
        assertTrue(Files.size(killed.resolve("policy.onnx")) > 0);
        assertTrue(Files.size(killed.resolve("curve.png")) > 0);
    }

    /** The CSV without its last column (steps per second, which is wall-clock time). */
    private static List<String> withoutTiming(Path csv) throws Exception {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(csv)) out.add(l.substring(0, l.lastIndexOf(',')));
        return out;
    }
}
