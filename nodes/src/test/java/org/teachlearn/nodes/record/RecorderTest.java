package org.teachlearn.nodes.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;
import static org.teachlearn.nodes.record.RecorderPeers.files;
import static org.teachlearn.nodes.record.RecorderPeers.pathOf;
import static org.teachlearn.nodes.record.RecorderPeers.readBag;
import static org.teachlearn.nodes.record.RecorderPeers.recorder;
import static org.teachlearn.nodes.record.RecorderPeers.rosservice;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * The recorder as a user drives it, on Debian's roscore: {@code rosservice call}, bags read back by
 * Python's rosbag and {@code rosbag info}, discarded takes, refusals, and a {@code kill -9}.
 */
class RecorderTest {

    private static final URI[] MASTER = new URI[1];
    private static Peer roscore;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startRoscore() throws Exception {
        roscore = RosPeers.roscore(MASTER);
    }

    @AfterAll
    static void stopRoscore() {
        if (roscore != null) roscore.close();
    }

    /** Publishes joint_states and ft_sensor/wrench, numbered by position[0] and force.x. */
    static final class Arm implements AutoCloseable {
        final Node node;
        final Publisher<JointState> joints;
        final Publisher<WrenchStamped> wrench;
        final JointState js = new JointState();
        final WrenchStamped ws = new WrenchStamped();

        Arm(URI master) throws Exception {
            node = node("arm_" + System.nanoTime(), master);
            joints = node.advertise("joint_states", JointState.TYPE, 10_000, false);
            wrench = node.advertise("ft_sensor/wrench", WrenchStamped.TYPE, 10_000, false);
            js.name = new String[] {"j1", "j2"};
            js.position = new double[2];
            js.velocity = new double[2];
            js.effort = new double[2];
        }

        void awaitRecorder() throws InterruptedException {
            RosPeers.waitUntil(() -> joints.subscriberCount() > 0 && wrench.subscriberCount() > 0, 30, "the recorder to subscribe");
        }

        /** Publishes {@code n} of each, numbered from {@code first}, at about {@code hz}. */
        void publish(int first, int n, double hz) throws InterruptedException {
            for (int i = first; i < first + n; i++) {
                node.now(js.header.stamp);
                js.position[0] = i;
                joints.publish(js);
                ws.header.stamp.set(js.header.stamp);
                ws.wrench.force.x = i;
                wrench.publish(ws);
                Thread.sleep((long) (1000 / hz));
            }
        }

        @Override
        public void close() {
            node.shutdown("test over");
        }
    }

    /** A recorder's private parameters outlive it on the master, as in ROS: each test starts from none. */
    @BeforeEach
    void forgetTheLastRecordersParameters() throws Exception {
        try {
            new org.teachlearn.ros.xmlrpc.XmlRpcClient(MASTER[0]).call("deleteParam", "/test", "/recorder");
        } catch (Exception e) {
            // none set yet
        }
    }

    @Test
    void rosserviceStartAndStopGiveOneCompleteBagThatRosbagReads() throws Exception {
        try (Peer rec = recorder(MASTER[0], tmp, "_task:=reach", "_source:=drag_teach"); Arm arm = new Arm(MASTER[0])) {
            arm.awaitRecorder();
            arm.publish(0, 20, 100);   // before the take: not recorded
            String started = rosservice(MASTER[0], "/demo/start", "");
            assertTrue(started.contains("success: True"), started);
            assertTrue(files(tmp).stream().anyMatch(f -> f.endsWith(".bag.active")), "written as NAME.bag.active: " + files(tmp));
            arm.publish(1000, 300, 200);
            Thread.sleep(500);
            long t0 = System.nanoTime();
            String stopped = rosservice(MASTER[0], "/demo/stop", "{success: true, notes: 'first try'}");
            System.out.printf("rosservice call /demo/stop took %.0f ms (process start included)%n", (System.nanoTime() - t0) / 1e6);
            assertTrue(stopped.contains("ok: True"), stopped);
            assertTrue(stopped.contains("message: \""), stopped);
            Path bag = pathOf(stopped);
            assertTrue(bag.getFileName().toString().matches("\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d_reach_drag_teach\\.bag"), bag.toString());
            assertEquals(List.of(bag.getFileName().toString()), files(tmp), "one bag, no .active left");

            RecorderPeers.Read read = readBag(MASTER[0], bag);
            assertEquals(300, read.count("/joint_states"), read.raw());
            assertEquals(300, read.count("/ft_sensor/wrench"), read.raw());
            assertEquals(List.of("reach|drag_teach|True|first try"), read.infos(), read.raw());
            String info = RecorderPeers.withEnv(MASTER[0], 60, "rosbag info '" + bag + "'");
            assertTrue(info.contains("/demo/info") && info.contains("teach_learn/DemoInfo") && info.contains("sensor_msgs/JointState"), info);
            rec.awaitLine(l -> l.contains("/joint_states") && l.contains("300 msgs"), 10);   // the per-topic report on stop
            arm.close();
            // rosbag play publishes every recorded message again
            Node listener = node("listener_" + System.nanoTime(), MASTER[0]);
            java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
            listener.subscribe("joint_states", JointState.TYPE, 1000, m -> heard.incrementAndGet());
            try {
                RecorderPeers.withEnv(MASTER[0], 60, "rosbag play -q -d 1 '" + bag + "'");
                RosPeers.waitUntil(() -> heard.get() >= 300, 10, "rosbag play's joint_states (" + heard.get() + ")");
                Thread.sleep(200);
                assertEquals(300, heard.get());
            } finally {
                listener.shutdown("test over");
            }
        }
    }

    @Test
    void aNaiveRospyClientRecordsADemonstration() throws Exception {
        String client = String.join("\n", "import rospy, sys",
                "from std_srvs.srv import Trigger",
                "from std_msgs.msg import Bool",
                "from teach_learn.srv import StopDemo",
                "rospy.init_node('teacher')",
                "pub = rospy.Publisher('teleop/active', Bool, queue_size=100)",
                "rospy.wait_for_service('demo/start')",
                "rospy.sleep(1.0)",
                "print('start', rospy.ServiceProxy('demo/start', Trigger)().success)",
                "r = rospy.Rate(100)",
                "for i in range(150):",
                "    pub.publish(Bool(data=(i % 2 == 0)))",
                "    r.sleep()",
                "rospy.sleep(0.5)",
                "res = rospy.ServiceProxy('demo/stop', StopDemo)(True, 'from rospy')",
                "print('stop', res.ok, res.path)",
                "print('message', res.message)");
        Path py = tmp.resolve("client.py");
        Files.writeString(py, client);
        Path dir = tmp.resolve("demos");
        try (Peer rec = recorder(MASTER[0], dir, "_task:=pick_place", "_source:=vr_teleop")) {
            String out = RecorderPeers.withEnv(MASTER[0], 60, RosPeers.PYTHON + " " + py);
            assertTrue(out.contains("start True"), out);
            String stop = out.lines().filter(l -> l.startsWith("stop ")).findFirst().orElseThrow(() -> new AssertionError(out));
            assertTrue(stop.startsWith("stop True "), out);
            Path bag = Path.of(stop.substring("stop True ".length()));
            assertTrue(bag.getFileName().toString().endsWith("_pick_place_vr_teleop.bag"), bag.toString());
            RecorderPeers.Read read = readBag(MASTER[0], bag);
            assertEquals(150, read.count("/teleop/active"), read.raw());
            assertEquals(List.of("pick_place|vr_teleop|True|from rospy"), read.infos());
        }
    }

    @Test
    void aDiscardedTakeLeavesNothingAndNothingOfItLeaksIntoTheNext() throws Exception {
        try (Peer rec = recorder(MASTER[0], tmp); Arm arm = new Arm(MASTER[0])) {
            arm.awaitRecorder();
            assertTrue(rosservice(MASTER[0], "/demo/start", "").contains("success: True"));
            arm.publish(0, 100, 200);   // the bad take: numbered 0..99
            String discarded = rosservice(MASTER[0], "/demo/discard", "");
            assertTrue(discarded.contains("success: True"), discarded);
            assertEquals(List.of(), files(tmp), "a discarded take leaves no file");
            assertTrue(rosservice(MASTER[0], "/demo/start", "").contains("success: True"));
            arm.publish(5000, 100, 200);
            Thread.sleep(300);
            Path bag = pathOf(rosservice(MASTER[0], "/demo/stop", "{success: false, notes: ''}"));
            assertEquals(List.of(bag.getFileName().toString()), files(tmp));
            String out = RecorderPeers.withEnv(MASTER[0], 60, RosPeers.PYTHON + " -c \"import rosbag,sys\n"
                    + "xs=[m.position[0] for _,m,_ in rosbag.Bag(sys.argv[1]).read_messages(topics=['/joint_states'])]\n"
                    + "print(len(xs), min(xs), max(xs))\" '" + bag + "'");
            assertTrue(out.contains("100 5000.0 5099.0"), "only the second take's messages: " + out);
            assertEquals(List.of("reach|drag_teach|False|"), readBag(MASTER[0], bag).infos());
        }
    }

    @Test
    void badRequestsAnswerOkFalseWithTheReasonAndLoseNothing() throws Exception {
        try (Peer rec = recorder(MASTER[0], tmp); Arm arm = new Arm(MASTER[0])) {
            arm.awaitRecorder();
            String stop = rosservice(MASTER[0], "/demo/stop", "{success: true, notes: ''}");
            assertTrue(stop.contains("ok: False") && stop.contains("not recording"), stop);
            assertTrue(rosservice(MASTER[0], "/demo/discard", "").contains("success: False"));
            assertTrue(rosservice(MASTER[0], "/demo/start", "").contains("success: True"));
            arm.publish(0, 50, 200);
            String again = rosservice(MASTER[0], "/demo/start", "");
            assertTrue(again.contains("success: False") && again.contains("already recording"), again);
            arm.publish(50, 50, 200);
            Thread.sleep(300);
            String stopped = rosservice(MASTER[0], "/demo/stop", "{success: true, notes: ''}");
            assertTrue(stopped.contains("ok: True"), stopped);
            assertEquals(100, readBag(MASTER[0], pathOf(stopped)).count("/joint_states"), "a refused start costs the take nothing");
            rec.awaitLine(l -> l.contains("demo/stop while not recording"), 10);   // on /rosout too
        }
    }

    @Test
    void aDirectoryWithoutSpaceOrWriteAccessIsRefusedWithTheReason() throws Exception {
        try (Peer rec = recorder(MASTER[0], tmp.resolve("full"), "_min_free_bytes:=1e15")) {
            String out = rosservice(MASTER[0], "/demo/start", "");
            assertTrue(out.contains("success: False") && out.contains("below ~min_free_bytes"), out);
        }
        try (ReadOnlyDir ro = ReadOnlyDir.create(tmp.resolve("ro")); Peer rec = recorder(MASTER[0], ro.path())) {
            String out = rosservice(MASTER[0], "/demo/start", "");
            assertTrue(out.contains("success: False") && out.contains("cannot write in " + ro.path()), out);
            assertTrue(out.contains("Read-only file system") || out.contains("permission denied") || out.contains("Operation not permitted"), out);
            rec.awaitLine(l -> l.contains("demo/start refused"), 10);
        }
    }

    @Test
    void aDiskThatFillsDuringATakeIsWarnedAboutAndStopSaysWhatWasKept() throws Exception {
        Path full = tmp.resolve("small");
        Files.createDirectories(full);
        String mounted = ReadOnlyDir.run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", full.toString());
        try {
            assertTrue(ReadOnlyDir.run("findmnt", "-n", "-o", "SIZE", full.toString()).contains("3M"),
                    "a 3 MB tmpfs (needs root, as ./teach_learn test runs): " + mounted);
            try (Peer rec = recorder(MASTER[0], full, "_min_free_bytes:=1.5e6", "_topics:=[camera/image_raw]");
                    Node cam = node("camera_" + System.nanoTime(), MASTER[0])) {
                Publisher<org.teachlearn.msgs.sensor_msgs.Image> pub = cam.advertise("camera/image_raw",
                        org.teachlearn.msgs.sensor_msgs.Image.TYPE, 100, false);
                RosPeers.waitUntil(() -> pub.subscriberCount() > 0, 30, "the recorder to subscribe");
                assertTrue(rosservice(MASTER[0], "/demo/start", "").contains("success: True"));
                var img = new org.teachlearn.msgs.sensor_msgs.Image();
                img.height = 100;
                img.width = 340;
                img.encoding = "rgb8";
                img.step = 1020;
                img.data = new byte[102_000];
                // 6 MB at 1 MB/s into 3 MB: the 1.5 MB above the warning last longer than the recorder's once-a-second
                // look at the free space (at 2 MB/s a busy machine could fill the disk between two looks)
                for (int i = 0; i < 60; i++) {
                    img.header.seq = i;
                    pub.publish(img);
                    Thread.sleep(100);
                }
                rec.awaitLine(l -> l.contains("WARN") && l.contains("left in " + full), 10);
                rec.awaitLine(l -> l.contains("ERROR") && l.contains("no space left"), 10);
                String stop = rosservice(MASTER[0], "/demo/stop", "{success: true, notes: ''}");
                assertTrue(stop.contains("ok: False") && stop.contains("could not be completed"), stop);
                Path active = pathOf(stop);
                assertTrue(active.toString().endsWith(".bag.active") && Files.size(active) > 1_000_000,
                        "what was written is kept for the repair: " + active + " " + files(full));
                // moved to a disk with room, the next start repairs it into a bag Python reads
                Path roomy = Files.createDirectories(tmp.resolve("roomy"));
                Files.copy(active, roomy.resolve(active.getFileName()));
                try (Peer again = recorder(MASTER[0], roomy)) {
                    again.awaitLine(l -> l.contains("repaired the interrupted take"), 30);
                }
                Path bag = roomy.resolve(active.getFileName().toString().replace(".active", ""));
                int images = readBag(MASTER[0], bag).count("/camera/image_raw");
                System.out.printf("disk full after %d of 60 images of 102 kB kept%n", images);
                assertTrue(images >= 15, images + " images kept");
            }
        } finally {
            ReadOnlyDir.run("umount", full.toString());
        }
    }

    @Test
    void ctrlCDuringATakeCompletesItsBag() throws Exception {
        try (Arm arm = new Arm(MASTER[0]); Peer rec = recorder(MASTER[0], tmp, "_task:=reach", "_source:=drag_teach")) {
            arm.awaitRecorder();
            assertTrue(rosservice(MASTER[0], "/demo/start", "").contains("success: True"));
            arm.publish(0, 100, 200);
            Thread.sleep(300);
            rec.signal("INT");
            assertTrue(rec.waitFor(30), rec.output());
            List<String> left = files(tmp);
            assertEquals(1, left.size(), left.toString());
            assertTrue(left.get(0).endsWith("_reach_drag_teach.bag"), "completed, not left .active: " + left);
            RecorderPeers.Read read = readBag(MASTER[0], tmp.resolve(left.get(0)));
            assertEquals(100, read.count("/joint_states"), read.raw());
            assertEquals(List.of("reach|drag_teach|False|the recorder was shut down during the take"), read.infos());
        }
    }

    @Test
    void killedMidTakeTheNextStartRepairsTheBagLosingAtMostTheLastSecond() throws Exception {
        Path bag;
        int sent;
        try (Arm arm = new Arm(MASTER[0])) {
            Peer rec = recorder(MASTER[0], tmp, "_task:=reach", "_source:=expert");
            try {
                arm.awaitRecorder();
                assertTrue(rosservice(MASTER[0], "/demo/start", "").contains("success: True"));
                arm.publish(0, 350, 100);
                rec.signal("KILL");
                sent = 350;
                assertTrue(rec.waitFor(10));
            } finally {
                rec.close();
            }
            List<String> left = files(tmp);
            assertEquals(1, left.size(), left.toString());
            assertTrue(left.get(0).endsWith("_reach_expert.bag.active"), left.toString());
            bag = tmp.resolve(left.get(0).replace(".active", ""));
        }
        try (Peer rec = recorder(MASTER[0], tmp)) {
            rec.awaitLine(l -> l.contains("repaired the interrupted take"), 30);
            assertTrue(Files.exists(bag), files(tmp).toString());
            assertFalse(files(tmp).stream().anyMatch(f -> f.endsWith(".bag.active")), files(tmp).toString());
            RecorderPeers.Read read = readBag(MASTER[0], bag);
            int kept = read.count("/joint_states");
            System.out.printf("kill -9 after %d messages at 100 Hz: %d kept, %.2f s lost%n", sent, kept, (sent - kept) / 100.0);
            assertTrue(kept >= sent - 100 && kept <= sent, kept + " of " + sent + " kept: more than the last second lost\n" + read.raw());
            assertEquals(1, read.infos().size(), read.raw());
            assertTrue(read.infos().get(0).startsWith("reach|expert|False|interrupted"), read.infos().toString());
            String info = RecorderPeers.withEnv(MASTER[0], 60, "rosbag info '" + bag + "'");
            assertTrue(info.contains("/demo/info"), info);
        }
    }
}
