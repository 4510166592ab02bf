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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.train.CsvLog;
import org.teachlearn.msgs.std_msgs.UInt32;
import org.teachlearn.msgs.teach_learn.ModelUpdate;
import org.teachlearn.nodes.TestNodes;
import org.teachlearn.nodes.policy.PolicyServer;
import org.teachlearn.nodes.sim.ExpertNode;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.RosPeers;

/**
 * DAgger over ROS, short: two workers on reach with pushes (sim_arm in lockstep with ~pushes, a
 * deterministic policy_server and the scripted expert labelling every state, as train.launch
 * algorithm:=dagger pushes:=true starts them) and the trainer. Labels aggregate, every
 * ~labels_per_update of them become a new model that both workers swap in, and at ~label_budget
 * the trainer stops with its summary.
 */
class DaggerOverRosTest {

    static final String URDF = TrainerOverRosTest.URDF;

    @TempDir
    Path dir;

    /** sim_arm, policy_server and expert of worker {@code i}, as launch/worker.launch starts them with expert:=true pushes:=true. */
    static Node[] worker(URI master, int i) throws Exception {
        String ns = "__ns:=/worker_" + i;
        Node sim = TestNodes.node("sim_arm", master, ns, "/clock:=clock", "_lockstep:=true", "_task:=reach", "_control_period:=0.01",
                "_seed:=" + 1_000_000 * i, "_pushes:=true", "_urdf:=" + URDF);
        Node server = TestNodes.node("policy_server", master, ns, "/clock:=clock", "_lockstep:=true", "_stochastic:=false", "_seed:=" + i,
                "_task:=reach", "_urdf:=" + URDF);
        Node expert = TestNodes.node("expert", master, ns, "/clock:=clock", "_task:=reach", "_control_period:=0.01", "_urdf:=" + URDF);
        new ExpertNode(expert);
        new SimArm(sim).start();
        new PolicyServer(server);
        return new Node[] {sim, server, expert};
    }

    @Test
    void expertLabelsAggregateIntoModelsEveryWorkerServesUntilTheBudget() throws Exception {
        Path out = dir.resolve("run");
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            URI uri = master.uri();
            Node watcher = TestNodes.node("watcher", uri);
            List<Long> versions = new CopyOnWriteArrayList<>();
            Map<Integer, Long> running = new ConcurrentHashMap<>();
            watcher.subscribe("/policy/model", ModelUpdate.TYPE, 10, m -> versions.add(m.version & 0xFFFFFFFFL));
            for (int i = 0; i < 2; i++) {
                int w = i;
                watcher.subscribe("/worker_" + i + "/policy/version", UInt32.TYPE, 10, m -> running.put(w, m.data & 0xFFFFFFFFL));
            }
            Node trainerNode = TestNodes.node("trainer", uri, "_algorithm:=dagger", "_out:=" + out, "_control_period:=0.01",
                    "_labels_per_update:=600", "_label_budget:=2400", "_update_epochs:=3", "_pushes:=true", "_eval_episodes:=2",
                    "_urdf:=" + URDF);
            Trainer trainer = new Trainer(trainerNode);
            List<Node> nodes = new ArrayList<>(List.of(trainerNode, watcher));
            try {
                nodes.addAll(List.of(worker(uri, 0)));
                nodes.addAll(List.of(worker(uri, 1)));
                RosPeers.waitUntil(() -> trainer.training().counters().get("labels") > 0, 30, "the first expert labels");
                RosPeers.waitUntil(() -> trainer.training().version() >= 2, 30, "a first update; counters " + trainer.training().counters());
                RosPeers.waitUntil(() -> running.getOrDefault(0, 0L) >= 2 && running.getOrDefault(1, 0L) >= 2, 20,
                        "both workers to swap in version 2; running " + running);
                RosPeers.waitUntil(() -> trainer.training().finished(), 40, "the trainer to spend its 2400 labels; counters "
                        + trainer.training().counters());
                Map<String, Long> c = trainer.training().counters();
                assertEquals(2400L, c.get("labels"), "the budget, exactly: " + c);
                // an update per 600 new labels, whole batches of 256 at a time, and a last one at the budget
                long last = trainer.training().version();
                assertTrue(c.get("iteration") >= 3 && last == c.get("iteration") + 1, "updates: " + c);
                RosPeers.waitUntil(() -> running.getOrDefault(0, 0L) == last && running.getOrDefault(1, 0L) == last, 20,
                        "both workers to run the last model, version " + last + "; running " + running);
                assertEquals(java.util.stream.LongStream.rangeClosed(1, last).boxed().toList(), versions.stream().distinct().toList(),
                        "one model per update after the first");
                assertEquals(0L, c.get("refused_batches"));
                // a budget of about nine batches of 256: with 1,200 (five) a worker started a second after the other on a
                // loaded 2-core VM sent nothing before the budget was spent (CI, once)
                for (var w : trainer.training().workers()) assertTrue(w.batches > 0, w.name + " was used");
                List<double[]> rows = CsvLog.read(out.resolve("progress.csv"));
                int labels = List.of(Files.readAllLines(out.resolve("progress.csv")).get(0).split(",")).indexOf("labels");
                assertEquals(2400, rows.get(rows.size() - 1)[labels], "the last row counts every label");
                String summary = Files.readString(out.resolve("summary.txt"));
                assertTrue(summary.startsWith("dagger over ROS on reach with pushes:") && summary.contains("2400 expert labels"), summary);
            } finally {
                trainer.training().close();
                for (Node n : nodes) n.shutdown("test over");
            }
        }
    }
}
