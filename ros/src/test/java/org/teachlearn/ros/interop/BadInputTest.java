package org.teachlearn.ros.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.ros.testing.RosPeers.waitUntil;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.rosgraph_msgs.Log;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.String;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.tcpros.ConnectionHeader;
import org.teachlearn.ros.tcpros.Limits;
import org.teachlearn.ros.xmlrpc.XmlRpcServer;

/**
 * Hostile and broken peers: each gets a clear error in the log and its connection dropped,
 * while the node keeps serving a well-behaved subscriber and publisher.
 */
class BadInputTest {

    static Master master;
    static URI uri;
    static Node victim;
    static Node watcher;
    static Publisher<String> out;
    static final List<java.lang.String> errors = new CopyOnWriteArrayList<>();
    static final List<java.lang.String> heard = new CopyOnWriteArrayList<>();
    static final Limits LIMITS = new Limits(1 << 20, 64 << 10, 2_000);

    @BeforeAll
    static void start() throws Exception {
        master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { });
        uri = master.uri();
        watcher = Node.start(NodeArgs.parse("watcher", new java.lang.String[0]).withMaster(uri));
        watcher.subscribe("/rosout", Log.TYPE, 1000, m -> {
            if (m.level >= Log.ERROR && m.name.equals("/victim")) errors.add(m.msg);
        });
        victim = Node.start(NodeArgs.parse("victim", new java.lang.String[0]).withMaster(uri), LIMITS);
        out = victim.advertise("/healthy", String.TYPE);
        watcher.subscribe("/healthy", String.TYPE, m -> heard.add(m.data));
        waitUntil(() -> out.subscriberCount() == 1, 10, "the healthy subscriber");
    }

    @AfterAll
    static void stop() {
        victim.close();
        watcher.close();
        master.close();
    }

    @BeforeEach
    void clear() {
        errors.clear();
    }

    /** The node still serves a good subscriber. */
    static void stillServes() throws Exception {
        String m = new String();
        m.data = "still alive " + System.nanoTime();
        out.publish(m);
        waitUntil(() -> heard.contains(m.data), 10, "a good subscriber to still get messages");
    }

    static void awaitError(java.lang.String fragment) throws InterruptedException {
        waitUntil(() -> errors.stream().anyMatch(e -> e.contains(fragment)), 10,
                "an error mentioning '" + fragment + "' (errors so far: " + errors + ")");
    }

    static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static Socket tcpros() throws Exception {
        Object reply = new org.teachlearn.ros.xmlrpc.XmlRpcClient(victim.slaveUri())
                .call("requestTopic", "/attacker", "/healthy", List.of(List.of("TCPROS")));
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

    @Test
    void oversizedConnectionHeaderIsRefused() throws Exception {
        try (Socket s = tcpros()) {
            s.getOutputStream().write(le(Integer.MAX_VALUE));
            assertTrue(closedByPeer(s));
        }
        awaitError("larger than the cap");
        stillServes();
    }

    @Test
    void malformedConnectionHeaderIsRefused() throws Exception {
        try (Socket s = tcpros()) {
            OutputStream o = s.getOutputStream();
            o.write(le(8));
            o.write(le(1000)); // a field claiming more than the header holds
            o.write(new byte[4]);
            assertTrue(closedByPeer(s));
        }
        awaitError("overruns the header");
        try (Socket s = tcpros()) {
            byte[] noEquals = "garbage-without-equals".getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(le(noEquals.length + 4));
            s.getOutputStream().write(le(noEquals.length));
            s.getOutputStream().write(noEquals);
            assertTrue(closedByPeer(s));
        }
        awaitError("without 'key='");
        stillServes();
    }

    @Test
    void truncatedHeaderAndGarbageAreDropped() throws Exception {
        try (Socket s = tcpros()) {
            s.getOutputStream().write(le(100));
            s.getOutputStream().write(new byte[10]);
            s.shutdownOutput();
            assertTrue(closedByPeer(s));
        }
        try (Socket s = tcpros()) {
            byte[] junk = new byte[4096];
            new java.util.Random(7).nextBytes(junk);
            s.getOutputStream().write(junk);
            assertTrue(closedByPeer(s));
        }
        try (Socket s = tcpros()) {
            // a silent peer is dropped after the handshake deadline (2 s here, 5 s read timeout)
            assertTrue(closedByPeer(s), "a silent peer is hung up on");
        }
        stillServes();
    }

    @Test
    void wrongMd5IsRefusedWithAnError() throws Exception {
        try (Socket s = tcpros()) {
            ConnectionHeader.write(s.getOutputStream(), Map.of("callerid", "/attacker", "topic", "/healthy",
                    "md5sum", "0123456789abcdef0123456789abcdef", "type", "std_msgs/Bogus"));
            Map<java.lang.String, java.lang.String> reply = ConnectionHeader.read(s.getInputStream(), 1 << 16);
            assertTrue(reply.get("error").contains("md5sum"), reply.toString());
        }
        awaitError("Dropping connection");
        stillServes();
    }

    /** A fake publisher: a slave API that offers a TCPROS port where {@code script} misbehaves. */
    static void hostilePublisher(java.lang.String topic, java.lang.String type, java.lang.String md5,
            ThrowingConsumer<OutputStream> script) throws Exception {
        try (ServerSocket tcp = new ServerSocket(0);
                XmlRpcServer api = new XmlRpcServer(new InetSocketAddress("127.0.0.1", 0), 1 << 20,
                        (method, p) -> List.of(1, "", List.of("TCPROS", "127.0.0.1", tcp.getLocalPort())), e -> { })) {
            java.lang.String apiUri = "http://127.0.0.1:" + api.port() + "/";
            Thread t = new Thread(() -> {
                try (Socket s = tcp.accept()) {
                    ConnectionHeader.read(s.getInputStream(), 1 << 20);
                    ConnectionHeader.write(s.getOutputStream(), Map.of("callerid", "/hostile", "md5sum", md5,
                            "type", type, "topic", topic));
                    script.accept(s.getOutputStream());
                    s.getOutputStream().flush();
                    Thread.sleep(3000);
                } catch (Exception ignored) {
                    // the victim hung up: expected
                }
            });
            t.setDaemon(true);
            t.start();
            new org.teachlearn.ros.xmlrpc.XmlRpcClient(master.uri())
                    .call("registerPublisher", "/hostile", topic, type, apiUri);
            t.join(10_000);
            new org.teachlearn.ros.xmlrpc.XmlRpcClient(master.uri())
                    .call("unregisterPublisher", "/hostile", topic, apiUri);
        }
    }

    interface ThrowingConsumer<T> {
        void accept(T t) throws Exception;
    }

    @Test
    void twoGigabyteFramePrefixIsRefusedBySubscriber() throws Exception {
        List<java.lang.String> got = new CopyOnWriteArrayList<>();
        var sub = victim.subscribe("/attack1", String.TYPE, m -> got.add(m.data));
        hostilePublisher("/attack1", String.TYPE.name(), String.TYPE.md5(), o -> o.write(le(Integer.MAX_VALUE)));
        awaitError("larger than the cap of " + LIMITS.maxMessageBytes());
        assertTrue(got.isEmpty());
        sub.close();
        stillServes();
    }

    @Test
    void corruptMessageBodyDropsOnlyThatPublisher() throws Exception {
        List<double[]> got = new CopyOnWriteArrayList<>();
        var sub = victim.subscribe("/attack2", JointState.TYPE, m -> got.add(m.position.clone()));
        hostilePublisher("/attack2", JointState.TYPE.name(), JointState.TYPE.md5(), o -> {
            ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(36).putInt(1).putInt(0).putInt(0).putInt(0); // header: seq, stamp, frame_id ""
            b.putInt(0x40000000); // a name array "of a billion strings" in a 36-byte message
            b.putInt(0).putInt(0).putInt(0).putInt(0);
            o.write(b.array());
        });
        awaitError("exceeds the");
        assertTrue(got.isEmpty());
        // a good publisher on the same topic still gets through
        try (Node good = Node.start(NodeArgs.parse("goodpub", new java.lang.String[0]).withMaster(uri))) {
            Publisher<JointState> p = good.advertise("/attack2", JointState.TYPE);
            waitUntil(() -> p.subscriberCount() == 1, 10, "the victim to connect to a good publisher");
            JointState js = new JointState();
            js.position = new double[] {1, 2, 3};
            p.publish(js);
            waitUntil(() -> got.size() == 1, 10, "the good message");
        }
        sub.close();
        stillServes();
    }

    static int post(URI api, byte[] body) throws Exception {
        HttpURLConnection c = (HttpURLConnection) api.toURL().openConnection();
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "text/xml");
        c.getOutputStream().write(body);
        int code = c.getResponseCode();
        InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream();
        lastBody = in == null ? "" : new java.lang.String(in.readAllBytes(), StandardCharsets.UTF_8);
        return code;
    }

    static java.lang.String lastBody;

    @Test
    void hostileXmlIsRefused() throws Exception {
        Path secret = Files.createTempFile("secret", ".txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        java.lang.String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file://" + secret
                + "\">]><methodCall><methodName>getPid</methodName><params><param><value><string>&e;</string>"
                + "</value></param></params></methodCall>";
        for (URI api : new URI[] {victim.slaveUri(), master.uri()}) {
            post(api, xxe.getBytes(StandardCharsets.UTF_8));
            assertTrue(lastBody.contains("fault"), lastBody);
            assertFalse(lastBody.contains("TOP-SECRET"), lastBody);

            StringBuilder deep = new StringBuilder("<?xml version=\"1.0\"?><methodCall><methodName>getPid</methodName><params><param>");
            for (int i = 0; i < 100_000; i++) deep.append("<value><array><data>");
            deep.append("</params></methodCall>");
            post(api, deep.toString().getBytes(StandardCharsets.UTF_8));
            assertTrue(lastBody.contains("fault") && lastBody.contains("nested deeper"), lastBody);

            post(api, "this is not xml".getBytes(StandardCharsets.UTF_8));
            assertTrue(lastBody.contains("fault"), lastBody);
        }
        byte[] huge = new byte[65 << 20];
        java.util.Arrays.fill(huge, (byte) ' ');
        int code;
        try {
            code = post(victim.slaveUri(), huge);
        } catch (java.io.IOException e) {
            code = 413; // refused before the body was read: the server hung up mid-upload
        }
        assertEquals(413, code);
        awaitError("larger than");
        stillServes();
        assertEquals(List.of(1, "", (int) ProcessHandle.current().pid()),
                new org.teachlearn.ros.xmlrpc.XmlRpcClient(victim.slaveUri()).call("getPid", "/test"));
    }
}
