package org.teachlearn.ros.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.ros.testing.RosPeers.waitUntil;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.msgs.std_msgs.String;
import org.teachlearn.msgs.std_srvs.SetBool;
import org.teachlearn.msgs.std_srvs.SetBoolRequest;
import org.teachlearn.msgs.std_srvs.SetBoolResponse;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.tcpros.ByteBudget;
import org.teachlearn.ros.tcpros.ConnectionHeader;
import org.teachlearn.ros.tcpros.Limits;
import org.teachlearn.ros.tcpros.ServiceConnection;
import org.teachlearn.ros.tcpros.ServiceException;
import org.teachlearn.ros.xmlrpc.XmlRpcClient;
import org.teachlearn.ros.xmlrpc.XmlRpcServer;

/**
 * The hostile-peer review's cases, loopback only: frames and headers above the caps, floods of
 * connections and of bogus publisher addresses, peers that trickle, callbacks and handlers that
 * throw Errors. Each case prints resident memory and live threads before and after.
 */
@Timeout(60)
class HostileTcpRosTest {

    static final int CAP = 1 << 20;
    static final int BIG_CAP = 4 << 20;
    static final Limits LIMITS = new Limits(CAP, 1 << 20, 2_000, 32, Map.of()).withMessageCap("/big", BIG_CAP);

    static Master master;
    static URI uri;
    static Node victim;
    static Node watcher;
    static Publisher<String> healthy;
    static final List<java.lang.String> problems = new CopyOnWriteArrayList<>();
    static final List<java.lang.String> heard = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { });
        uri = master.uri();
        watcher = Node.start(NodeArgs.parse("watcher", new java.lang.String[0]).withMaster(uri));
        watcher.subscribe("/rosout", Log.TYPE, 1000, m -> {
            if (m.level >= Log.WARN && m.name.equals("/victim")) problems.add(m.msg);
        });
        victim = Node.start(NodeArgs.parse("victim", new java.lang.String[0]).withMaster(uri), LIMITS);
        healthy = victim.advertise("/healthy", String.TYPE);
        watcher.subscribe("/healthy", String.TYPE, m -> heard.add(m.data));
        waitUntil(() -> healthy.subscriberCount() == 1, 10, "the healthy subscriber");
    }

    @AfterAll
    static void stop() {
        victim.close();
        watcher.close();
        master.close();
    }

    @BeforeEach
    void clear() {
        problems.clear();
    }

    // --- the cases ---

    @Test
    void oversizedFrameIsRefusedAndTheNextGoodFrameArrivesOnTheSameSubscription() throws Exception {
        Snapshot before = Snapshot.take();
        List<java.lang.String> got = new CopyOnWriteArrayList<>();
        var sub = victim.subscribe("/oversize", String.TYPE, m -> got.add(m.data));
        try (FakePublisher p = new FakePublisher("/oversize", (k, o) -> {
            if (k == 0) o.write(le(150 << 20));       // 150 MB announced; nothing allocated for it
            else o.write(stringFrame("good after oversize"));
        })) {
            waitUntil(() -> got.contains("good after oversize"), 10, "the good frame after the oversized one");
        }
        awaitProblem("frame of " + (150 << 20) + " bytes from /hostile is larger than the cap of " + CAP
                + " bytes for /oversize");
        sub.close();
        stillServes();
        Snapshot.take().print("oversized frame, then good frame", before);
    }

    @Test
    void perTopicCapLetsLargerMessagesThroughAndReleasesTheirBytes() throws Exception {
        Snapshot before = Snapshot.take();
        long budgetBefore = ByteBudget.PROCESS.used();
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        var sub = victim.subscribe("/big", String.TYPE, m -> sizes.add(m.data.length()));
        try (FakePublisher p = new FakePublisher("/big", (k, o) -> {
            if (k == 0) {
                o.write(stringFrame("x".repeat(3 << 20)));   // over the 1 MB default, under /big's 4 MB
                o.write(le(5 << 20));                        // over /big's cap: dropped and reconnected
            } else {
                o.write(stringFrame("small"));
            }
        })) {
            waitUntil(() -> sizes.contains(3 << 20) && sizes.contains(5), 10, "the 3 MB message and the next good one");
        }
        awaitProblem("larger than the cap of " + BIG_CAP);
        sub.close();
        // other subscriptions in this JVM (the watcher's /rosout) hold a little; the 3 MB frame must be back
        waitUntil(() -> ByteBudget.PROCESS.used() < budgetBefore + (256 << 10), 5,
                "the budget to be given back (used " + ByteBudget.PROCESS.used() + ", was " + budgetBefore + ")");
        Snapshot.take().print("per-topic cap 4 MB: 3 MB in, 5 MB refused", before);
    }

    @Test
    void oversizedDeclaredHeaderIsRefused() throws Exception {
        Snapshot before = Snapshot.take();
        try (Socket s = tcpros()) {
            s.getOutputStream().write(le((1 << 20) + 1));
            assertTrue(closedByPeer(s), "a header over the cap closes the connection");
        }
        awaitProblem("connection header of " + ((1 << 20) + 1) + " bytes is larger than the cap");
        stillServes();
        Snapshot.take().print("header declared over the cap", before);
    }

    @Test
    void threeHundredConnectionsDeclaringOneMebibyteHeadersCostBoundedThreadsAndMemory() throws Exception {
        Snapshot before = Snapshot.take();
        List<Socket> flood = new ArrayList<>();
        try {
            byte[] part = new byte[64 << 10];
            for (int i = 0; i < 300; i++) {
                Socket s = tcpros();
                flood.add(s);
                try {
                    s.getOutputStream().write(le(1 << 20));
                    s.getOutputStream().write(part);        // some of it, then silence
                } catch (java.io.IOException closed) {
                    // refused at once: the point
                }
            }
            Snapshot during = Snapshot.take();
            during.print("300 connections declaring 1 MB headers (during)", before);
            assertTrue(during.threads - before.threads <= LIMITS.maxHandshakes() + 8,
                    "handshake threads are bounded: " + before.threads + " -> " + during.threads);
            stillServes();
            awaitProblem("connection headers are being read already");
        } finally {
            for (Socket s : flood) s.close();
        }
        Thread.sleep(LIMITS.handshakeMillis() + 500);
        stillServes();
        Snapshot.take().print("300 connections declaring 1 MB headers (after)", before);
    }

    @Test
    void handshakeTrickledAByteAtATimeIsCutByTheWholeHeaderDeadline() throws Exception {
        Snapshot before = Snapshot.take();
        try (Socket s = tcpros()) {
            OutputStream o = s.getOutputStream();
            o.write(le(200));
            long t0 = System.nanoTime();
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        o.write('a');
                        o.flush();
                        Thread.sleep(200);     // each read comes well inside any per-read timeout
                    }
                } catch (Exception closed) {
                    // the victim hung up
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            s.setSoTimeout(10_000);
            assertTrue(closedByPeer(s), "the trickling peer is hung up on");
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("[hostile] trickle cut after %.2f s (deadline %d ms)%n", seconds, LIMITS.handshakeMillis());
            assertTrue(seconds < LIMITS.handshakeMillis() / 1000.0 + 1.5, "cut at the deadline, not after " + seconds + " s");
        }
        awaitProblem("connection header not complete within " + LIMITS.handshakeMillis() + " ms");
        stillServes();
        Snapshot.take().print("header trickled 1 byte / 200 ms", before);
    }

    @Test
    void publisherUpdateWithTenThousandBogusAddressesCostsAQueueNotThreads() throws Exception {
        List<java.lang.String> got = new CopyOnWriteArrayList<>();
        var sub = victim.subscribe("/bogus", String.TYPE, m -> got.add(m.data));
        Snapshot before = Snapshot.take();
        List<java.lang.String> bogus = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) bogus.add("http://127.0.0.1:9/bogus" + i);
        new XmlRpcClient(victim.slaveUri(), 30_000, 1 << 20).call("publisherUpdate", "/master", "/bogus", bogus);
        Thread.sleep(2_000);
        Snapshot during = Snapshot.take();
        during.print("publisherUpdate with 10,000 bogus URIs (during)", before);
        assertTrue(during.threads - before.threads <= 8, "connects are queued: " + before.threads + " -> " + during.threads);
        // a real publisher appears: the master's update replaces the bogus list, and messages flow
        try (Node real = Node.start(NodeArgs.parse("realpub", new java.lang.String[0]).withMaster(uri))) {
            Publisher<String> p = real.advertise("/bogus", String.TYPE);
            waitUntil(() -> p.subscriberCount() == 1, 15, "the victim to connect to the real publisher");
            String m = new String();
            m.data = "real";
            p.publish(m);
            waitUntil(() -> got.contains("real"), 10, "the real publisher's message");
        }
        sub.close();
        stillServes();
        Snapshot.take().print("publisherUpdate with 10,000 bogus URIs (after)", before);
    }

    @Test
    void errorThrownByACallbackDoesNotEndTheSubscription() throws Exception {
        Snapshot before = Snapshot.take();
        for (int queue : new int[] {0, 10}) {
            java.lang.String topic = "/throws" + queue;
            List<java.lang.String> got = new CopyOnWriteArrayList<>();
            var sub = victim.subscribe(topic, String.TYPE, queue, m -> {
                if (m.data.equals("boom")) throw new OutOfMemoryError("thrown by the test's callback");
                got.add(m.data);
            });
            Publisher<String> p = watcher.advertise(topic, String.TYPE);
            waitUntil(() -> p.subscriberCount() == 1, 10, "the victim to subscribe to " + topic);
            String m = new String();
            m.data = "boom";
            p.publish(m);
            m.data = "after";
            p.publish(m);
            waitUntil(() -> got.contains("after"), 10, "the message after the throwing one (queue " + queue + ")");
            awaitProblem("callback on " + topic + " threw java.lang.OutOfMemoryError");
            p.close();
            sub.close();
        }
        Snapshot.take().print("Error thrown by a callback (inline and queued)", before);
    }

    @Test
    void oversizedServiceRequestIsRefusedAndTheNextCallIsServed() throws Exception {
        Snapshot before = Snapshot.take();
        var server = victim.advertiseService("/svc", SetBool.TYPE, (req, res) -> {
            if (req.data) throw new OutOfMemoryError("thrown by the test's handler");
            res.success = true;
            res.message = "ok";
        });
        URI rosrpc = URI.create((java.lang.String) ((List<?>) new XmlRpcClient(uri).call("lookupService", "/t", "/svc")).get(2));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(rosrpc.getHost(), rosrpc.getPort()), 2000);
            s.setSoTimeout(5000);
            ConnectionHeader.write(s.getOutputStream(), Map.of("callerid", "/attacker", "service", "/svc",
                    "md5sum", "*"));
            InputStream in = s.getInputStream();
            ConnectionHeader.read(in, 1 << 16);
            s.getOutputStream().write(le(200 << 20));
            byte[] head = in.readNBytes(5);
            assertEquals(0, head[0], "a failed call");
            int n = ByteBuffer.wrap(head, 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            java.lang.String error = new java.lang.String(in.readNBytes(n), StandardCharsets.UTF_8);
            assertTrue(error.contains("larger than the cap of " + CAP), error);
            assertTrue(closedByPeer(s));
        }
        try (ServiceConnection<SetBoolRequest, SetBoolResponse> c = new ServiceConnection<>(rosrpc, "/svc", SetBool.TYPE,
                "/client", true, LIMITS)) {
            SetBoolRequest req = new SetBoolRequest();
            SetBoolResponse res = new SetBoolResponse();
            req.data = true;
            try {
                c.call(req, res);
                assertFalse(true, "the handler's Error comes back as a failed call");
            } catch (ServiceException expected) {
                assertTrue(expected.getMessage().contains("thrown by the test's handler"), expected.getMessage());
            }
            req.data = false;
            c.call(req, res);   // same persistent connection
            assertTrue(res.success);
        }
        server.close();
        Snapshot.take().print("service: 200 MB request, Error in handler, then good calls", before);
    }

    // --- helpers ---

    /** Resident memory and live threads of this JVM. */
    record Snapshot(long rssKb, int threads) {
        static Snapshot take() throws Exception {
            long rss = -1;
            for (java.lang.String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
            return new Snapshot(rss, ManagementFactory.getThreadMXBean().getThreadCount());
        }

        void print(java.lang.String what, Snapshot before) {
            System.out.printf("[hostile] %-55s threads %4d -> %4d   RSS %4d -> %4d MB%n", what, before.threads, threads,
                    before.rssKb / 1024, rssKb / 1024);
        }
    }

    static void stillServes() throws Exception {
        String m = new String();
        m.data = "still alive " + System.nanoTime();
        healthy.publish(m);
        waitUntil(() -> heard.contains(m.data), 10, "a good subscriber to still get messages");
    }

    static void awaitProblem(java.lang.String fragment) throws InterruptedException {
        waitUntil(() -> problems.stream().anyMatch(e -> e.contains(fragment)), 10,
                "a logged problem mentioning '" + fragment + "' (so far: " + problems + ")");
    }

    static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] stringFrame(java.lang.String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + b.length).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + b.length).putInt(b.length)
                .put(b).array();
    }

    static Socket tcpros() throws Exception {
        Object reply = new XmlRpcClient(victim.slaveUri()).call("requestTopic", "/attacker", "/healthy",
                List.of(List.of("TCPROS")));
        List<?> proto = (List<?>) ((List<?>) reply).get(2);
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", (Integer) proto.get(2)), 2000);
        s.setSoTimeout(5000);
        return s;
    }

    static boolean closedByPeer(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        try {
            while (true) if (in.read() < 0) return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    interface Script {
        void run(int connection, OutputStream out) throws Exception;
    }

    /**
     * A publisher registered with the master whose every connection runs {@code script} with its
     * number (0 for the first), then holds the connection open.
     */
    static final class FakePublisher implements AutoCloseable {
        private final ServerSocket tcp = new ServerSocket(0);
        private final XmlRpcServer api;
        private final java.lang.String apiUri;
        private final java.lang.String topic;
        private final AtomicInteger connections = new AtomicInteger();

        FakePublisher(java.lang.String topic, Script script) throws Exception {
            this.topic = topic;
            api = new XmlRpcServer(new InetSocketAddress("127.0.0.1", 0), 1 << 20,
                    (method, p) -> List.of(1, "", List.of("TCPROS", "127.0.0.1", tcp.getLocalPort())), e -> { });
            apiUri = "http://127.0.0.1:" + api.port() + "/";
            Thread t = new Thread(() -> {
                while (!tcp.isClosed()) {
                    try {
                        Socket s = tcp.accept();
                        int k = connections.getAndIncrement();
                        Thread c = new Thread(() -> {
                            try (s) {
                                ConnectionHeader.read(s.getInputStream(), 1 << 20);
                                ConnectionHeader.write(s.getOutputStream(), Map.of("callerid", "/hostile", "md5sum",
                                        String.TYPE.md5(), "type", String.TYPE.name(), "topic", topic));
                                script.run(k, s.getOutputStream());
                                s.getOutputStream().flush();
                                Thread.sleep(20_000);
                            } catch (Exception ignored) {
                                // the victim hung up, or we closed
                            }
                        });
                        c.setDaemon(true);
                        c.start();
                    } catch (Exception closed) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            new XmlRpcClient(master.uri()).call("registerPublisher", "/hostile", topic, String.TYPE.name(), apiUri);
        }

        @Override
        public void close() throws Exception {
            new XmlRpcClient(master.uri()).call("unregisterPublisher", "/hostile", topic, apiUri);
            api.close();
            tcp.close();
        }
    }
}
