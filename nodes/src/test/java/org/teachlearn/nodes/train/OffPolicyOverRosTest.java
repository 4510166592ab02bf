package org.teachlearn.nodes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * launch/train.launch algorithm:=sac under Debian's roslaunch and roscore: two simulated workers
 * explore with the model's σ (stochastic by default for the off-policy learners), the trainer
 * learns from every transition whatever model made it (no batch is stale), publishes a model every
 * log_every transitions, each worker swaps them in, and at steps the trainer takes the gradient
 * steps still owed and writes its summary. The workers step at the arm's rate, not as fast as they can.
 */
class OffPolicyOverRosTest {

    @TempDir
    Path dir;

    @Test
    void sacLearnsFromTwoWorkersAndTheirModelsFollowIt() throws Exception {
        URI[] master = new URI[1];
        Path run = dir.resolve("run");
        try (Peer roscore = RosPeers.roscore(master);
                Peer launch = TrainLaunch.start(master[0], "127.0.0.1", TrainLaunch.env(dir.resolve("ros")), "algorithm:=sac", "workers:=2", "worker_rate:=50",
                        "steps:=1600", "log_every:=200", "hidden:=32x32", "eval_episodes:=5", "out:=" + run)) {
            RosPeers.waitUntil(() -> Files.exists(run.resolve("summary.txt")), 180, "the trainer's summary:\n" + TrainLaunch.tail(launch));
            List<TrainLaunch.Update> updates = TrainLaunch.updates(launch);
            assertEquals(9, updates.size(), "the first model, then one every 200 of 1,600 transitions:\n" + TrainLaunch.tail(launch));
            for (int i = 0; i < updates.size(); i++) {
                assertEquals(i + 1, updates.get(i).version());
                assertEquals(200L * i, updates.get(i).envSteps());
            }
            // the workers step at most at 50 Hz of wall time (worker_rate; the default is the arm's 20 Hz), so 2 of
            // them make 100 rows a second: 1,400 rows between the second model and the last take 14 s, not the few they could
            double paced = updates.get(updates.size() - 1).time() - updates.get(1).time();
            assertTrue(paced > 12 && paced < 90, "rows 200 to 1,600 in " + paced + " s at 2 × 50 Hz");
            long served = TrainLaunch.workerVersion(master[0], "worker_0");
            assertTrue(served >= 7, "worker_0 serves version " + served + " (the trainer published up to 9)");
            String summary = Files.readString(run.resolve("summary.txt"));
            assertTrue(summary.startsWith("sac over ROS on reach: ") && summary.contains("from 2 worker(s)"), summary);
            // a gradient step for every row from learning_starts (1,000) on, the ones still owed at the end included
            assertTrue(summary.contains(", 601 gradient steps,"), summary);
            String last = Files.readAllLines(run.resolve("progress.csv")).get(updates.size());   // after the header
            assertTrue(last.matches("8,1600,9,.*"), "the last progress row: " + last);
            assertTrue(last.split(",")[15].equals("0"), "no stale batch: an off-policy learner uses every version's experience: " + last);
            assertTrue(TrainLaunch.tail(launch).contains("sac on reach starts from a fresh policy"), TrainLaunch.tail(launch));
        }
    }
}
