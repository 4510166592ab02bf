package org.teachlearn.nodes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.train.CsvLog;
import org.teachlearn.msgs.std_msgs.UInt32;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.TestNodes;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.RosPeers;

/**
 * The trainer killed with SIGKILL mid-run: the workers go on serving the last model; the trainer
 * started again on the same run directory resumes from its last checkpoint, counts versions on
 * upward, and its progress.csv continues the same curve to the end of the run.
 */
class TrainerCrashTest {

    @TempDir
    Path dir;

    private Process trainer(URI master, Path out, String log) throws Exception {
        return new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", Trainer.class.getName(),
                "__master:=" + master, "_out:=" + out, "_rollout_rows:=512", "_steps:=4096", "_eval_episodes:=5",
                "_urdf:=" + TrainerOverRosTest.URDF).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void aTrainerKilledWithSigkillResumesTheSameRunWhileTheWorkersServeOn() throws Exception {
        Path out = dir.resolve("run");
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            URI uri = master.uri();
            Node watcher = TestNodes.node("watcher", uri);
            Map<Integer, Long> running = new ConcurrentHashMap<>();
            AtomicLong steps = new AtomicLong();
            for (int i = 0; i < 2; i++) {
                int w = i;
                watcher.subscribe("/worker_" + i + "/policy/version", UInt32.TYPE, 10, m -> running.put(w, m.data & 0xFFFFFFFFL));
            }
            watcher.subscribe("/worker_0/task/state", TaskState.TYPE, 1000, m -> steps.incrementAndGet());
            List<Node> nodes = new ArrayList<>(List.of(watcher));
            for (int i = 0; i < 2; i++) nodes.addAll(List.of(TrainerOverRosTest.worker(uri, i)));
            Process first = trainer(uri, out, "first.log");
            Process second = null;
            try {
                RosPeers.waitUntil(() -> running.getOrDefault(0, 0L) >= 3 && running.getOrDefault(1, 0L) >= 3, 90,
                        "both workers to run version 3; running " + running + "; log " + Files.readString(dir.resolve("first.log")));
                first.destroyForcibly();   // SIGKILL
                assertTrue(first.waitFor(10, TimeUnit.SECONDS));
                long servedBefore = steps.get();
                Map<Integer, Long> atKill = Map.copyOf(running);
                Thread.sleep(1500);
                assertTrue(steps.get() > servedBefore + 10, "worker 0 goes on stepping with its model while the trainer is down");
                assertEquals(atKill, Map.copyOf(running), "the workers keep the last model");
                long lastCheckpointed = CsvLog.read(out.resolve("progress.csv")).stream().mapToLong(r -> (long) r[0]).max().orElseThrow();

                second = trainer(uri, out, "second.log");
                Process resumed = second;
                RosPeers.waitUntil(() -> read(dir.resolve("second.log")).contains("trainer: done"), 120,
                        "the resumed trainer to finish; log " + Files.readString(dir.resolve("second.log")));
                String log = Files.readString(dir.resolve("second.log"));
                assertTrue(log.contains("trainer: resuming ") && log.contains("at update " + lastCheckpointed), log);
                assertTrue(resumed.isAlive(), "the trainer stays up after the run, its model latched");

                List<double[]> rows = CsvLog.read(out.resolve("progress.csv"));
                List<Long> iterations = rows.stream().map(r -> (long) r[0]).toList();
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), iterations, "one curve, each update once");
                List<Long> versions = rows.stream().map(r -> (long) r[2]).toList();
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), versions, "versions count on upward across the crash");
                for (long v = 1; v <= 9; v++) assertTrue(Files.exists(out.resolve(String.format("models/v%06d.onnx", v))));
                RosPeers.waitUntil(() -> running.getOrDefault(0, 0L) == 9 && running.getOrDefault(1, 0L) == 9, 20,
                        "both workers to run the last model, version 9; running " + running);
            } finally {
                first.destroyForcibly();
                if (second != null) second.destroyForcibly();
                for (Node n : nodes) n.shutdown("test over");
            }
        }
    }
}
