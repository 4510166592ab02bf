package org.teachlearn.nodes.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;

/**
 * {@code bag record} records a live topic as any type (with its publisher's definition) into a bag
 * that Debian's rosbag reads message for message, and {@code bag play} publishes every message back.
 */
class BagCommandTest {

    @TempDir
    Path dir;

    @Test
    void recordedTopicReadsInRosbagAndPlaysBack() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            String uri = "__master:=" + master.uri();
            Node talker = Node.start(NodeArgs.parse("talker", new String[] {uri}));
            Publisher<org.teachlearn.msgs.std_msgs.String> pub = talker.advertise("/chatter", org.teachlearn.msgs.std_msgs.String.TYPE);
            // a standard type whose bundled definition differs from Debian's in comments only: rosbag check must pass
            Publisher<org.teachlearn.msgs.sensor_msgs.JointState> joints = talker.advertise("/joint_states", org.teachlearn.msgs.sensor_msgs.JointState.TYPE);
            CountDownLatch stop = new CountDownLatch(1);
            Path[] file = new Path[1];
            Thread recorder = new Thread(() -> {
                try {
                    file[0] = BagCommand.record(List.of("/chatter", "/joint_states", "--bz2", "-O", dir.resolve("rec.bag").toString(), uri), stop);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            recorder.start();
            org.teachlearn.ros.testing.RosPeers.waitUntil(() -> pub.subscriberCount() > 0 && joints.subscriberCount() > 0, 10, "the recorder subscribes");
            joints.publish(new org.teachlearn.msgs.sensor_msgs.JointState());
            org.teachlearn.msgs.std_msgs.String m = new org.teachlearn.msgs.std_msgs.String();
            for (int i = 0; i < 200; i++) {
                m.data = "message " + i;
                pub.publish(m);
                Thread.sleep(5);
            }
            Thread.sleep(500);
            stop.countDown();
            recorder.join(10_000);
            talker.shutdown("done");

            Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                    "import rosbag,sys\nb=rosbag.Bag(sys.argv[1])\nprint(sum(1 for _ in b.read_messages()))\nprint(list(b.read_messages())[-1][1].data)",
                    file[0].toString()).redirectErrorStream(true).start();
            List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
            assertEquals(0, p.waitFor(), String.join("\n", out));
            assertEquals("201", out.get(0), "Python rosbag reads every recorded message");
            assertEquals("message 199", out.get(1));
            assertTrue(BagCommand.info(file[0]).contains("messages:    201"));
            Process check = new ProcessBuilder("rosbag", "check", file[0].toString()).redirectErrorStream(true).start();
            String checked = new String(check.getInputStream().readAllBytes());
            assertEquals(0, check.waitFor(), checked);
            assertTrue(checked.contains("Bag file does not need any migrations"), checked);

            Node listener = Node.start(NodeArgs.parse("listener", new String[] {uri}));
            AtomicInteger heard = new AtomicInteger();
            listener.subscribe("/chatter", org.teachlearn.msgs.std_msgs.String.TYPE, 1000, x -> heard.incrementAndGet());
            long played = BagCommand.play(List.of(file[0].toString(), "-r", "4"), new String[] {uri});
            Thread.sleep(500);
            listener.shutdown("done");
            assertEquals(201, played);
            assertEquals(200, heard.get(), "every played message arrives");
        }
    }
}
