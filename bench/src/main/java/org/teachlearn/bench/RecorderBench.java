package org.teachlearn.bench;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.teachlearn.msgs.geometry_msgs.WrenchStamped;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.std_srvs.Trigger;
import org.teachlearn.msgs.std_srvs.TriggerRequest;
import org.teachlearn.msgs.teach_learn.StopDemo;
import org.teachlearn.msgs.teach_learn.StopDemoRequest;
import org.teachlearn.msgs.teach_learn.StopDemoResponse;
import org.teachlearn.ros.bag.BagReader;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.xmlrpc.XmlRpcClient;

/**
 * The recorder benchmark: on one Debian roscore, {@code joint_states}, {@code ft_sensor/wrench} and
 * {@code arm_controller/command} at 1 kHz each ({@link RecordLoad}, every message numbered), recorded
 * at once by Debian's {@code rosbag record -a}, by {@code ./teach_learn bag record -a} and by the
 * recorder node in back-to-back takes ({@code demo/start} … {@code demo/stop}). Measures the
 * messages each lost (gaps in the numbering inside what it recorded; target 0), {@code demo/stop} →
 * bag complete (the call's round trip: the bag is indexed and renamed when it returns; target
 * ≤ 100 ms), and, after that, the seconds lost when the recorder is killed with {@code kill -9} at
 * {@code KILLS} (5) seeded random moments of a take and repaired by its next start (target ≤ 1 s).
 *
 * Usage: RecorderBench [SECONDS (60)] [SEED (1)] [OUT (bench/out/record)]
 */
public final class RecorderBench {

    static final List<String> TOPICS = List.of("/joint_states", "/ft_sensor/wrench", "/arm_controller/command");
    static final int KILLS = 5;

    /** What one run measured. */
    public record Result(double seconds, long published, long lostRosbag, long lostRosbagInTakes, long recordedRosbag, long lostBagRecord, long lostBagRecordInTakes, long recordedBagRecord,
            long lostRecorder, long recordedRecorder, int takes, double stopP50Ms, double stopMaxMs, double[] killLostSeconds,
            long recorderRssMb, long rosbagRssMb, java.util.Map<String, Long> publisherDrops) {

        double worstKillLoss() {
            return Arrays.stream(killLostSeconds).max().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, String.join("\n",
                    "recorder bench: %.0f s of joint_states + ft_sensor/wrench + arm_controller/command at 1 kHz each, %d messages published",
                    "messages lost (gaps inside what each recorded): rosbag record -a %d of %d (%d while the takes ran), bag record -a %d of %d (%d while the takes ran), recorder %d of %d in %d takes",
                    "demo/stop -> bag complete: p50 %.1f ms, max %.1f ms over %d takes",
                    "kill -9 at %d random moments: seconds lost %s (worst %.2f s)",
                    "resident memory at the end: recorder %d MB, rosbag record %d MB",
                    "dropped by the publisher for a subscriber a queue (1000) behind: %s"),
                    seconds, published, lostRosbag, recordedRosbag, lostRosbagInTakes, lostBagRecord, recordedBagRecord, lostBagRecordInTakes, lostRecorder, recordedRecorder, takes,
                    stopP50Ms, stopMaxMs, takes, killLostSeconds.length, Arrays.toString(Arrays.stream(killLostSeconds)
                            .mapToObj(s -> String.format(Locale.ROOT, "%.2f", s)).toArray()), worstKillLoss(), recorderRssMb, rosbagRssMb, publisherDrops);
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 60;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        Path out = args.length > 2 ? Path.of(args[2]) : Path.of("bench/out/record");
        System.out.println(measure(LockstepClientsBench.root(), seconds, seed, out));
        System.exit(0);
    }

    public static Result measure(Path root, double seconds, long seed, Path out) throws Exception {
        return measure(root, seconds, seed, KILLS, out);
    }

    /** As above with {@code kills} kill -9s (the short version in CI). */
    public static Result measure(Path root, double seconds, long seed, int kills, Path out) throws Exception {
        Files.createDirectories(out);
        Path demos = out.resolve("demos");
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI master = URI.create("http://127.0.0.1:" + port + "/");
        List<Process> started = new ArrayList<>();
        RecordLoad load = null;
        Thread publisher = null;
        try {
            started.add(start(master, out.resolve("roscore.log"), "roscore", "-p", Integer.toString(port)));
            await(() -> {
                new XmlRpcClient(master, 1000, 1 << 20).call("getPid", "/bench");
                return true;
            }, 30, "roscore");
            Process theirs = start(master, out.resolve("theirs.log"), "rosbag", "record", "-a", "-O", out.resolve("theirs.bag").toString(),
                    "__name:=rosbag_record");
            started.add(theirs);
            Process ours = start(master, out.resolve("ours.log"), root.resolve("teach_learn").toString(), "bag", "record", "-a", "-O",
                    out.resolve("ours.bag").toString());
            started.add(ours);
            Node node = Node.start(NodeArgs.parse("record_bench", new String[] {"__master:=" + master}));
            load = new RecordLoad(node);
            RecordLoad published = load;
            Process recorder = startRecorder(root, master, out, demos, node, started);
            // every recorder hears every topic before the first message
            await(() -> published.subscribers() >= 3 * 3, 60, "rosbag record, bag record and the recorder to subscribe");
            publisher = new Thread(load::run, "record-load");
            publisher.setDaemon(true);
            publisher.start();
            Thread.sleep(2000);

            // back-to-back takes
            var startDemo = node.serviceClient("demo/start", Trigger.TYPE, true);
            var stopDemo = node.serviceClient("demo/stop", StopDemo.TYPE, true);
            double takeSeconds = Math.max(2, Math.min(20, seconds / 5));
            List<Path> takes = new ArrayList<>();
            List<Double> stopMs = new ArrayList<>();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long takesFrom = load.sent();
            while (System.nanoTime() < end) {
                if (!startDemo.call(new TriggerRequest()).success) throw new IllegalStateException("demo/start refused");
                Thread.sleep((long) (Math.min(takeSeconds, Math.max(1, (end - System.nanoTime()) / 1e9)) * 1000));
                StopDemoRequest req = new StopDemoRequest();
                req.success = true;
                long t0 = System.nanoTime();
                StopDemoResponse res = stopDemo.call(req);
                stopMs.add((System.nanoTime() - t0) / 1e6);
                if (!res.ok || !Files.exists(Path.of(res.path))) throw new IllegalStateException("demo/stop: " + res.message);
                takes.add(Path.of(res.path));
                Thread.sleep(200);
            }
            long takesTo = load.sent();
            long recorderRss = rss(recorder.pid());

            // kill -9 at seeded random moments of a take; the next start repairs
            Random random = new Random(seed);
            double[] lost = new double[kills];
            for (int i = 0; i < kills; i++) {
                if (!node.serviceClient("demo/start", Trigger.TYPE, false).call(new TriggerRequest()).success) {
                    throw new IllegalStateException("demo/start refused before kill " + i);
                }
                Thread.sleep((long) (1000 + random.nextDouble() * 4000));
                List<Path> active = list(demos, ".bag.active");
                long lastSent = load.sent() - 1;
                recorder.destroyForcibly();   // SIGKILL
                recorder.waitFor(10, TimeUnit.SECONDS);
                if (active.size() != 1) throw new IllegalStateException("expected one take being written, found " + active);
                recorder = startRecorder(root, master, out, demos, node, started);   // serves demo/stop once its repair is done
                Path bag = Path.of(active.get(0).toString().replace(".bag.active", ".bag"));
                if (!Files.exists(bag)) throw new IllegalStateException(bag + " was not repaired; the recorder said:\n" + Files.readString(out.resolve("recorder.log")));
                long newest = newestSeq(bag, "/joint_states");
                lost[i] = (lastSent - newest) / 1000.0;
            }
            load.stop();
            publisher.join(5000);
            Thread.sleep(2000);   // the last messages reach the recorders
            java.util.Map<String, Long> publisherDrops = load.droppedBySubscriber();
            long theirRss = rss(children(theirs));
            interruptTree(theirs);   // rosbag record closes its bag on SIGINT
            new ProcessBuilder("kill", "-TERM", Long.toString(ours.pid())).start().waitFor();
            ours.waitFor(30, TimeUnit.SECONDS);
            Path theirBag = out.resolve("theirs.bag");
            if (!Files.exists(theirBag) && Files.exists(out.resolve("theirs.bag.active"))) {
                new ProcessBuilder("rosbag", "reindex", out.resolve("theirs.bag.active").toString()).inheritIO().start().waitFor();
                Files.move(out.resolve("theirs.bag.active"), theirBag);
            }
            long[] rosbag = gaps(theirBag, 0, Long.MAX_VALUE), bagRecord = gaps(out.resolve("ours.bag"), 0, Long.MAX_VALUE), inTakes = {0, 0};
            long rosbagInTakes = gaps(theirBag, takesFrom, takesTo)[0], bagRecordInTakes = gaps(out.resolve("ours.bag"), takesFrom, takesTo)[0];
            for (Path t : takes) {
                long[] g = gaps(t, 0, Long.MAX_VALUE);
                inTakes[0] += g[0];
                inTakes[1] += g[1];
            }
            node.shutdown("bench done");
            double[] sorted = stopMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Result(seconds, load.sent() * 3, rosbag[0], rosbagInTakes, rosbag[1], bagRecord[0], bagRecordInTakes, bagRecord[1], inTakes[0], inTakes[1], takes.size(),
                    sorted[sorted.length / 2], sorted[sorted.length - 1], lost, recorderRss, theirRss, publisherDrops);
        } finally {
            if (load != null) load.stop();
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).descendants().forEach(ProcessHandle::destroy);
                started.get(i).destroy();
                started.get(i).waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts the recorder and waits until it serves demo/stop (a killed one's registration stays on the master until then). */
    private static Process startRecorder(Path root, URI master, Path out, Path demos, Node node, List<Process> started) throws Exception {
        String before = serviceUri(node);
        Process p = start(master, out.resolve("recorder.log"), root.resolve("teach_learn").toString(), "run", "recorder", "_dir:=" + demos,
                "_task:=reach", "_source:=expert", "_topics:=[" + String.join(", ", TOPICS) + "]");
        started.add(p);
        await(() -> {
            String now = serviceUri(node);
            return now.contains("rosrpc://") && !now.equals(before) && p.isAlive();
        }, 60, "the recorder's demo/stop");
        return p;
    }

    private static String serviceUri(Node node) {
        try {
            return String.valueOf(node.master().call("lookupService", "/demo/stop"));
        } catch (Exception e) {
            return "";
        }
    }

    /**
     * Lost (gaps in the numbering between the first and last message of each topic) and recorded
     * messages of the load topics in a bag, counting numbers {@code from} to {@code to} only.
     */
    static long[] gaps(Path bag, long from, long to) throws Exception {
        long lost = 0, recorded = 0;
        try (BagReader r = new BagReader(bag)) {
            for (String topic : TOPICS) {
                long[] seen = {Long.MAX_VALUE, Long.MIN_VALUE, 0};
                r.read(Set.of(topic), Long.MIN_VALUE, Long.MAX_VALUE, e -> {
                    long seq = seq(topic, e.data());
                    if (seq < from || seq >= to) return;
                    seen[0] = Math.min(seen[0], seq);
                    seen[1] = Math.max(seen[1], seq);
                    seen[2]++;
                });
                if (seen[2] > 0) lost += seen[1] - seen[0] + 1 - seen[2];
                recorded += seen[2];
            }
        }
        return new long[] {lost, recorded};
    }

    static long newestSeq(Path bag, String topic) throws Exception {
        long[] newest = {-1};
        try (BagReader r = new BagReader(bag)) {
            r.read(Set.of(topic), Long.MIN_VALUE, Long.MAX_VALUE, e -> newest[0] = Math.max(newest[0], seq(topic, e.data())));
        }
        return newest[0];
    }

    /** A load message's number: header.seq, or the command's first value. */
    private static long seq(String topic, ByteBuffer data) {
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (!topic.equals("/arm_controller/command")) return b.getInt() & 0xffffffffL;
        Float64MultiArray m = new Float64MultiArray();
        m.deserialize(b);
        return (long) m.data[0];
    }

    private static List<Path> list(Path dir, String suffix) throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    private static Process start(URI master, Path log, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.put("ROS_MASTER_URI", master.toString());
        env.put("ROS_IP", "127.0.0.1");
        env.put("TEACH_LEARN_CLASSPATH", System.getProperty("java.class.path"));
        return pb.start();
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check check, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            try {
                if (check.ok()) return;
            } catch (Exception e) {
                // not yet
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out after " + seconds + " s waiting for " + what);
            Thread.sleep(50);
        }
    }

    /** rosbag record runs its C++ recorder as a child of the Python script. */
    /**
     * SIGINT to rosbag record and its C++ `record` child, as Ctrl+C sends it to the whole process
     * group: the Python wrapper alone exits on SIGINT and leaves the child writing the bag. Waits
     * until every one of them has gone, so the bag is final (or stays .active) when this returns.
     */
    private static void interruptTree(Process p) throws Exception {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        for (ProcessHandle h : tree) new ProcessBuilder("kill", "-INT", Long.toString(h.pid())).start().waitFor();
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (ProcessHandle h : tree) {
            while (h.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        }
    }

    private static long children(Process p) {
        return p.descendants().map(ProcessHandle::pid).findFirst().orElse(p.pid());
    }

    private static long rss(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
            }
        } catch (Exception e) {
            // gone
        }
        return -1;
    }
}
