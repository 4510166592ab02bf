package org.teachlearn.nodes.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.msgs.std_msgs.UInt32;
import org.teachlearn.msgs.std_srvs.SetBool;
import org.teachlearn.msgs.std_srvs.SetBoolRequest;
import org.teachlearn.msgs.std_srvs.SetBoolResponse;
import org.teachlearn.msgs.std_srvs.Trigger;
import org.teachlearn.msgs.std_srvs.TriggerRequest;
import org.teachlearn.msgs.std_srvs.TriggerResponse;
import org.teachlearn.msgs.teach_learn.ModelUpdate;
import org.teachlearn.nodes.hardening.StillArm;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * Which published models a policy server installs, over TCPROS on an embedded master with a trainer
 * stand-in publishing latched /policy/model: {@code ~accept_updates} false refuses each version
 * with one log line and the service installs the newest one; a pin takes only its version, also
 * when it was published before the server started; {@code policy/rollback} (called with Debian's
 * rosservice) swaps the previous model back and turns updates off; {@code policy/version} says
 * which model runs. Every model's arm targets are one constant, so the commands name the model.
 */
class PolicyServerUpdatesTest {

    static final String URDF = "../urdf/teach_arm.urdf";

    @TempDir
    static Path dir;
    static RobotModel robot;

    @BeforeAll
    static void loadRobot() throws Exception {
        robot = UrdfParser.parse(Path.of(URDF));
    }

    /** A trainer stand-in, the arm, and what a person watching the server sees: policy/version and its /rosout lines. */
    static final class Graph implements AutoCloseable {
        final Node peer;
        final StillArm arm;
        final Publisher<ModelUpdate> models;
        final AtomicLong version = new AtomicLong(-1);
        final AtomicInteger versionsHeard = new AtomicInteger();
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<Node> servers = new ArrayList<>();

        Graph(URI master) throws Exception {
            peer = node("trainer", master);
            models = peer.advertise("/policy/model", ModelUpdate.TYPE, 1, true);
            peer.subscribe("/rosout", Log.TYPE, 1000, m -> {
                if (m.name.equals("/policy_server")) lines.add(m.msg);
            });
            peer.subscribe("policy/version", UInt32.TYPE, 100, m -> {
                version.set(m.data);
                versionsHeard.incrementAndGet();
            });
            arm = new StillArm(peer);
        }

        Node server(URI master, String... params) throws Exception {
            List<String> all = new ArrayList<>(List.of("_urdf:=" + URDF, "_lockstep:=false", "_rate:=100", "_realtime_priority:=0"));
            all.addAll(List.of(params));
            Node n = node("policy_server", master, all.toArray(new String[0]));
            servers.add(n);
            new PolicyServer(n);
            return n;
        }

        /** Waits until the arm is driven to {@code target} on joint 1 (a constant model's value) and version is running. */
        void awaitRunning(double target, long v) throws InterruptedException {
            RosPeers.waitUntil(() -> version.get() == v && arm.commands.size() > 0 && Math.abs(arm.lastCommand()[0] - target) < 1e-6, 20,
                    "version " + v + " (joint 1 at " + target + ") to run; policy/version is " + version.get() + ", log: " + lines);
        }

        /** Waits for a log line containing all of {@code parts}. */
        String awaitLine(String... parts) throws InterruptedException {
            RosPeers.waitUntil(() -> lines.stream().anyMatch(l -> containsAll(l, parts)), 20, "a log line with " + List.of(parts) + "; log: " + lines);
            return lines.stream().filter(l -> containsAll(l, parts)).findFirst().orElseThrow();
        }

        long count(String... parts) {
            return lines.stream().filter(l -> containsAll(l, parts)).count();
        }

        /**
         * The model still running after a refused update: for 300 ms commands go on, and they lead to
         * its target. (On a loaded machine a late joint reading makes the server hold and step back
         * from the measured position under the step limit, so the last command may be on its way there.)
         */
        void stillRuns(double target, long v) throws InterruptedException {
            int before = arm.commands.size();
            Thread.sleep(300);
            assertTrue(arm.commands.size() > before + 10, "commands went on");
            RosPeers.waitUntil(() -> Math.abs(arm.lastCommand()[0] - target) < 1e-6, 10, "joint 1 to be commanded to " + target
                    + " (the running model's target); last command " + arm.lastCommand()[0]);
            assertEquals(v, version.get(), "policy/version");
        }

        @Override
        public void close() throws Exception {
            arm.close();
            peer.shutdown("test over");
            for (Node s : servers) s.shutdown("test over");
        }
    }

    private static boolean containsAll(String line, String... parts) {
        for (String p : parts) if (!line.contains(p)) return false;
        return true;
    }

    static ModelUpdate update(double value, long version) {
        return ConstantModel.update(ConstantModel.onnx(robot, value, version), version);
    }

    static SetBoolResponse accept(Node caller, boolean on) throws Exception {
        var client = caller.serviceClient("policy/accept_updates", SetBool.TYPE, false);
        assertTrue(client.waitForService(10_000), "policy/accept_updates is served");
        SetBoolRequest r = new SetBoolRequest();
        r.data = on;
        return client.call(r);
    }

    static TriggerResponse rollback(Node caller) throws Exception {
        var client = caller.serviceClient("policy/rollback", Trigger.TYPE, false);
        assertTrue(client.waitForService(10_000), "policy/rollback is served");
        return client.call(new TriggerRequest());
    }

    @Test
    void refusedUpdatesAreLoggedOnceEachAndTheServiceInstallsTheNewest() throws Exception {
        Path file = Files.write(dir.resolve("v1.onnx"), ConstantModel.onnx(robot, 0.1, 1));
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { }); Graph g = new Graph(master.uri())) {
            g.server(master.uri(), "_model:=" + file, "_accept_updates:=false");
            g.awaitRunning(0.1, 1);
            RosPeers.waitUntil(() -> g.models.subscriberCount() > 0, 10, "the server to subscribe to /policy/model");
            g.models.publish(update(-0.1, 2));
            g.models.publish(update(-0.1, 2));   // the same version again (a reconnect): no second line
            g.models.publish(update(0.2, 3));
            String refused = g.awaitLine("version 3", "not installed", "~accept_updates is false");
            System.out.println(refused);
            assertEquals(1, g.count("version 2", "not installed", "~accept_updates is false"), "one line for version 2: " + g.lines);
            g.stillRuns(0.1, 1);

            long t0 = System.nanoTime();
            SetBoolResponse on = accept(g.peer, true);
            assertTrue(on.success, on.message);
            assertTrue(on.message.contains("version 3"), on.message);
            g.awaitRunning(0.2, 3);
            System.out.printf("policy_server: policy/accept_updates true installed the waiting version 3 in %.0f ms (%s)%n",
                    (System.nanoTime() - t0) / 1e6, on.message);

            SetBoolResponse off = accept(g.peer, false);
            assertTrue(off.success && off.message.contains("refusing"), off.message);
            g.models.publish(update(-0.1, 4));
            g.awaitLine("version 4", "not installed", "policy/accept_updates");
            g.stillRuns(0.2, 3);
        }
    }

    @Test
    void aPinnedVersionPublishedBeforeTheServerStartedIsTakenAndNoOther() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { }); Graph g = new Graph(master.uri())) {
            g.models.publish(update(0.1, 5));   // latched, before any policy server runs
            // the pin is the deliberate install on a real arm: it wins over ~accept_updates false
            g.server(master.uri(), "_version_pin:=5", "_accept_updates:=false");
            g.awaitRunning(0.1, 5);
            g.models.publish(update(-0.1, 6));
            System.out.println(g.awaitLine("version 6", "not installed", "~version_pin is 5"));
            g.stillRuns(0.1, 5);
            g.models.publish(update(0.1, 5));   // the pinned model again: not reloaded
            g.awaitLine("version 5", "already running");
            assertEquals(1, g.versionsHeard.get(), "policy/version went out once");
        }
    }

    @Test
    void aTrainerThatDiesLeavesTheModelRunningAndItsRestartDoesNotReloadIt() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { }); Graph g = new Graph(master.uri())) {
            g.server(master.uri());
            Node learner = node("learner", master.uri());
            learner.advertise("/policy/model", ModelUpdate.TYPE, 1, true).publish(update(0.1, 1));
            g.awaitRunning(0.1, 1);
            learner.shutdown("killed");   // its connection closes: the server keeps what it runs
            g.stillRuns(0.1, 1);
            Node restarted = node("learner", master.uri());
            try {
                Publisher<ModelUpdate> models = restarted.advertise("/policy/model", ModelUpdate.TYPE, 1, true);
                models.publish(update(0.1, 1));   // resumed from its checkpoint: the same model, latched again
                g.awaitLine("version 1", "already running");
                assertEquals(1, g.versionsHeard.get(), "version 1 was swapped in once");
                models.publish(update(-0.1, 2));
                g.awaitRunning(-0.1, 2);
            } finally {
                restarted.shutdown("test over");
            }
        }
    }

    @Test
    void rollbackByRosserviceSwapsThePreviousModelBackAndTurnsUpdatesOff() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { }); Graph g = new Graph(master.uri())) {
            g.models.publish(update(0.1, 1));   // latched: a server that (re)starts later picks it up
            g.server(master.uri());
            g.awaitRunning(0.1, 1);
            TriggerResponse none = rollback(g.peer);
            assertFalse(none.success, none.message);
            assertTrue(none.message.contains("no previous model"), none.message);

            g.models.publish(update(-0.1, 2));
            g.awaitRunning(-0.1, 2);
            String out = Peer.run(master.uri(), 60, RosPeers.tool("rosservice"), "call", "/policy/rollback");
            System.out.println("rosservice call /policy/rollback:\n" + out.strip());
            assertTrue(out.contains("success: True") && out.contains("from version 2 to version 1"), out);
            g.awaitRunning(0.1, 1);

            g.models.publish(update(0.2, 3));   // the trainer goes on: refused until a person switches updates on
            g.awaitLine("version 3", "not installed", "policy/rollback");
            g.stillRuns(0.1, 1);
            // a late listener, as a Debian tool, gets the running version from the latched topic
            String echoed = Peer.run(master.uri(), 60, RosPeers.tool("rostopic"), "echo", "-n", "1", "/policy/version");
            assertTrue(echoed.contains("data: 1"), echoed);

            String on = Peer.run(master.uri(), 60, RosPeers.tool("rosservice"), "call", "/policy/accept_updates", "data: true");
            assertTrue(on.contains("success: True") && on.contains("version 3"), on);
            g.awaitRunning(0.2, 3);
            TriggerResponse back = rollback(g.peer);   // one previous model: back to version 1 again
            assertTrue(back.success && back.message.contains("from version 3 to version 1"), back.message);
            g.awaitRunning(0.1, 1);
        }
    }
}
