package org.teachlearn.nodes.record;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;
import org.teachlearn.ros.xmlrpc.XmlRpcClient;

/**
 * The recorder as a user runs it ({@code ./teach_learn run recorder}, this build's classes) and the
 * Debian tools a user drives it with: {@code rosservice}, rospy and Python {@code rosbag}, after
 * {@code ./teach_learn env}.
 */
final class RecorderPeers {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String LAUNCHER = ROOT.resolve("teach_learn").toString();
    private static String exports;

    private RecorderPeers() {
    }

    /** Starts the recorder and waits until it serves demo/stop. */
    static Peer recorder(URI master, Path dir, String... params) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER, "run", "recorder", "_dir:=" + dir));
        cmd.addAll(List.of(params));
        Peer p = Peer.start(master, Map.of("TEACH_LEARN_CLASSPATH", System.getProperty("java.class.path")), cmd.toArray(new String[0]));
        XmlRpcClient m = new XmlRpcClient(master);
        RosPeers.waitUntil(() -> {
            try {
                return String.valueOf(m.call("lookupService", "/test", "/demo/stop")).contains("rosrpc://");
            } catch (Exception e) {
                return false;
            }
        }, 60, "the recorder's /demo/stop (it printed:\n" + p.output() + ")");
        return p;
    }

    /** Runs a bash command with the environment {@code ./teach_learn env} prints (computed once). */
    static synchronized String withEnv(URI master, int timeoutSeconds, String command) throws Exception {
        if (exports == null) exports = Peer.run(master, 120, LAUNCHER, "env");
        return Peer.run(master, timeoutSeconds, "bash", "-c", exports + "\n" + command);
    }

    /** {@code rosservice call SERVICE ARGS} as a user types it. */
    static String rosservice(URI master, String service, String args) throws Exception {
        return withEnv(master, 60, "rosservice call " + service + (args.isEmpty() ? "" : " \"" + args + "\""));
    }

    /** What Python's rosbag reads in a bag: messages per topic, and each demo/info as "task|source|success|notes". */
    record Read(Map<String, Integer> counts, List<String> infos, String raw) {
        int count(String topic) {
            return counts.getOrDefault(topic, 0);
        }
    }

    static Read readBag(URI master, Path bag) throws Exception {
        String script = String.join("\n", "import rosbag, sys",
                "b = rosbag.Bag(sys.argv[1])",
                "counts = {}",
                "for topic, msg, t in b.read_messages():",
                "    counts[topic] = counts.get(topic, 0) + 1",
                "    if topic == '/demo/info': print('info %s|%s|%s|%s' % (msg.task, msg.source, msg.success, msg.notes))",
                "for k, v in sorted(counts.items()): print('count %s %d' % (k, v))");
        Path py = Files.createTempFile("readbag", ".py");
        Files.writeString(py, script);
        String out = withEnv(master, 120, RosPeers.PYTHON + " " + py + " '" + bag + "'");
        Files.delete(py);
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> infos = new ArrayList<>();
        for (String l : out.lines().toList()) {
            if (l.startsWith("count ")) {
                String[] f = l.split(" ");
                counts.put(f[1], Integer.parseInt(f[2]));
            } else if (l.startsWith("info ")) {
                infos.add(l.substring(5));
            }
        }
        return new Read(counts, infos, out);
    }

    /** The files in a directory, by name. */
    static List<String> files(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The one path of a {@code path: "..."} line that rosservice printed. */
    static Path pathOf(String rosserviceOutput) {
        for (String l : rosserviceOutput.lines().toList()) {
            if (l.startsWith("path: ")) return Path.of(l.substring(6).replace("\"", "").trim());
        }
        throw new AssertionError("no path in:\n" + rosserviceOutput);
    }
}
