package org.teachlearn.ros.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.msgs.actionlib_msgs.GoalID;
import org.teachlearn.msgs.actionlib_msgs.GoalStatus;
import org.teachlearn.msgs.actionlib_msgs.GoalStatusArray;
import org.teachlearn.msgs.control_msgs.GripperCommand;
import org.teachlearn.msgs.control_msgs.GripperCommandAction;
import org.teachlearn.msgs.control_msgs.GripperCommandActionFeedback;
import org.teachlearn.msgs.control_msgs.GripperCommandActionGoal;
import org.teachlearn.msgs.control_msgs.GripperCommandActionResult;
import org.teachlearn.msgs.control_msgs.GripperCommandFeedback;
import org.teachlearn.msgs.control_msgs.GripperCommandGoal;
import org.teachlearn.msgs.control_msgs.GripperCommandResult;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * The shipped actionlib_msgs and control_msgs against Debian's ROS: the seven control_msgs types of
 * GripperCommand.action are exactly what Debian's genaction writes from it, and every MD5 sum our
 * generator computed is the one Debian's genmsg computes (with Debian's actionlib_msgs and std_msgs on
 * its search path), the one genpy compiled into devel/, and the one real control_msgs users have.
 */
class ActionDefinitionsTest {

    private static final Path SHIPPED = Path.of("src/main/ros").toAbsolutePath();
    private static final Path DEVEL_PYTHON = Path.of("../devel/lib/python3/dist-packages").toAbsolutePath().normalize();
    private static final URI NO_MASTER = URI.create("http://127.0.0.1:1/");

    /** Every type, with the MD5 sum ROS's own control_msgs 1.5 and actionlib_msgs 1.13 have. */
    private static final Map<MessageType<?>, String> UPSTREAM = Map.ofEntries(
            Map.entry(GoalID.TYPE, "302881f31927c1df708a2dbab0e80ee8"),
            Map.entry(GoalStatus.TYPE, "d388f9b87b3c471f784434d671988d4a"),
            Map.entry(GoalStatusArray.TYPE, "8b2b82f13216d0a8ea88bd3af735e619"),
            Map.entry(GripperCommand.TYPE, "680acaff79486f017132a7f198d40f08"),
            Map.entry(GripperCommandAction.TYPE, "950b2a6ebe831f5d4f4ceaba3d8be01e"),
            Map.entry(GripperCommandGoal.TYPE, "86fd82f4ddc48a4cb6856cfa69217e43"),
            Map.entry(GripperCommandActionGoal.TYPE, "aa581f648a35ed681db2ec0bf7a82bea"),
            Map.entry(GripperCommandResult.TYPE, "e4cbff56d3562bcf113da5a5adeef91f"),
            Map.entry(GripperCommandActionResult.TYPE, "143702cb2df0f163c5283cedc5efc6b6"),
            Map.entry(GripperCommandFeedback.TYPE, "e4cbff56d3562bcf113da5a5adeef91f"),
            Map.entry(GripperCommandActionFeedback.TYPE, "653dff30c045f5e6ff3feb3409f4558d"));

    @Test
    void gripperCommandMessagesAreWhatGenactionWritesFromTheActionFile(@TempDir Path out) throws Exception {
        Path genaction = Path.of("/usr/lib/actionlib_msgs/genaction.py");
        assertTrue(Files.isRegularFile(genaction), genaction + " is missing: run ./teach_learn test as root"
                + " (it installs Debian's libactionlib-msgs-dev)");
        Peer.run(NO_MASTER, 60, RosPeers.PYTHON, genaction.toString(),
                SHIPPED.resolve("control_msgs/action/GripperCommand.action").toString(), "-o", out.toString());
        List<Path> written;
        try (Stream<Path> files = Files.list(out)) {
            written = files.sorted().toList();
        }
        assertEquals(7, written.size(), "genaction wrote " + written);
        for (Path f : written) {
            Path ours = SHIPPED.resolve("control_msgs/msg").resolve(f.getFileName());
            assertTrue(Files.isRegularFile(ours), "genaction wrote " + f.getFileName() + ", which we do not ship");
            assertEquals(Files.readString(f), Files.readString(ours), f.getFileName() + " differs from genaction's");
        }
    }

    @Test
    void md5SumsAreDebianGenmsgsAndDevelsAndUpstreams() throws Exception {
        Path debianDefs = Path.of("/usr/share/actionlib_msgs/msg/GoalStatus.msg");
        assertTrue(Files.isRegularFile(debianDefs), debianDefs + " is missing: run ./teach_learn test as root"
                + " (it installs Debian's ros-actionlib-msgs)");
        List<String> cmd = new ArrayList<>(List.of(RosPeers.PYTHON, Path.of("src/test/peers/action_md5.py").toAbsolutePath().toString(),
                SHIPPED.toString(), DEVEL_PYTHON.toString()));
        for (MessageType<?> t : UPSTREAM.keySet()) cmd.add(t.name());
        String printed = Peer.run(NO_MASTER, 60, cmd.toArray(new String[0]));
        Map<String, String[]> byType = new HashMap<>();
        for (String line : printed.split("\n")) {
            String[] p = line.strip().split(" ");
            if (p.length == 3) byType.put(p[0], p);
        }
        for (Map.Entry<MessageType<?>, String> e : UPSTREAM.entrySet()) {
            String name = e.getKey().name();
            String[] p = byType.get(name);
            assertTrue(p != null, "genmsg said nothing about " + name + ":\n" + printed);
            assertEquals(p[1], e.getKey().md5(), name + ": ours vs Debian's genmsg");
            assertEquals(e.getValue(), e.getKey().md5(), name + ": ours vs upstream");
            assertEquals(p[1], p[2], name + ": genpy's class in devel/ (is control_msgs generated there?)");
        }
    }
}
