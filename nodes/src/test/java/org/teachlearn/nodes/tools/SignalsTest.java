package org.teachlearn.nodes.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.msgs.std_msgs.String;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;

/**
 * Signals sent the way scripts send them: {@code ./teach_learn bag record} started as a background
 * job of a non-interactive shell (which starts it with SIGINT ignored), then {@code kill -INT} and
 * {@code kill -TERM}; each time the bag must be complete and indexed, as Python rosbag reads it.
 */
class SignalsTest {

    @TempDir
    Path dir;

    @Test
    void backgroundBagRecordStopsCleanlyOnSigintAndSigterm() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node talker = node("talker", master.uri());
            Publisher<String> pub = talker.advertise("/chatter", String.TYPE);
            AtomicBoolean running = new AtomicBoolean(true);
            Thread loop = new Thread(() -> {
                String m = new String();
                for (int i = 0; running.get(); i++) {
                    m.data = "hello " + i;
                    pub.publish(m);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            loop.start();
            try {
                for (java.lang.String signal : new java.lang.String[] {"INT", "TERM"}) {
                    Path bag = dir.resolve("by-" + signal + ".bag");
                    // a script's background job: job control is off, so bash starts it with SIGINT and SIGQUIT ignored
                    java.lang.String script = "'" + Path.of("../teach_learn").toAbsolutePath().normalize() + "' bag record -O '" + bag
                            + "' /chatter > '" + dir.resolve(signal + ".log") + "' 2>&1 &\npid=$!\n"
                            + "for i in $(seq 100); do [ -e '" + bag + ".active' ] && break; sleep 0.1; done\nsleep 2\n"
                            + "kill -" + signal + " $pid\n"
                            + "for i in $(seq 200); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done\n"
                            + "if kill -0 $pid 2>/dev/null; then kill -9 $pid; echo 'still running 20 s after SIG" + signal + "'; exit 3; fi\n"
                            + "wait $pid\necho exit $?\n";
                    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
                    pb.environment().put("ROS_MASTER_URI", master.uri().toString());
                    pb.environment().put("TEACH_LEARN_CLASSPATH", System.getProperty("java.class.path"));
                    Process p = pb.start();
                    java.lang.String out = new java.lang.String(p.getInputStream().readAllBytes());
                    assertEquals(0, p.waitFor(), out);
                    java.lang.String log = Files.exists(dir.resolve(signal + ".log")) ? Files.readString(dir.resolve(signal + ".log")) : "";
                    assertTrue(Files.exists(bag), "kill -" + signal + ": no bag\n" + out + log);
                    assertFalse(Files.exists(Path.of(bag + ".active")), "kill -" + signal + " left the bag active\n" + out + log);
                    Process read = new ProcessBuilder("/usr/bin/python3", "-c",
                            "import rosbag,sys\nb=rosbag.Bag(sys.argv[1])\nprint(b.get_message_count())", bag.toString())
                            .redirectErrorStream(true).start();
                    java.lang.String count = new java.lang.String(read.getInputStream().readAllBytes()).trim();
                    assertEquals(0, read.waitFor(), "rosbag could not read the bag stopped by SIG" + signal + ": " + count);
                    assertTrue(Integer.parseInt(count.lines().reduce((a, b) -> b).orElse("0")) > 50,
                            "SIG" + signal + ": only " + count + " messages in the bag\n" + log);
                    System.out.println("bag record as a background job, kill -" + signal + ": indexed bag, " + count + " messages");
                }
            } finally {
                running.set(false);
                loop.join(2000);
                talker.shutdown("test over");
            }
        }
    }
}
