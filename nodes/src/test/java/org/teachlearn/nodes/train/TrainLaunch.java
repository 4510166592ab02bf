package org.teachlearn.nodes.train;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;

/**
 * launch/train.launch under Debian's roslaunch, as a lab starts it from a checkout on
 * ROS_PACKAGE_PATH (our nodes through nodes/bin), and what the tests read back: the trainer's
 * log lines, the workers' latched {@code policy/version}, {@code rosnode info}.
 */
final class TrainLaunch {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path FILE = ROOT.resolve("launch/train.launch");
    private static final Pattern VERSION = Pattern.compile("\\[INFO\\] \\[(\\d+\\.\\d+)\\]: trainer: version (\\d+) after update \\d+: ([\\d,]+) env steps");

    /** One published model as the trainer logged it: wall time (s), version, env steps so far. */
    record Update(double time, long version, long envSteps) {
    }

    private TrainLaunch() {
    }

    /** The environment our nodes need under roslaunch: the checkout as a ROS package, the test's classes. */
    static Map<String, String> env(Path rosHome) {
        Map<String, String> env = new HashMap<>();
        env.put("ROS_PACKAGE_PATH", ROOT.toString());
        env.put("TEACH_LEARN_CLASSPATH", System.getProperty("java.class.path"));
        env.put("ROS_HOME", rosHome.toString());
        return env;
    }

    /** {@code roslaunch train.launch ARGS} with ROS_IP {@code ip} (the address its nodes bind and advertise). */
    static Peer start(URI master, String ip, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env", "ROS_IP=" + ip, RosPeers.tool("roslaunch"), FILE.toString()));
        cmd.addAll(List.of(args));
        return Peer.start(master, env, cmd.toArray(new String[0]));
    }

    /** Every model the trainer logged so far, in order. */
    static List<Update> updates(Peer launch) {
        List<Update> out = new ArrayList<>();
        for (String line : launch.lines()) {
            Matcher m = VERSION.matcher(line);
            if (m.find()) out.add(new Update(Double.parseDouble(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3).replace(",", ""))));
        }
        return out;
    }

    static long newestVersion(Peer launch) {
        List<Update> u = updates(launch);
        return u.isEmpty() ? 0 : u.get(u.size() - 1).version();
    }

    /**
     * Transitions learned from per second between the trainer's first and last update in [from, to] (wall seconds): each new
     * version is one PPO update of {@code rolloutRows}. The env steps the trainer logs also count batches it dropped as stale,
     * and it takes queued batches in bursts, so they measure arrival, not learning. NaN with fewer than two updates.
     */
    static double learnedPerSecond(List<Update> updates, double from, double to, int rolloutRows) {
        Update first = null, last = null;
        for (Update u : updates) {
            if (u.time() < from || u.time() > to) continue;
            if (first == null) first = u;
            last = u;
        }
        if (first == null || last == first) return Double.NaN;
        return (last.version() - first.version()) * (double) rolloutRows / (last.time() - first.time());
    }

    /** Environment steps (all batches received) per second between the trainer's first and last update in [from, to]; NaN with fewer than two. */
    static double stepsPerSecond(List<Update> updates, double from, double to) {
        Update first = null, last = null;
        for (Update u : updates) {
            if (u.time() < from || u.time() > to) continue;
            if (first == null) first = u;
            last = u;
        }
        if (first == null || last == first) return Double.NaN;
        return (last.envSteps() - first.envSteps()) / (last.time() - first.time());
    }

    /** The model version a worker's policy server runs (its latched policy/version), read with rostopic; 0 before its first model. */
    static long workerVersion(URI master, String worker) throws Exception {
        String out = Peer.run(master, 30, RosPeers.tool("rostopic"), "echo", "-n", "1", "/" + worker + "/policy/version");
        Matcher m = Pattern.compile("data: (\\d+)").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** rosnode info NODE: its XML-RPC URI ("contacting node URI") and pid. */
    record NodeInfo(String uri, long pid, String text) {
    }

    static NodeInfo nodeInfo(URI master, String node) throws Exception {
        String out = Peer.run(master, 30, RosPeers.tool("rosnode"), "info", node);
        Matcher uri = Pattern.compile("contacting node (\\S+) \\.\\.\\.").matcher(out), pid = Pattern.compile("Pid: (\\d+)").matcher(out);
        if (!uri.find() || !pid.find()) throw new AssertionError("rosnode info " + node + " gave no URI or pid:\n" + out);
        return new NodeInfo(uri.group(1), Long.parseLong(pid.group(1)), out);
    }

    /** Waits for a line matching {@code regex} among those printed from index {@code from} on; returns it. */
    static String awaitLineAfter(Peer launch, int from, String regex, int seconds) throws Exception {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            List<String> lines = launch.lines();
            for (int i = from; i < lines.size(); i++) if (p.matcher(lines.get(i)).find()) return lines.get(i);
            if (System.nanoTime() > deadline || !launch.isAlive()) {
                throw new AssertionError("no line matching " + regex + " in " + seconds + " s; output:\n" + tail(launch));
            }
            Thread.sleep(100);
        }
    }

    /** The launch's output without the policy servers' clamping warnings, last 120 lines. */
    static String tail(Peer launch) {
        List<String> l = launch.lines().stream().filter(s -> !s.contains("[WARN]")).toList();
        return String.join("\n", l.subList(Math.max(0, l.size() - 120), l.size()));
    }

    static String rate(double stepsPerSecond) {
        return String.format(Locale.ROOT, "%.0f", stepsPerSecond);
    }
}
