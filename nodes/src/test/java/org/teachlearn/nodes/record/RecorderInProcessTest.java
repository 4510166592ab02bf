package org.teachlearn.nodes.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.msgs.sensor_msgs.Image;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_srvs.Trigger;
import org.teachlearn.msgs.std_srvs.TriggerRequest;
import org.teachlearn.msgs.teach_learn.StopDemo;
import org.teachlearn.msgs.teach_learn.StopDemoRequest;
import org.teachlearn.msgs.teach_learn.StopDemoResponse;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.sim.ExpertNode;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/**
 * The recorder in the test's JVM (so its threads can be measured), on an embedded master: episodes
 * of sim_arm driven by the expert cut into one bag each, camera images without loss, and a hot
 * path that allocates nothing per message. Bags are read back by Python's rosbag.
 */
class RecorderInProcessTest {

    @TempDir
    Path dir;

    /** Runs the recorder program on a node of its own, as the launcher would. */
    private static Thread start(Node node) {
        Thread t = new Thread(() -> {
            try {
                Recorder.run(node);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "recorder-main");
        t.start();
        return t;
    }

    private static void awaitService(Node client, String name) throws InterruptedException {
        RosPeers.waitUntil(() -> {
            try {
                return String.valueOf(client.master().call("lookupService", name)).contains("rosrpc://");
            } catch (Exception e) {
                return false;
            }
        }, 30, name);
    }

    @Test
    void splitOnEpisodeCutsOneBagPerExpertEpisode() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node rec = node("recorder", master.uri(), "_dir:=" + dir, "_split_on_episode:=true", "_source:=expert", "_task:=reach");
            Thread recLoop = start(rec);
            Node listener = node("listener", master.uri());
            awaitService(listener, "/demo/stop");
            List<String> done = new CopyOnWriteArrayList<>();
            listener.subscribe("task/state", TaskState.TYPE, 1000, m -> {
                if (m.done) done.add(m.episode + " " + (m.success ? "True" : "False"));
            });
            Node simNode = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=11", "_urdf:=../urdf/teach_arm.urdf");
            Thread loop = new SimArm(simNode).start();
            Node expertNode = node("expert", master.uri(), "_task:=reach", "_drive:=true");
            new ExpertNode(expertNode);
            try {
                RosPeers.waitUntil(() -> done.size() >= 4, 120, "4 reach episodes driven by the expert");
                simNode.shutdown("enough episodes");
                loop.join(5000);
                Thread.sleep(500);
            } finally {
                expertNode.shutdown("test over");
                simNode.shutdown("test over");
                rec.shutdown("test over");
                recLoop.join(10_000);
                listener.shutdown("test over");
            }
            List<String> bags = RecorderPeers.files(dir);
            assertTrue(bags.stream().noneMatch(f -> f.endsWith(".active")), bags.toString());
            // per bag: episodes seen on task/state, first step, whether the last state is done, and DemoInfo
            String script = String.join("\n", "import rosbag, sys",
                    "for f in sys.argv[1:]:",
                    "    eps, steps, last, info = set(), [], None, None",
                    "    for topic, m, t in rosbag.Bag(f).read_messages():",
                    "        if topic == '/task/state': eps.add(m.episode); steps.append(m.step); last = m",
                    "        if topic == '/demo/info': info = '%s|%s|%s|%s' % (m.task, m.source, m.success, m.notes)",
                    "    print('bag', sorted(eps), steps[0] if steps else -1, last.done if last else None, last.success if last else None, info)");
            List<String> cmd = new ArrayList<>(List.of(RosPeers.PYTHON, "-c", script));
            for (String b : bags) cmd.add(dir.resolve(b).toString());
            String out = org.teachlearn.ros.testing.Peer.run(master.uri(), 120, cmd.toArray(new String[0]));
            List<String> lines = out.lines().filter(l -> l.startsWith("bag ")).toList();
            System.out.println("split_on_episode: " + done.size() + " episodes done; bags:\n" + String.join("\n", lines));
            int complete = 0;
            for (String l : lines) {
                if (l.contains("|False|the recorder was shut down during the take")) continue;   // the episode the test cut off
                complete++;
                var m = java.util.regex.Pattern.compile("bag \\[(\\d+)\\] 0 True (True|False) reach\\|expert\\|(True|False)\\|episode (\\d+)").matcher(l);
                assertTrue(m.matches(), "one whole episode (step 0 to done) with its DemoInfo: " + l);
                assertEquals(m.group(2), m.group(3), "DemoInfo.success is task/state.success: " + l);
                assertEquals(m.group(1), m.group(4), l);
                assertTrue(done.contains(m.group(1) + " " + m.group(2)), l + " is an episode the listener saw end: " + done);
            }
            assertEquals(done.size(), complete, "one bag per finished episode: " + done + "\n" + out);
            assertTrue(lines.size() <= complete + 1, out);
        }
    }

    @Test
    void joyButtonsStartStopAndDiscardOnThePressNotWhileHeld() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node rec = node("recorder", master.uri(), "_dir:=" + dir, "_start_button:=0", "_stop_button:=1", "_discard_button:=2",
                    "_topics:=[joint_states, teach/joy]");
            Thread recLoop = start(rec);
            Node person = node("person", master.uri());
            try {
                awaitService(person, "/demo/stop");
                Publisher<org.teachlearn.msgs.sensor_msgs.Joy> teach = person.advertise("teach/joy", org.teachlearn.msgs.sensor_msgs.Joy.TYPE, 100, false);
                Publisher<org.teachlearn.msgs.sensor_msgs.Joy> vr = person.advertise("vr/joy", org.teachlearn.msgs.sensor_msgs.Joy.TYPE, 100, false);
                RosPeers.waitUntil(() -> teach.subscriberCount() > 0 && vr.subscriberCount() > 0, 30, "the recorder to subscribe");
                var joy = new org.teachlearn.msgs.sensor_msgs.Joy();
                joy.axes = new float[2];
                // start held for 20 messages (one take, not twenty), released; stop held; then a discarded take on vr/joy
                int[][] script = {{0, 0, 0}, {1, 0, 0}, {0, 0, 0}, {0, 1, 0}, {0, 0, 0}};
                int[] holds = {5, 20, 5, 20, 5};
                for (int k = 0; k < script.length; k++) {
                    for (int i = 0; i < holds[k]; i++) {
                        joy.buttons = script[k];
                        teach.publish(joy);
                        Thread.sleep(20);
                    }
                }
                int[][] vrScript = {{0, 0, 0}, {1, 0, 0}, {0, 0, 0}, {0, 0, 1}, {0, 0, 0}};
                for (int[] b : vrScript) {
                    for (int i = 0; i < 10; i++) {
                        joy.buttons = b;
                        vr.publish(joy);
                        Thread.sleep(20);
                    }
                }
                Thread.sleep(300);
            } finally {
                person.shutdown("test over");
                rec.shutdown("test over");
                recLoop.join(10_000);
            }
            List<String> bags = RecorderPeers.files(dir);
            assertEquals(1, bags.size(), "one take from the held start button, none from the discarded one: " + bags);
            String out = org.teachlearn.ros.testing.Peer.run(master.uri(), 60, RosPeers.PYTHON, "-c", String.join("\n", "import rosbag, sys",
                    "b = rosbag.Bag(sys.argv[1])",
                    "print('joy', b.get_message_count(topic_filters=['/teach/joy']))",
                    "print('info', [m.notes for _, m, _ in b.read_messages(topics=['/demo/info'])])"), dir.resolve(bags.get(0)).toString());
            assertTrue(out.contains("info ['stopped by button 1 on /teach/joy']"), out);
            // from the start press (recorded once the take is open) to the stop press: about 19 + 5 + 1 messages
            var joyCount = java.util.regex.Pattern.compile("joy (\\d+)").matcher(out);
            assertTrue(joyCount.find(), out);
            int n = Integer.parseInt(joyCount.group(1));
            assertTrue(n >= 20 && n <= 27, n + " teach/joy messages in the take");
        }
    }

    @Test
    void cameraImagesAt30HzAreRecordedWithoutLoss() throws Exception {
        java.util.Random noise = new java.util.Random(3);
        // sensor noise everywhere: nothing to compress, the disk sees the full 27.6 MB/s
        String out = recordImages("none", (img, i) -> noise.nextBytes(img.data));
        assertTrue(out.contains("images 150 True"), "every image, in order: " + out);
        assertTrue(out.contains("compression none"), out);
    }

    @Test
    void cameraImagesAt30HzWithLz4() throws Exception {
        java.util.Random noise = new java.util.Random(4);
        // a camera-like scene: smooth shading, a moving bright square, a little sensor noise
        String out = recordImages("lz4", (img, i) -> {
            for (int y = 0, k = 0; y < 480; y++) {
                for (int x = 0; x < 640; x++, k += 3) {
                    boolean square = x >= 4 * i && x < 4 * i + 80 && y >= 200 && y < 280;
                    byte v = (byte) (square ? 250 : (x / 5 + y / 4));
                    img.data[k] = v;
                    img.data[k + 1] = v;
                    img.data[k + 2] = (byte) (v / 2);
                }
            }
            for (int j = 0; j < 2000; j++) img.data[noise.nextInt(img.data.length)] ^= 1;
        });
        assertTrue(out.contains("images 150 True"), "every image, in order: " + out);
        assertTrue(out.contains("compression lz4"), out);
    }

    /** 150 frames of 640x480 rgb8 at 30 Hz into a recorder with {@code compression}; what Python's rosbag reads back. */
    private String recordImages(String compression, java.util.function.ObjIntConsumer<Image> frame) throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node rec = node("recorder", master.uri(), "_dir:=" + dir, "_compression:=" + compression, "_topics:=[camera/image_raw]");
            Thread recLoop = start(rec);
            Node cam = node("camera", master.uri());
            try {
                awaitService(cam, "/demo/stop");
                Publisher<Image> pub = cam.advertise("camera/image_raw", Image.TYPE, 100, false);
                RosPeers.waitUntil(() -> pub.subscriberCount() > 0, 30, "the recorder to subscribe");
                Image img = new Image();
                img.height = 480;
                img.width = 640;
                img.encoding = "rgb8";
                img.step = 640 * 3;
                img.data = new byte[640 * 480 * 3];
                var start = cam.serviceClient("demo/start", Trigger.TYPE, false);
                assertTrue(start.call(new TriggerRequest()).success);
                long next = System.nanoTime();
                for (int i = 0; i < 150; i++) {
                    frame.accept(img, i);
                    img.header.seq = i;
                    cam.now(img.header.stamp);
                    pub.publish(img);
                    next += 33_333_333L;
                    java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                }
                Thread.sleep(1000);
                StopDemoRequest req = new StopDemoRequest();
                req.success = true;
                StopDemoResponse res = cam.serviceClient("demo/stop", StopDemo.TYPE, false).call(req);
                assertTrue(res.ok, res.message);
                System.out.println("camera, " + compression + ": " + res.message);
                return org.teachlearn.ros.testing.Peer.run(master.uri(), 120, RosPeers.PYTHON, "-c", String.join("\n", "import rosbag, sys",
                        "b = rosbag.Bag(sys.argv[1])",
                        "seqs = [m.header.seq for _, m, _ in b.read_messages(topics=['/camera/image_raw']) if len(m.data) == 640 * 480 * 3]",
                        "print('images', len(seqs), seqs == list(range(150)))",
                        "print('compression', b.get_compression_info().compression)"), res.path);
            } finally {
                cam.shutdown("test over");
                rec.shutdown("test over");
                recLoop.join(10_000);
            }
        }
    }

    @Test
    void recordingAMessageAllocatesNothingPerMessage() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node rec = node("recorder", master.uri(), "_dir:=" + dir, "_topics:=[joint_states]");
            Thread recLoop = start(rec);
            Node arm = node("arm", master.uri());
            try {
                awaitService(arm, "/demo/stop");
                Publisher<JointState> pub = arm.advertise("joint_states", JointState.TYPE, 10_000, false);
                RosPeers.waitUntil(() -> pub.subscriberCount() > 0, 30, "the recorder to subscribe");
                JointState js = new JointState();
                js.name = new String[] {"j1", "j2", "j3", "j4", "j5", "j6", "j7", "finger"};
                js.position = new double[8];
                js.velocity = new double[8];
                js.effort = new double[8];
                assertTrue(arm.serviceClient("demo/start", Trigger.TYPE, false).call(new TriggerRequest()).success);
                int n = 30_000;
                publish(pub, js, arm, n);   // warm-up: JIT, chunk buffer and index arrays grown to size
                long[] ids = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("dispatch/joint_states")
                        || t.getName().startsWith("sub/joint_states") || t.getName().equals("bag-chunk-timer")).mapToLong(Thread::getId).toArray();
                long before = sum(threads, ids);
                publish(pub, js, arm, n);
                double perMessage = (sum(threads, ids) - before) / (double) n;
                StopDemoResponse res = arm.serviceClient("demo/stop", StopDemo.TYPE, false).call(new StopDemoRequest());
                assertTrue(res.ok, res.message);
                System.out.printf("recorder: %d joint_states on %d threads, %.2f B allocated per message (chunk index records included)%n",
                        n, ids.length, perMessage);
                assertTrue(ids.length >= 3, "did not find the recorder's threads: " + ids.length);
                assertTrue(perMessage < 2.0, perMessage + " B allocated per recorded message");
                assertTrue(res.message.contains(" " + (2 * n) + " messages"), res.message);
            } finally {
                arm.shutdown("test over");
                rec.shutdown("test over");
                recLoop.join(10_000);
            }
        }
    }

    /** n messages at about 10 kHz, then a pause for the recorder to drain its queue. */
    private static void publish(Publisher<JointState> pub, JointState js, Node arm, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            arm.now(js.header.stamp);
            js.position[0] = i;
            pub.publish(js);
            if ((i & 127) == 0) Thread.sleep(10);
        }
        Thread.sleep(1500);
    }

    private static long sum(com.sun.management.ThreadMXBean threads, long[] ids) {
        long s = 0;
        for (long v : threads.getThreadAllocatedBytes(ids)) if (v > 0) s += v;
        return s;
    }
}
