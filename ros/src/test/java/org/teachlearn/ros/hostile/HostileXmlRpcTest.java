package org.teachlearn.ros.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.ros.testing.RosPeers.pyPeer;
import static org.teachlearn.ros.testing.RosPeers.tool;
import static org.teachlearn.ros.testing.RosPeers.waitUntil;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.std_msgs.String;
import org.teachlearn.msgs.std_srvs.Trigger;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.master.MasterLimits;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;
import org.teachlearn.ros.xmlrpc.ServerLimits;
import org.teachlearn.ros.xmlrpc.XmlRpcClient;
import org.teachlearn.ros.xmlrpc.XmlRpcServer;

/**
 * Hostile XML-RPC clients on loopback, each case as the hardening review found it: the master
 * and a node's slave API keep answering promptly, with threads and memory bounded. Each case
 * prints threads and resident memory before and after, for the record.
 */
class HostileXmlRpcTest {

    static final java.lang.String ME = "/hostile_test";

    static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    static long rssKb() {
        try {
            for (java.lang.String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (Exception e) {
            // not Linux: report -1
        }
        return -1;
    }

    static void report(java.lang.String what, int threadsBefore, long rssBefore, java.lang.String extra) {
        System.out.printf("[hostile] %-34s threads %4d -> %4d   RSS %7d -> %7d kB   %s%n", what, threadsBefore, threads(),
                rssBefore, rssKb(), extra);
    }

    /** Milliseconds one call takes, asserting it answers. */
    static double timedCall(URI api, java.lang.String method, Object... args) throws Exception {
        long t0 = System.nanoTime();
        Object reply = new XmlRpcClient(api, 5_000, 1 << 20).call(method, args);
        double ms = (System.nanoTime() - t0) / 1e6;
        assertTrue(reply instanceof List<?> l && l.get(0).equals(1), method + " answered " + reply);
        return ms;
    }

    static Node node(java.lang.String name, URI master) throws Exception {
        return Node.start(NodeArgs.parse(name, new java.lang.String[0]).withMaster(master));
    }

    @Test
    void fiveHundredSlowConnectionsDoNotDelayACall() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { });
                Node victim = node("slow_victim", master.uri())) {
            for (URI target : new URI[] {master.uri(), victim.slaveUri()}) {
                int t0 = threads();
                long r0 = rssKb();
                List<Socket> hogs = new ArrayList<>();
                try {
                    for (int i = 0; i < 500; i++) {
                        Socket s = new Socket("127.0.0.1", target.getPort());
                        if (i % 2 == 1) { // half send a request line and stop; half send nothing at all
                            s.getOutputStream().write("POST / HTTP/1.1\r\nContent-Length: 100\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        hogs.add(s);
                    }
                    double worst = 0;
                    for (int i = 0; i < 5; i++) {
                        worst = Math.max(worst, timedCall(target, "getPid", ME));
                        if (target.equals(master.uri())) worst = Math.max(worst, timedCall(target, "lookupNode", ME, "/slow_victim"));
                    }
                    report("500 idle/slow sockets on " + (target.equals(master.uri()) ? "master" : "slave API"), t0, r0,
                            java.lang.String.format("slowest call %.1f ms", worst));
                    assertTrue(worst < 1000, "a call took " + worst + " ms with 500 slow connections open");
                    assertTrue(threads() - t0 < 40, "threads grew from " + t0 + " to " + threads());
                } finally {
                    for (Socket s : hogs) s.close();
                }
            }
        }
    }

    @Test
    void slowlorisIsCutAtTheRequestDeadline() throws Exception {
        ServerLimits limits = new ServerLimits(1 << 20, 2 << 20, 64, 1_500, 10_000, 4096, 2);
        try (XmlRpcServer server = new XmlRpcServer(new InetSocketAddress("127.0.0.1", 0), limits,
                (m, p) -> List.of(1, "", 7), e -> { });
                Socket loris = new Socket("127.0.0.1", server.port())) {
            URI api = URI.create("http://127.0.0.1:" + server.port() + "/");
            int t0 = threads();
            long r0 = rssKb();
            OutputStream out = loris.getOutputStream();
            byte[] request = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789".getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            boolean cut = false;
            for (byte b : request) { // a byte every 200 ms: the whole request would take 12 s
                try {
                    out.write(b);
                    out.flush();
                } catch (java.io.IOException e) {
                    cut = true;
                    break;
                }
                Thread.sleep(200);
                if (server.connectionCount() == 0) {
                    cut = true;
                    break;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double ms = timedCall(api, "getPid", ME);
            report("slowloris (1 byte / 200 ms)", t0, r0, java.lang.String.format("cut after %.1f s; call %.1f ms", seconds, ms));
            assertTrue(cut && seconds < 4, "the slowloris was not cut within the 1.5 s deadline (" + seconds + " s)");
        }
    }

    @Test
    void overCapBodiesAreRefusedBeforeAllocationAndTheServerKeepsServing() throws Exception {
        assertTrue(ServerLimits.forHeap(Integer.MAX_VALUE).maxBodyBytes() <= Runtime.getRuntime().maxMemory() / 8,
                "the default body cap must fit the heap");
        ServerLimits limits = new ServerLimits(1 << 20, 2 << 20, 64, 5_000, 10_000, 4096, 2);
        List<java.lang.String> log = new CopyOnWriteArrayList<>();
        try (XmlRpcServer server = new XmlRpcServer(new InetSocketAddress("127.0.0.1", 0), limits, (m, p) -> {
            if (m.equals("explode")) throw new OutOfMemoryError("simulated");
            return List.of(1, "", 7);
        }, log::add)) {
            URI api = URI.create("http://127.0.0.1:" + server.port() + "/");
            int t0 = threads();
            long r0 = rssKb();
            // a body declared far over the cap: answered 413 without being read
            assertTrue(rawStatus(server.port(), 100 << 20, 0).startsWith("HTTP/1.1 413"));
            // bodies each under the cap but together over the in-flight cap: the third waits for none of its bytes
            try (Socket a = open(server.port(), 900 << 10); Socket b = open(server.port(), 900 << 10)) {
                waitUntil(() -> server.connectionCount() == 2, 5, "two uploads in flight");
                Thread.sleep(100);
                assertTrue(rawStatus(server.port(), 900 << 10, 0).startsWith("HTTP/1.1 503"));
            }
            // a handler that runs out of memory answers a fault; the next call is served
            try {
                new XmlRpcClient(api, 5_000, 1 << 20).call("explode", ME);
                throw new AssertionError("explode should have answered a fault");
            } catch (org.teachlearn.ros.xmlrpc.XmlRpcFault f) {
                assertTrue(f.getMessage().contains("simulated"), f.getMessage());
            }
            double ms = timedCall(api, "getPid", ME);
            report("413, 503 and an OOM in a handler", t0, r0, java.lang.String.format("next call %.1f ms", ms));
            assertTrue(log.stream().anyMatch(l -> l.contains("larger than the cap")), log.toString());
        }
    }

    /** A POST declaring {@code length} bytes, sending {@code send} of them; returns the status line. */
    static java.lang.String rawStatus(int port, int length, int send) throws Exception {
        try (Socket s = open(port, length)) {
            s.setSoTimeout(5_000);
            if (send > 0) s.getOutputStream().write(new byte[send]);
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) line.append((char) c);
            return line.toString().strip();
        }
    }

    static Socket open(int port, int length) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        s.getOutputStream().write(("POST / HTTP/1.1\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(new byte[1000]);
        return s;
    }

    @Test
    void registrationFloodHitsTheCapWithAClearFault() throws Exception {
        MasterLimits small = new MasterLimits(1_000, 3_000, 1 << 20, 1 << 20, 8, 100_000, 2_000);
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, small, line -> { })) {
            int t0 = threads();
            long r0 = rssKb();
            XmlRpcClient c = new XmlRpcClient(master.uri(), 5_000, 1 << 20);
            Object refused = null;
            int accepted = 0;
            for (int i = 0; i < 1_100 && refused == null; i++) {
                List<?> r = (List<?>) c.call("registerPublisher", "/flooder", "/flood/t" + i, "std_msgs/String", "http://127.0.0.1:1/");
                if (r.get(0).equals(1)) accepted++;
                else refused = r;
            }
            assertEquals(1_000, accepted);
            assertTrue(refused instanceof List<?> l && l.get(0).equals(-1) && l.get(1).toString().contains("cap per caller id")
                    && l.get(1).toString().contains("registrationsPerCaller"), "refusal: " + refused);
            refused = null;
            for (int k = 0; k < 4 && refused == null; k++) { // more callers: the total cap
                for (int i = 0; i < 1_000 && refused == null; i++) {
                    List<?> r = (List<?>) c.call("registerSubscriber", "/flooder" + k, "/flood/s" + i, "std_msgs/String", "http://127.0.0.1:1/");
                    if (!r.get(0).equals(1)) refused = r;
                }
            }
            assertTrue(refused instanceof List<?> l && l.get(1).toString().contains("total cap"), "refusal: " + refused);
            assertEquals(3_000, master.registrationCount());
            // the parameter tree has its own cap
            java.lang.String big = "x".repeat(300_000);
            assertEquals(1, ((List<?>) c.call("setParam", ME, "/big1", big)).get(0));
            List<?> tooMuch = (List<?>) c.call("setParam", ME, "/big2", big);
            assertTrue(tooMuch.get(0).equals(-1) && tooMuch.get(1).toString().contains("parameterBytes"), tooMuch.toString());
            assertEquals(1, ((List<?>) c.call("setParam", ME, "/big1", "small")).get(0)); // replacing frees room
            assertEquals(1, ((List<?>) c.call("setParam", ME, "/big2", big)).get(0));
            double ms = timedCall(master.uri(), "getPid", ME);
            report("registration flood to the cap", t0, r0, java.lang.String.format("refused at 1,000/caller and 3,000 total; getPid %.1f ms", ms));
            assertTrue(ms < 1000);
        }
    }

    @Test
    void tenThousandDeadSubscribersCostAQueueNotThreads() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { });
                ServerSocket blackhole = new ServerSocket(0, 10_000, java.net.InetAddress.getLoopbackAddress())) {
            // a slave API that accepts connections and never answers: each callback waits its full timeout
            java.lang.String dead = "http://127.0.0.1:" + blackhole.getLocalPort() + "/";
            for (int i = 0; i < 10_000; i++) master.call("registerSubscriber", List.of("/dead" + i, "/crowded", "std_msgs/String", dead + "n" + i));
            int t0 = threads();
            long r0 = rssKb();
            master.call("registerPublisher", List.of("/talker", "/crowded", "std_msgs/String", "http://127.0.0.1:1/"));
            Thread.sleep(500);
            int queued = master.queuedCallbacks();
            double ms = timedCall(master.uri(), "getPid", ME);
            report("10,000 dead subscribers notified", t0, r0, java.lang.String.format("%d callbacks queued; getPid %.1f ms", queued, ms));
            assertTrue(threads() - t0 <= master.limits().notifyThreads() + 4, "threads grew from " + t0 + " to " + threads());
            assertTrue(queued > 9_000, "callbacks should wait in the queue, " + queued + " do");
            assertTrue(ms < 1000);
        }
    }

    @Test
    void nodesRegisterAgainAfterTheMasterRestarts() throws Exception {
        int port = RosPeers.freePort();
        URI uri = URI.create("http://127.0.0.1:" + port + "/");
        Master first = new Master("127.0.0.1", "127.0.0.1", port, line -> { });
        List<java.lang.String> heard = new CopyOnWriteArrayList<>();
        AtomicBoolean publishing = new AtomicBoolean(true);
        try (Node ours = node("survivor", uri)) {
            Publisher<String> out = ours.advertise("/restart/out", String.TYPE);
            ours.subscribe("/restart/in", String.TYPE, m -> heard.add(m.data));
            ours.advertiseService("/restart/srv", Trigger.TYPE, (q, r) -> {
                r.success = true;
                r.message = "still here";
            });
            Thread talker = new Thread(() -> {
                String m = new String();
                for (int i = 0; publishing.get(); i++) {
                    m.data = "ours " + i;
                    out.publish(m);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            talker.setDaemon(true);
            talker.start();
            int t0 = threads();
            long r0 = rssKb();
            first.close();
            Thread.sleep(300);
            long restart = System.nanoTime();
            try (Master second = new Master("127.0.0.1", "127.0.0.1", port, line -> { })) {
                waitUntil(() -> second.nodeNames().contains("/survivor"), 10, "the node to register with the new master");
                double seconds = (System.nanoTime() - restart) / 1e9;
                try (Peer sub = Peer.start(uri, pyPeer("sub", "/restart/out", "1"));
                        Peer pub = Peer.start(uri, pyPeer("pub", "/restart/in", "20"))) {
                    java.lang.String call = Peer.run(uri, 30, tool("rosservice"), "call", "/restart/srv");
                    assertTrue(call.contains("still here"), call);
                    sub.awaitLine(l -> l.startsWith("ours "), 20);
                    waitUntil(() -> !heard.isEmpty(), 20, "a message from the new rospy publisher");
                }
                report("master restart -> re-registration", t0, r0, java.lang.String.format("registered again %.1f s after the restart", seconds));
            }
        } finally {
            publishing.set(false);
            first.close();
        }
    }

    /** Debian's roscore on a given port, answering. */
    static Peer roscoreOn(int port) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/");
        Peer p = Peer.start(uri, tool("roscore"), "-p", Integer.toString(port));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                new XmlRpcClient(uri, 1000, 1 << 20).call("getPid", ME);
                return p;
            } catch (Exception e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    p.close();
                    throw new AssertionError("roscore did not come up on port " + port + ":\n" + p.output());
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void nodesRegisterAgainAfterDebianRoscoreRestarts() throws Exception {
        int port = RosPeers.freePort();
        URI uri = URI.create("http://127.0.0.1:" + port + "/");
        Peer first = roscoreOn(port);
        List<java.lang.String> heard = new CopyOnWriteArrayList<>();
        try (Node ours = node("deb_survivor", uri)) {
            Publisher<String> out = ours.advertise("/deb_restart/out", String.TYPE, 10, true); // latched: echo -n 1 gets it
            String m = new String();
            m.data = "ours latched";
            out.publish(m);
            ours.subscribe("/deb_restart/in", String.TYPE, x -> heard.add(x.data));
            first.close();
            long restart = System.nanoTime();
            try (Peer second = roscoreOn(port)) {
                waitUntil(() -> {
                    try {
                        return new XmlRpcClient(uri, 1000, 1 << 20).call("lookupNode", ME, "/deb_survivor") instanceof List<?> l
                                && l.get(0).equals(1);
                    } catch (Exception e) {
                        return false;
                    }
                }, 10, "the node to register with the restarted roscore");
                double seconds = (System.nanoTime() - restart) / 1e9;
                try (Peer pub = Peer.start(uri, pyPeer("pub", "/deb_restart/in", "20"))) {
                    java.lang.String echo = Peer.run(uri, 30, tool("rostopic"), "echo", "-n", "1", "/deb_restart/out");
                    assertTrue(echo.contains("ours latched"), echo);
                    waitUntil(() -> !heard.isEmpty(), 20, "a message from the new rospy publisher");
                }
                System.out.printf("[hostile] Debian roscore restart: registered again %.1f s after it was started again%n", seconds);
            }
        } finally {
            first.close();
        }
    }
}
