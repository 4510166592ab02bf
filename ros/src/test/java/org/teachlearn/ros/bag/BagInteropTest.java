package org.teachlearn.ros.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.teachlearn.msgs.sensor_msgs.JointState;


/**
 * Bags against Debian's rosbag: ours pass {@code rosbag info} and {@code rosbag check} and read
 * back through the Python rosbag API message for message; bags the Python API writes (the format
 * {@code rosbag record} writes) read back through ours message for message — uncompressed, BZ2, LZ4.
 */
class BagInteropTest {

    static final Path PEER = Path.of("src/test/peers/bag_peer.py");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(BagWriter.Compression.class)
    void ourBagsReadBackThroughPythonRosbag(BagWriter.Compression compression) throws Exception {
        Path bag = dir.resolve("ours.bag");
        List<String> written = new ArrayList<>();
        // A recorder stores the definition the publisher sent; here, as roscpp/rospy publishers send it
        // (ours carry our own comments, and rosbag check compares the full text: see the README).
        java.util.Map<String, org.teachlearn.ros.message.MessageType<?>> system = systemTypes();
        try (BagWriter w = new BagWriter(bag, compression, 16 * 1024, 1_000_000_000L)) {
            int chatter = w.connection("/chatter", system.get("std_msgs/String"), "/talker", false);
            int joints = w.connection("/joint_states", system.get("sensor_msgs/JointState"), "/sim_arm", false);
            for (int i = 0; i < 500; i++) {
                long t = (1_700_000_000L + i / 100) * 1_000_000_000L + (i % 100) * 10_000_000L;
                org.teachlearn.msgs.std_msgs.String s = new org.teachlearn.msgs.std_msgs.String();
                s.data = "hello " + i;
                JointState j = new JointState();
                j.name = new String[] {"a", "b"};
                j.position = new double[] {0.1 * i, -0.2 * i};
                j.velocity = new double[] {1, 2};
                j.header.seq = i;
                w.write(chatter, t, s);
                w.write(joints, t, j);
                written.add(line("/chatter", s, t));
                written.add(line("/joint_states", j, t));
            }
        }
        assertEquals(written, peer("read", bag.toString()), "Python rosbag reads back what we wrote");
        String info = run("rosbag", "info", bag.toString());
        assertTrue(info.matches("(?s).*messages:\\s+1000\\n.*") && info.contains("/joint_states") && info.contains("sensor_msgs/JointState"), info);
        if (compression != BagWriter.Compression.NONE) assertTrue(info.contains(compression.name), info);
        String check = run("rosbag", "check", bag.toString());
        assertTrue(check.contains("Bag file does not need any migrations"), check);
    }

    @ParameterizedTest
    @EnumSource(BagWriter.Compression.class)
    void pythonRosbagBagsReadBackThroughOurs(BagWriter.Compression compression) throws Exception {
        Path bag = dir.resolve("theirs.bag");
        List<String> expected = peer("write", bag.toString(), compression.name, "300");
        List<String> ours = new ArrayList<>();
        try (BagReader r = new BagReader(bag)) {
            assertEquals(2, r.connections().size());
            r.read(null, 0, Long.MAX_VALUE, e -> ours.add(line(e.connection().topic(), e.data(), e.timeNanos())));
            assertEquals(600L, r.messageCounts().values().stream().mapToLong(Long::longValue).sum());
        }
        assertEquals(expected, ours);
        List<String> chatterOnly = new ArrayList<>();
        long from = 1_700_000_001L * 1_000_000_000L, to = 1_700_000_001L * 1_000_000_000L + 500_000_000L;
        try (BagReader r = new BagReader(bag)) {
            r.read(java.util.Set.of("/chatter"), from, to, e -> chatterOnly.add(line(e.connection().topic(), e.data(), e.timeNanos())));
        }
        assertEquals(expected.stream().filter(l -> l.startsWith("/chatter 1700000001 ") && Long.parseLong(l.split(" ")[2]) <= 500_000_000L).toList(),
                chatterOnly, "by topic and time range");
    }

    /** std_msgs/String and sensor_msgs/JointState as this machine's ROS defines them. */
    static java.util.Map<String, org.teachlearn.ros.message.MessageType<?>> systemTypes() throws Exception {
        java.util.Map<String, org.teachlearn.ros.message.MessageType<?>> types = new java.util.HashMap<>();
        for (String l : run("/usr/bin/python3", PEER.toString(), "defs").lines().toList()) {
            String[] p = l.split(" ");
            if (p.length != 3) continue;
            String text = new String(java.util.Base64.getDecoder().decode(p[2]), java.nio.charset.StandardCharsets.UTF_8);
            types.put(p[0], org.teachlearn.ros.message.MessageType.raw(p[0], p[1], text));
        }
        return types;
    }

    static String line(String topic, org.teachlearn.ros.message.Message m, long t) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(m.serializedSize()).order(ByteOrder.LITTLE_ENDIAN);
        m.serialize(b);
        b.flip();
        return line(topic, b, t);
    }

    static String line(String topic, ByteBuffer data, long t) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(data.duplicate());
            return topic + " " + t / 1_000_000_000L + " " + t % 1_000_000_000L + " " + HexFormat.of().formatHex(md5.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> peer(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", PEER.toString()));
        cmd.addAll(List.of(args));
        String out = run(cmd.toArray(new String[0]));
        return out.lines().filter(l -> l.startsWith("/")).toList();
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }
}
