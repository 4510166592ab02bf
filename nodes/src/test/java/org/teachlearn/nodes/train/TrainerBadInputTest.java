package org.teachlearn.nodes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.online.Intake;
import org.teachlearn.learn.train.OnlineTraining;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.nodes.policy.PolicyServer;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * The trainer (ppo) against a naive stranger: one good worker (sim_arm in lockstep and a
 * stochastic policy_server in /worker_0, as launch/worker.launch starts them) and a rospy script
 * that copies one of its batches and publishes it back as worker /evil, bent one way at a time
 * (NaN reward, lengths that do not fit, obs_dim 14, policy_version 4000000000, done 7, another
 * task, no rows, obs_dim 2^32 - 1, a short expert_action, a 10 kB name, 20 480-row messages,
 * the same batch 50 times), then floods with batches of its own as fast as rospy sends them. Each refusal is an error on /rosout naming /evil and
 * what is wrong, the counters count them, what waits stays within ~max_pending_rows, and the
 * good worker's batches go on being used and the model version climbing through the flood and
 * after it.
 */
class TrainerBadInputTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String URDF = "../urdf/teach_arm.urdf";
    static final String GOOD = "/worker_0/policy_server";
    static final int MAX_PENDING = 2048;
    static final int FLOOD_SECONDS = 6;

    @TempDir
    Path dir;

    /** What the trainer looked like at one moment. */
    record Sample(long nanos, long version, long goodBatches, long pending, long heap) {
    }

    @Test
    void badExperienceIsRefusedNamingTheWorkerWhileTheGoodWorkerGoesOnTeaching() throws Exception {
        System.setProperty("teachlearn.home", ROOT.toString());
        List<String> lines = new CopyOnWriteArrayList<>();
        List<Sample> samples = new CopyOnWriteArrayList<>();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Node> nodes = new ArrayList<>();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node listener = node("listener", master.uri());
            nodes.add(listener);
            listener.subscribe("/rosout", Log.TYPE, 1000, m -> {
                if (m.name.equals("/trainer")) lines.add(m.msg);
            });
            Node trainerNode = node("trainer", master.uri(), "_out:=" + dir.resolve("run"), "_rollout_rows:=512", "_steps:=10000000",
                    "_max_pending_rows:=" + MAX_PENDING, "_epochs:=4", "_seed:=3", "_worker_timeout:=30");
            nodes.add(trainerNode);
            OnlineTraining training = new Trainer(trainerNode).training();
            // one worker as worker.launch starts it: its own namespace, its simulator's /clock kept in it
            Node sim = node("sim_arm", master.uri(), "__ns:=/worker_0", "/clock:=clock", "_lockstep:=true", "_task:=reach",
                    "_control_period:=0.05", "_seed:=0", "_urdf:=" + URDF);
            nodes.add(sim);
            Thread loop = new SimArm(sim).start();
            Node server = node("policy_server", master.uri(), "__ns:=/worker_0", "/clock:=clock", "_lockstep:=true", "_stochastic:=true",
                    "_task:=reach", "_seed:=0", "_urdf:=" + URDF);
            nodes.add(server);
            new PolicyServer(server);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    Map<String, Long> c = training.counters();
                    Intake.Worker w = worker(training, GOOD);
                    samples.add(new Sample(System.nanoTime(), c.get("version"), w == null ? 0 : w.batches, c.get("pending_rows"),
                            memory.getHeapMemoryUsage().getUsed()));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "sampler");
            sampler.setDaemon(true);
            sampler.start();
            Peer evil = null;
            try {
                long t0 = System.nanoTime();
                // the waits are ceilings for a machine loaded by other work; unloaded, the test takes about 40 s
                RosPeers.waitUntil(() -> last(samples).goodBatches() >= 2 && last(samples).version() >= 2, 120,
                        "two batches of the good worker used and version 2 published; trainer log: " + lines);
                System.out.printf("trainer: the good worker's first 2 batches used, version %d, after %.1f s%n", last(samples).version(),
                        (System.nanoTime() - t0) / 1e9);

                long heapBefore = heapAfterGc(memory);
                evil = Peer.start(master.uri(), "bash", "-c", "eval \"$('" + ROOT.resolve("teach_learn") + "' env)\" && exec " + RosPeers.PYTHON
                        + " '" + Path.of("src/test/peers/evil_worker.py").toAbsolutePath() + "' " + FLOOD_SECONDS);
                evil.awaitLine(l -> l.equals("sent large"), 120);
                evil.awaitLine(l -> l.equals("flood start"), 60);
                Sample floodStart = last(samples);
                String sent = evil.awaitLine(l -> l.startsWith("flood sent"), 60);
                Sample floodEnd = last(samples);
                evil.awaitLine(l -> l.equals("done"), 60);
                System.out.println("evil_worker: " + sent);

                String[][] refusals = {
                    {"reward[3] is NaN"}, {"obs has ", " values, not "}, {"obs_dim 14 and act_dim"},
                    {"policy_version 4000000000 was never published"}, {"done[0] is 7"}, {"its task is 'pick_place', the trainer learns 'reach'"},
                    {"it holds no transitions"}, {"obs_dim 4294967295"}, {"expert_action has 3 values"},
                    {"worker name is 10245 characters long"}, {"the worker floods: 20480 transitions in one batch"},
                    {"the worker replays: the same transitions as one of its last"}};
                for (String[] r : refusals) {
                    RosPeers.waitUntil(() -> lines.stream().anyMatch(l -> refusal(l, r)), 30,
                            "a refusal naming /evil with " + List.of(r) + "; trainer log: " + lines);
                    System.out.println("  " + lines.stream().filter(l -> refusal(l, r)).findFirst().orElseThrow());
                }
                assertTrue(lines.stream().anyMatch(l -> l.contains("worker /evil sends no sampled actions")),
                        "the deterministic batch (all logprob NaN) is taken, with a note that ppo skips its rows: " + lines);
                for (String l : lines) assertTrue(l.length() < 1000, "no log line carries the 10 kB name: " + l.length() + " characters");
                long floodLines = lines.stream().filter(l -> l.contains("from worker /evil") && l.contains("the worker floods: ")).count();
                System.out.println("trainer: " + floodLines + " lines on /rosout about /evil's flood");

                // after the flood the good worker goes on teaching
                RosPeers.waitUntil(() -> last(samples).goodBatches() >= floodEnd.goodBatches() + 2
                        && last(samples).version() >= floodEnd.version() + 2,
                        60, "two more batches of the good worker used and two more versions after the flood; trainer log: " + lines);
                Sample after = last(samples);

                long heapAfter = heapAfterGc(memory);
                Map<String, Long> c = training.counters();
                Intake.Worker bad = worker(training, "/evil"), good = worker(training, GOOD);
                System.out.println("trainer counters: " + c);
                System.out.printf("/evil: %d batches used, %d stale, %d refused, %d flooded, at most %d rows waiting; %s: %d used, %d stale, "
                        + "%d refused, %d flooded, at most %d rows waiting%n", bad.batches, bad.stale, bad.refused, bad.flooded, bad.peakPendingRows,
                        GOOD, good.batches, good.stale, good.refused, good.flooded, good.peakPendingRows);
                long peakHeap = samples.stream().filter(s -> s.nanos() >= floodStart.nanos()).mapToLong(Sample::heap).max().orElse(0);
                long peakPending = samples.stream().mapToLong(Sample::pending).max().orElse(0);
                System.out.printf("heap in use after a full collection: %d MB before /evil, %d MB after it%n", heapBefore >> 20, heapAfter >> 20);
                System.out.printf("flood: %.1f s; good worker's batches used %d -> %d (flood sent) -> %d, model version %d -> %d -> %d; "
                        + "rows waiting at most %d (sampled) / %d (intake); heap used at most %d MB (max %d MB, collected lazily)%n",
                        (floodEnd.nanos() - floodStart.nanos()) / 1e9, floodStart.goodBatches(), floodEnd.goodBatches(), after.goodBatches(),
                        floodStart.version(), floodEnd.version(), after.version(), peakPending, c.get("peak_pending_rows"), peakHeap >> 20,
                        memory.getHeapMemoryUsage().getMax() >> 20);

                assertEquals(10, c.get("malformed_batches"), "the ten malformed batches, and nothing of the good worker's, were refused");
                assertEquals(9, bad.refused, "refusals booked against /evil (the 10 kB name is not a worker of the book)");
                assertTrue(bad.replayed >= 1 && bad.replayed == c.get("replayed_batches"), "replays dropped: " + bad.replayed);
                assertEquals(c.get("malformed_batches") + c.get("replayed_batches") + c.get("flooded_batches"), c.get("refused_batches"));
                assertTrue(bad.flooded >= 3, "the three 20 480-row messages were dropped as a flood: " + bad.flooded);
                assertEquals(c.get("flooded_batches"), bad.flooded, "only /evil flooded");
                assertEquals(0, good.refused + good.flooded, "nothing of the good worker's was refused or dropped");
                assertTrue(heapAfter - heapBefore < 64L << 20,
                        "the heap keeps nothing of /evil's: " + (heapBefore >> 20) + " -> " + (heapAfter >> 20) + " MB");
                long floodSeconds = (floodEnd.nanos() - floodStart.nanos()) / 1_000_000_000L;
                assertTrue(floodLines <= floodSeconds + 8, "one line a second about the flood, not one per batch: " + floodLines);
                assertTrue(bad.peakPendingRows <= MAX_PENDING, "/evil never had more than ~max_pending_rows waiting: " + bad.peakPendingRows);
                assertTrue(c.get("peak_pending_rows") <= c.get("max_pending_rows_total") && c.get("max_pending_rows_total") <= 16L * MAX_PENDING,
                        "all workers' waiting rows bounded: " + c);
                assertTrue(floodEnd.goodBatches() > floodStart.goodBatches() && floodEnd.version() > floodStart.version(),
                        "during the flood the good worker's batches are used and new versions published");
            } finally {
                sampler.interrupt();
                if (evil != null) evil.close();
                for (int i = nodes.size() - 1; i >= 0; i--) nodes.get(i).shutdown("test over");
                loop.join(5000);
                training.close();
            }
        }
    }

    static long heapAfterGc(MemoryMXBean memory) {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    static boolean refusal(String line, String[] parts) {
        if (!line.contains("from worker /evil") || !line.contains("was dropped")) return false;
        for (String p : parts) if (!line.contains(p)) return false;
        return true;
    }

    static Sample last(List<Sample> samples) {
        return samples.isEmpty() ? new Sample(0, 0, 0, 0, 0) : samples.get(samples.size() - 1);
    }

    static Intake.Worker worker(OnlineTraining training, String name) {
        for (Intake.Worker w : training.workers()) if (w.name.equals(name)) return w;
        return null;
    }
}
