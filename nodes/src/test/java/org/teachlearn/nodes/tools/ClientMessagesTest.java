package org.teachlearn.nodes.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.msgs.teach_learn.ActionStamped;
import org.teachlearn.msgs.teach_learn.DemoInfo;
import org.teachlearn.msgs.teach_learn.Experience;
import org.teachlearn.msgs.teach_learn.ModelUpdate;
import org.teachlearn.msgs.teach_learn.Reset;
import org.teachlearn.msgs.teach_learn.ResetRequest;
import org.teachlearn.msgs.teach_learn.ResetResponse;
import org.teachlearn.msgs.teach_learn.StopDemo;
import org.teachlearn.msgs.teach_learn.StopDemoRequest;
import org.teachlearn.msgs.teach_learn.StopDemoResponse;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.msgs.teach_learn.TrainingStats;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;
import org.teachlearn.ros.xmlrpc.XmlRpcClient;

/**
 * Debian's rostopic, rosservice, rosmsg, rosbag, rospy and roscpp use teach_learn's own types after the
 * README's one line, {@code eval "$(./teach_learn env)"}: the Python and C++ code that genpy and gencpp
 * generated into devel/ at build time (docs/messages.md §5), against sim_arm under Debian's roscore.
 */
class ClientMessagesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String LAUNCHER = ROOT.resolve("teach_learn").toString();
    private static final URI[] MASTER = new URI[1];
    private static Peer roscore;
    private static Peer simArm;

    @BeforeAll
    static void startSimArm() throws Exception {
        roscore = RosPeers.roscore(MASTER);
        // sim_arm as a user starts it, with this build's classes; real time, so task/state flows at 100 Hz.
        simArm = Peer.start(MASTER[0], Map.of("TEACH_LEARN_CLASSPATH", System.getProperty("java.class.path")),
                LAUNCHER, "run", "sim_arm", "_task:=reach", "_urdf:=" + ROOT.resolve("urdf/teach_arm.urdf"));
        XmlRpcClient master = new XmlRpcClient(MASTER[0]);
        RosPeers.waitUntil(() -> {
            try {
                return String.valueOf(master.call("lookupService", "/test", "/sim/reset")).contains("rosrpc://");
            } catch (Exception e) {
                return false;
            }
        }, 60, "sim_arm's /sim/reset (sim_arm printed:\n" + simArm.output() + ")");
    }

    @AfterAll
    static void stop() throws Exception {
        if (simArm != null) simArm.close();
        if (roscore != null) roscore.close();
    }

    /** Runs a bash command after the environment that {@code ./teach_learn env} prints; fails if env failed. */
    private static String withEnv(int timeoutSeconds, String command) throws Exception {
        return Peer.run(MASTER[0], timeoutSeconds, "bash", "-c",
                "exports=\"$('" + LAUNCHER + "' env)\" || { echo \"./teach_learn env failed\"; exit 1; }\n"
                        + "eval \"$exports\"\n" + command);
    }

    @Test
    void controlMsgsWhichDebianDoesNotPackageComesFromDevel() throws Exception {
        String out = withEnv(60, RosPeers.PYTHON + " -c 'from control_msgs.msg import GripperCommandAction as A; import control_msgs;"
                + " print(A._md5sum, control_msgs.__file__)'");
        assertTrue(out.contains(org.teachlearn.msgs.control_msgs.GripperCommandAction.TYPE.md5() + " " + ROOT.resolve("devel")), out);
    }

    @Test
    void envExportsThePackageThePythonClassesAndTheHeaders() throws Exception {
        String out = Peer.run(MASTER[0], 60, LAUNCHER, "env");
        String devel = ROOT.resolve("devel").toString();
        assertExportFirst(out, "ROS_PACKAGE_PATH", ROOT.toString());
        assertExportFirst(out, "PYTHONPATH", devel + "/lib/python3/dist-packages");
        assertExportFirst(out, "CPATH", devel + "/include");
        assertExportFirst(out, "PKG_CONFIG_PATH", devel + "/lib/pkgconfig");
        assertExportFirst(out, "CMAKE_PREFIX_PATH", devel);
        // Evaluated twice, a path is not put on twice.
        String twice = withEnv(60, "eval \"$('" + LAUNCHER + "' env)\"; echo \"PYTHONPATH=$PYTHONPATH\"");
        assertTrue(twice.lines().anyMatch(l -> l.startsWith("PYTHONPATH=")
                && l.split(Pattern.quote(devel + "/lib/python3/dist-packages"), -1).length == 2), twice);
    }

    /** An export line that puts {@code dir} first on {@code variable}, keeping what was there after it. */
    private static void assertExportFirst(String out, String variable, String dir) {
        String line = "export " + variable + "=" + dir;
        assertTrue(out.lines().anyMatch(l -> l.equals(line) || l.startsWith(line + ":")), "expected '" + line + "[:...]' in:\n" + out);
    }

    @Test
    void rostopicEchoPrintsTaskState() throws Exception {
        String out = withEnv(60, "rostopic echo -n 1 /task/state");
        assertTrue(out.contains("\nepisode: "), out);
        assertTrue(out.contains("\nstep: "), out);
        assertTrue(out.contains("\ntruncated: "), out);
        assertTrue(out.matches("(?s).*\ngoal: \\[[-0-9.e]+, [-0-9.e]+, [-0-9.e]+\\]\n---.*"), out);
        assertTrue(withEnv(60, "rostopic type /task/state").contains("teach_learn/TaskState"));
    }

    @Test
    void rosserviceCallResetsTheSimulatorWithASeed() throws Exception {
        String out = withEnv(60, "rosservice call /sim/reset \"seed: 7\"");
        assertTrue(out.contains("ok: True"), out);
        Matcher episode = Pattern.compile("(?m)^episode: (\\d+)$").matcher(out);
        assertTrue(episode.find(), out);
        assertTrue(out.contains("message: \"episode " + episode.group(1) + " from seed 7\""), out);
    }

    @Test
    void rosmsgAndRossrvShowOurDefinitions() throws Exception {
        String out = withEnv(60, "rosmsg show teach_learn/TaskState && rossrv show teach_learn/Reset"
                + " && rosmsg md5 teach_learn/Experience && rossrv md5 teach_learn/Reset");
        assertTrue(out.contains("\nfloat64[] goal"), out);
        assertTrue(out.contains("int64 seed\n---\nbool ok\nuint32 episode\nstring message"), out);
        assertTrue(out.contains(Experience.TYPE.md5()), out);
        assertTrue(out.contains(Reset.TYPE.md5()), out);
    }

    @Test
    void rospyNodeImportsTheClassesAndReceivesTaskState() throws Exception {
        String out = withEnv(90, "'" + RosPeers.PYTHON + "' '" + Path.of("src/test/peers/task_state_rospy.py").toAbsolutePath() + "'");
        assertTrue(out.lines().anyMatch(l -> l.matches("task_state type teach_learn/TaskState episode \\d+ goal 3")), out);
        assertTrue(out.contains("experience worker w obs [1.0, 2.0]"), out);
        Map<String, String> printed = new LinkedHashMap<>();
        out.lines().filter(l -> l.startsWith("md5 ")).forEach(l -> printed.put(l.split(" ")[1], l.split(" ")[2]));
        assertEquals(ourMd5Sums(), printed, "MD5 sums of genpy's classes vs ours");
    }

    @Test
    void roscppNodeBuiltAgainstTheGeneratedHeadersReceivesTaskState() throws Exception {
        Path src = Path.of("src/test/peers/task_state_roscpp.cpp").toAbsolutePath();
        Path bin = Path.of("target/peers/task_state_roscpp").toAbsolutePath();
        Files.createDirectories(bin.getParent());
        RosPeers.tool("g++");
        withEnv(300, "g++ -o '" + bin + "' '" + src + "' $(pkg-config --cflags --libs teach_learn roscpp)");
        String out = withEnv(90, "'" + bin + "'");
        assertTrue(out.lines().anyMatch(l -> l.matches("task_state episode \\d+ goal 3")), out);
        assertTrue(out.contains("md5 teach_learn/TaskState " + TaskState.TYPE.md5()), out);
        assertTrue(out.contains("md5 teach_learn/Experience " + Experience.TYPE.md5()), out);
        assertTrue(out.contains("md5 teach_learn/Reset " + Reset.TYPE.md5()), out);
    }

    @Test
    void cmakeFindsTheHeadersThroughTheConfig(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("CMakeLists.txt"), """
                cmake_minimum_required(VERSION 3.10)
                project(uses_teach_learn NONE)
                find_package(teach_learn 0.2 REQUIRED)
                message(STATUS "teach_learn ${teach_learn_VERSION} include ${teach_learn_INCLUDE_DIRS} msg ${teach_learn_MSG_INCLUDE_DIRS}")
                """);
        String out = withEnv(120, "'" + RosPeers.tool("cmake") + "' -S '" + dir + "' -B '" + dir.resolve("build") + "'");
        Matcher m = Pattern.compile("teach_learn (\\S+) include (\\S+) msg (\\S+)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Files.isRegularFile(Path.of(m.group(2), "teach_learn/TaskState.h")), out);
        assertTrue(Files.isRegularFile(Path.of(m.group(3), "TaskState.msg")), out);
    }

    @Test
    void rosbagRecordsTaskStateWithItsType(@TempDir Path dir) throws Exception {
        String out = withEnv(90, "cd '" + dir + "' && rosbag record -q -O state.bag --duration=2 /task/state && rosbag info state.bag");
        assertTrue(out.matches("(?s).*types:\\s+teach_learn/TaskState \\[" + TaskState.TYPE.md5() + "\\].*"), out);
        assertTrue(out.matches("(?s).*topics:\\s+/task/state\\s+\\d+ msgs\\s+: teach_learn/TaskState.*"), out);
    }

    @Test
    void envWithoutTheGeneratorsSaysWhatToInstall(@TempDir Path copy) throws Exception {
        // A checkout with no devel/ yet; TEACH_LEARN_PYTHON stands in for a Python without genpy and gencpp.
        for (String f : new String[] {"teach_learn", "package.xml", "ros/src/main/sh/generate-client-messages.sh"}) {
            Files.createDirectories(copy.resolve(f).getParent());
            Files.copy(ROOT.resolve(f), copy.resolve(f));
        }
        for (String d : new String[] {"msg", "srv"}) {
            Files.createDirectories(copy.resolve(d));
            try (var files = Files.list(ROOT.resolve(d))) {
                for (Path f : files.toList()) Files.copy(f, copy.resolve(d).resolve(f.getFileName()));
            }
        }
        String launcher = copy.resolve("teach_learn").toString();
        try (Peer env = Peer.start(MASTER[0], Map.of("TEACH_LEARN_PYTHON", "/bin/false"), launcher, "env")) {
            assertTrue(env.waitFor(60));
            // stdout and stderr are read on a thread of their own, in either order
            env.awaitLine(l -> l.startsWith("export ROS_PACKAGE_PATH="), 10);
            env.awaitLine(l -> l.contains("python3-genpy"), 10);
            env.awaitLine(l -> l.contains("python3-gencpp"), 10);
            String out = env.output();
            assertEquals(1, env.exitValue(), out);
            assertTrue(out.contains("Python classes (rospy, rostopic, rosservice) of teach_learn's messages not generated"), out);
            assertTrue(out.contains("apt-get install -y --no-install-recommends python3-genpy"), out);
            assertTrue(out.contains("apt-get install -y --no-install-recommends python3-gencpp"), out);
            assertTrue(out.contains("export ROS_PACKAGE_PATH=" + copy), out);
            assertFalse(out.contains("export PYTHONPATH="), out);
            assertFalse(out.contains("export CPATH="), out);
        }
        // With Debian's generators, the same checkout gets its devel/ without Java or Maven.
        String out = Peer.run(MASTER[0], 120, launcher, "env");
        assertTrue(out.contains("export PYTHONPATH=" + copy.resolve("devel/lib/python3/dist-packages")), out);
        assertTrue(Files.isRegularFile(copy.resolve("devel/lib/python3/dist-packages/teach_learn/srv/_Reset.py")), out);
        assertTrue(Files.isRegularFile(copy.resolve("devel/include/teach_learn/ResetResponse.h")), out);
        assertTrue(Files.isRegularFile(copy.resolve("devel/lib/pkgconfig/teach_learn.pc")), out);
    }

    private static Map<String, String> ourMd5Sums() {
        Map<String, String> md5 = new LinkedHashMap<>();
        for (var t : new org.teachlearn.ros.message.MessageType<?>[] {ActionStamped.TYPE, DemoInfo.TYPE, Experience.TYPE,
            ModelUpdate.TYPE, TaskState.TYPE, TrainingStats.TYPE}) {
            md5.put(t.name(), t.md5());
        }
        md5.put(Reset.TYPE.name(), Reset.TYPE.md5());
        md5.put(ResetRequest.TYPE.name(), ResetRequest.TYPE.md5());
        md5.put(ResetResponse.TYPE.name(), ResetResponse.TYPE.md5());
        md5.put(StopDemo.TYPE.name(), StopDemo.TYPE.md5());
        md5.put(StopDemoRequest.TYPE.name(), StopDemoRequest.TYPE.md5());
        md5.put(StopDemoResponse.TYPE.name(), StopDemoResponse.TYPE.md5());
        return md5;
    }
}
