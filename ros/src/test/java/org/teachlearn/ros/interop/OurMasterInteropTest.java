package org.teachlearn.ros.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.ros.testing.RosPeers.cppPeer;
import static org.teachlearn.ros.testing.RosPeers.pyPeer;
import static org.teachlearn.ros.testing.RosPeers.tool;
import static org.teachlearn.ros.testing.RosPeers.waitUntil;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.rosgraph_msgs.Clock;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.msgs.std_msgs.String;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.master.RosoutAggregator;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.Peer;

/** Our master and nodes with real rospy and roscpp nodes and the ROS command-line tools. */
class OurMasterInteropTest {

    static Master master;
    static RosoutAggregator rosout;
    static URI uri;

    @BeforeAll
    static void startMaster() throws Exception {
        master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { });
        uri = master.uri();
        rosout = new RosoutAggregator(uri, null);
    }

    @AfterAll
    static void stopMaster() {
        rosout.close();
        master.close();
    }

    static Node node(java.lang.String name, java.lang.String... args) throws Exception {
        return Node.start(NodeArgs.parse(name, args).withMaster(uri));
    }

    static String text(java.lang.String s) {
        String m = new String();
        m.data = s;
        return m;
    }

    @Test
    void ourPublisherReachesRospyAndRoscppSubscribers() throws Exception {
        try (Node n = node("jtalker");
                Peer py = Peer.start(uri, pyPeer("sub", "/chat1", "5"));
                Peer cpp = Peer.start(uri, cppPeer("sub", "/chat1", "5"))) {
            Publisher<String> pub = n.advertise("/chat1", String.TYPE);
            py.awaitLine("ready", 30);
            cpp.awaitLine("ready", 30);
            // two subscribers by caller id, not two connections: a second connection from one peer must not pass for the other
            waitUntil(() -> pub.droppedBySubscriber().size() == 2, 20, "rospy and roscpp to connect");
            for (int i = 0; i < 5; i++) {
                pub.publish(text("java " + i));
                Thread.sleep(20);
            }
            assertTrue(py.waitFor(20) && cpp.waitFor(20), "peers exit after 5 messages");
            assertEquals(List.of("ready", "java 0", "java 1", "java 2", "java 3", "java 4"), py.lines());
            assertEquals(List.of("ready", "java 0", "java 1", "java 2", "java 3", "java 4"), cpp.lines());
        }
    }

    @Test
    void unqueuedSubscriberGetsEveryMessageInOrderOnItsConnectionsThreads() throws Exception {
        List<java.lang.String> got = new CopyOnWriteArrayList<>();
        List<java.lang.String> threads = new CopyOnWriteArrayList<>();
        try (Node pubNode = node("jburst"); Node subNode = node("junqueued")) {
            subNode.subscribe("/burst", String.TYPE, 0, m -> {
                got.add(m.data);
                threads.add(Thread.currentThread().getName());
            });
            Publisher<String> pub = pubNode.advertise("/burst", String.TYPE, 10_000, false);
            waitUntil(() -> pub.subscriberCount() > 0, 10, "the subscriber to connect");
            for (int i = 0; i < 5000; i++) pub.publish(text("m" + i));
            try (Peer py = Peer.start(uri, pyPeer("pub", "/burst", "5"))) {
                assertTrue(py.waitFor(30), "rospy publisher finishes");
            }
            waitUntil(() -> got.size() >= 5005, 20, "every message, none dropped (queue size 0 has no queue to drop from)");
            List<java.lang.String> ours = got.stream().filter(x -> x.startsWith("m")).toList();
            for (int i = 0; i < 5000; i++) assertEquals("m" + i, ours.get(i), "in order");
            for (java.lang.String t : threads) assertTrue(t.startsWith("sub/burst<"), "callback on a connection's thread, not " + t);
        }
    }

    @Test
    void rospyAndRoscppPublishersReachOurSubscriber() throws Exception {
        List<java.lang.String> got = new CopyOnWriteArrayList<>();
        try (Node n = node("jlistener")) {
            n.subscribe("/chat2", String.TYPE, m -> got.add(m.data));
            try (Peer py = Peer.start(uri, pyPeer("pub", "/chat2", "5"));
                    Peer cpp = Peer.start(uri, cppPeer("pub", "/chat2", "5"))) {
                assertTrue(py.waitFor(30) && cpp.waitFor(30), "publishers finish");
            }
            waitUntil(() -> got.size() >= 10, 10, "10 messages");
            for (int i = 0; i < 5; i++) {
                assertTrue(got.contains("py " + i), "py " + i + " in " + got);
                assertTrue(got.contains("cpp " + i), "cpp " + i + " in " + got);
            }
        }
    }

    @Test
    void latchedMessageReachesLateSubscriber() throws Exception {
        try (Node n = node("jlatch")) {
            Publisher<String> pub = n.advertise("/latched", String.TYPE, 1, true);
            pub.publish(text("latched hello"));
            assertEquals("latched hello", Peer.run(uri, 30, pyPeer("latesub", "/latched")).strip());
            List<java.lang.String> got = new CopyOnWriteArrayList<>();
            try (Node late = node("jlate")) {
                late.subscribe("/latched", String.TYPE, m -> got.add(m.data));
                waitUntil(() -> got.size() == 1, 10, "the latched message in a late Java subscriber");
            }
        }
    }

    @Test
    void rostopicAndRosnodeTreatOurNodesLikeAnyOther() throws Exception {
        try (Node n = node("jtool", "__ns:=/tools", "out:=/tools/remapped")) {
            Publisher<String> pub = n.advertise("out", String.TYPE);
            List<java.lang.String> heard = new CopyOnWriteArrayList<>();
            n.subscribe("in", String.TYPE, m -> heard.add(m.data));
            Thread feeder = new Thread(() -> {
                for (int i = 0; !n.isShutdown() && i < 2000; i++) {
                    pub.publish(text("tick " + i));
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            feeder.setDaemon(true);
            feeder.start();

            java.lang.String list = Peer.run(uri, 20, tool("rostopic"), "list");
            assertTrue(list.contains("/tools/remapped") && list.contains("/tools/in") && list.contains("/rosout"), list);
            java.lang.String info = Peer.run(uri, 20, tool("rostopic"), "info", "/tools/remapped");
            assertTrue(info.contains("Type: std_msgs/String") && info.contains("/tools/jtool"), info);
            java.lang.String echo = Peer.run(uri, 20, tool("rostopic"), "echo", "-n", "1", "/tools/remapped");
            assertTrue(echo.matches("(?s)data: \"tick \\d+\"\n---.*"), echo);
            java.lang.String hz;
            try (Peer hzPeer = Peer.start(uri, tool("rostopic"), "hz", "/tools/remapped")) {
                hzPeer.awaitLine(l -> l.contains("window: "), 20);
                hzPeer.awaitLine(l -> l.startsWith("average rate"), 20);
                hz = hzPeer.output();
            }
            Matcher rate = Pattern.compile("average rate: ([0-9.]+)").matcher(hz);
            assertTrue(rate.find(), hz);
            double r = Double.parseDouble(rate.group(1));
            assertTrue(r > 50 && r < 110, "about 100 Hz: " + hz);
            Peer.run(uri, 20, tool("rostopic"), "pub", "-1", "/tools/in", "std_msgs/String", "data: from rostopic");
            waitUntil(() -> heard.contains("from rostopic"), 10, "rostopic pub to reach us");

            java.lang.String nodes = Peer.run(uri, 20, tool("rosnode"), "list");
            assertTrue(nodes.contains("/tools/jtool") && nodes.contains("/rosout"), nodes);
            // rospy unregisters everything with one system.multicall as it exits: no rostopic node may linger
            assertFalse(nodes.contains("/rostopic_"), "rostopic's nodes unregistered on exit: " + nodes);
            // rosnode info types topics by their publishers; rostopic pub's has gone, so /tools/in shows [unknown type] as with rosmaster
            java.lang.String nodeInfo = Peer.run(uri, 20, tool("rosnode"), "info", "/tools/jtool");
            assertTrue(nodeInfo.contains("/tools/remapped [std_msgs/String]") && nodeInfo.contains(" * /tools/in [")
                    && nodeInfo.contains("Pid: " + ProcessHandle.current().pid()) && nodeInfo.contains("direction: outbound"), nodeInfo);
            Peer.run(uri, 20, tool("rosnode"), "kill", "/tools/jtool");
            waitUntil(n::isShutdown, 10, "rosnode kill to shut the node down");
            waitUntil(() -> !master.nodeNames().contains("/tools/jtool"), 10, "the node to unregister");
        }
    }

    @Test
    void rosparamWorksAgainstOurMasterAndPrivateParamsAreTyped() throws Exception {
        java.lang.String rosparam = tool("rosparam");
        Peer.run(uri, 20, rosparam, "set", "/arm/gains", "{p: 100.0, d: [1, 2]}");
        assertEquals("d:\n- 1\n- 2\np: 100.0", Peer.run(uri, 20, rosparam, "get", "/arm/gains").strip());
        try (Node n = node("jparams", "__ns:=/arm", "_rate:=250", "_name:=panda", "_on:=true", "_joints:=[a, b]")) {
            assertEquals(100.0, ((java.util.Map<?, ?>) n.params().require("gains")).get("p"));
            assertEquals(250, n.params().getInt("~rate", 0));
            assertEquals("250", Peer.run(uri, 20, rosparam, "get", "/arm/jparams/rate").strip());
            assertEquals("true", Peer.run(uri, 20, rosparam, "get", "/arm/jparams/on").strip());
            assertEquals("- a\n- b", Peer.run(uri, 20, rosparam, "get", "/arm/jparams/joints").strip());
            List<Object> updates = new CopyOnWriteArrayList<>();
            n.params().subscribe("~rate", updates::add);
            Peer.run(uri, 20, rosparam, "set", "/arm/jparams/rate", "500");
            waitUntil(() -> updates.contains(500), 10, "paramUpdate for ~rate");
            java.lang.String names = Peer.run(uri, 20, rosparam, "list");
            assertTrue(names.contains("/arm/gains/p") && names.contains("/arm/jparams/name"), names);
            Peer.run(uri, 20, rosparam, "delete", "/arm/gains");
            assertFalse(n.params().has("/arm/gains"));
            assertEquals(java.util.Optional.of("/arm/jparams/rate"), n.params().search("rate"));
        }
    }

    @Test
    void rosoutIsAggregated() throws Exception {
        List<java.lang.String> agg = new CopyOnWriteArrayList<>();
        try (Node listener = node("jrosout_listener"); Node talker = node("jlogger")) {
            listener.subscribe("/rosout_agg", Log.TYPE, m -> agg.add(m.name + ": " + m.msg));
            waitUntil(() -> true, 1, "");
            for (int i = 0; i < 50 && !agg.contains("/jlogger: hello rosout"); i++) {
                talker.log().info("hello rosout");
                Thread.sleep(100);
            }
            waitUntil(() -> agg.contains("/jlogger: hello rosout"), 10, "our log line on /rosout_agg");
        }
    }

    @Test
    void subscriberReconnectsWhenPublisherComesBack() throws Exception {
        List<java.lang.String> got = new CopyOnWriteArrayList<>();
        try (Node sub = node("jresub")) {
            sub.subscribe("/comeback", String.TYPE, m -> got.add(m.data));
            for (int round = 0; round < 2; round++) {
                try (Node pubNode = node("jcomeback")) {
                    Publisher<String> pub = pubNode.advertise("/comeback", String.TYPE);
                    waitUntil(() -> pub.subscriberCount() == 1, 10, "the subscriber to connect, round " + round);
                    pub.publish(text("round " + round));
                    int r = round;
                    waitUntil(() -> got.contains("round " + r), 10, "round " + round);
                }
            }
            try (Peer py = Peer.start(uri, pyPeer("pub", "/comeback", "3"))) {
                waitUntil(() -> got.contains("py 2"), 30, "a rospy publisher after ours went away");
            }
        }
    }

    @Test
    void simTimeFollowsClock() throws Exception {
        try (Node admin = node("jclockadmin")) {
            admin.params().set("/use_sim_time", true);
            try (Node user = node("jsimuser")) {
                assertTrue(user.usesSimTime());
                Publisher<Clock> clock = admin.advertise("/clock", Clock.TYPE);
                waitUntil(() -> clock.subscriberCount() >= 1, 10, "the /clock subscriber");
                Clock c = new Clock();
                c.clock.secs = 42;
                c.clock.nsecs = 5;
                clock.publish(c);
                waitUntil(() -> user.now().secs == 42, 10, "sim time 42 s");
                assertEquals(5, user.now().nsecs);
            } finally {
                admin.params().delete("/use_sim_time");
            }
        }
    }

    @Test
    void shutdownUnregistersEverything() throws Exception {
        Node n = node("jgone");
        n.advertise("/gone/out", String.TYPE);
        n.subscribe("/gone/in", String.TYPE, m -> { });
        n.advertiseService("/gone/srv", org.teachlearn.msgs.std_srvs.Trigger.TYPE, (q, r) -> r.success = true);
        assertTrue(master.nodeNames().contains("/jgone"));
        n.shutdown("test");
        java.lang.String state = Peer.run(uri, 20, tool("rosnode"), "list");
        assertFalse(state.contains("/jgone"), state);
        assertFalse(master.nodeNames().contains("/jgone"));
        java.lang.String services = Peer.run(uri, 20, tool("rosservice"), "list");
        assertFalse(services.contains("/gone/srv"), services);
    }

    @Test
    void fullQueueDropsOldestMessages() throws Exception {
        List<java.lang.String> got = new CopyOnWriteArrayList<>();
        try (Node pubNode = node("jflood"); Node subNode = node("jslow")) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            subNode.subscribe("/flood", String.TYPE, 2, m -> {
                got.add(m.data);
                if (got.size() == 1) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            Publisher<String> pub = pubNode.advertise("/flood", String.TYPE, 1000, false);
            waitUntil(() -> pub.subscriberCount() == 1, 10, "the slow subscriber");
            pub.publish(text("m 0"));
            waitUntil(() -> got.size() == 1, 10, "the first message");
            for (int i = 1; i < 100; i++) pub.publish(text("m " + i));
            Thread.sleep(500);
            release.countDown();
            waitUntil(() -> got.contains("m 99"), 10, "the newest message");
            Thread.sleep(200);
            assertTrue(got.size() <= 4, "a queue of 2 keeps only the newest: " + got);
            assertEquals(List.of("m 98", "m 99"), got.subList(got.size() - 2, got.size()));
        }
    }

    @Test
    void publisherQueueDropsOldestForSlowSubscriber() throws Exception {
        // A raw TCPROS subscriber that never reads: the publisher must keep going, keeping at most
        // its queue of frames for it, and still serve a fast subscriber.
        List<java.lang.String> fast = new CopyOnWriteArrayList<>();
        try (Node pubNode = node("jpubq"); Node fastNode = node("jfast")) {
            Publisher<String> pub = pubNode.advertise("/pubq", String.TYPE, 10, false);
            fastNode.subscribe("/pubq", String.TYPE, 1000, m -> fast.add(m.data));
            Object reply = new org.teachlearn.ros.xmlrpc.XmlRpcClient(pubNode.slaveUri())
                    .call("requestTopic", "/stuck", "/pubq", List.of(List.of("TCPROS")));
            int port = (Integer) ((List<?>) ((List<?>) reply).get(2)).get(2);
            try (java.net.Socket stuck = new java.net.Socket()) {
                stuck.setReceiveBufferSize(4096);
                stuck.connect(new java.net.InetSocketAddress("127.0.0.1", port));
                org.teachlearn.ros.tcpros.ConnectionHeader.write(stuck.getOutputStream(), java.util.Map.of(
                        "callerid", "/stuck", "topic", "/pubq", "md5sum", "*", "type", "std_msgs/String"));
                waitUntil(() -> pub.subscriberCount() == 2, 10, "both subscribers");
                java.lang.String big = "x".repeat(10_000);
                // The test paces itself on the fast subscriber (never more than 8 frames ahead of it, its
                // queue holds 10) so that on a loaded machine only the stuck one can overflow; the time
                // spent inside publish() is what must stay small.
                long inPublish = 0;
                for (int i = 0; i < 2000; i++) {
                    long t0 = System.nanoTime();
                    pub.publish(text(i + " " + big));
                    inPublish += System.nanoTime() - t0;
                    int sent = i + 1;
                    waitUntil(() -> fast.size() >= sent - 8, 20, "the fast subscriber to keep up");
                }
                assertTrue(inPublish < 10_000_000_000L, "publishing never blocks on a stuck subscriber: "
                        + inPublish / 1_000_000 + " ms inside publish()");
                waitUntil(() -> fast.size() == 2000, 20, "the fast subscriber to get everything");
            }
        }
    }

    @Test
    void rawSubscriberRelaysAnyTypeWithoutKnowingIt() throws Exception {
        List<java.lang.String> got = new CopyOnWriteArrayList<>();
        List<java.lang.String> types = new CopyOnWriteArrayList<>();
        try (Node n = node("jraw")) {
            n.subscribe("/chat_raw", org.teachlearn.ros.message.MessageType.any(), raw -> {
                types.add(raw.type().name() + " " + raw.type().md5());
                got.add(raw.decode(new String()).data);
            });
            try (Peer py = Peer.start(uri, pyPeer("pub", "/chat_raw", "3"))) {
                assertTrue(py.waitFor(30), "publisher finishes");
            }
            waitUntil(() -> got.size() == 3, 10, "three raw messages");
            assertEquals(List.of("py 0", "py 1", "py 2"), got);
            assertEquals("std_msgs/String " + String.TYPE.md5(), types.get(0));
        }
    }
}
