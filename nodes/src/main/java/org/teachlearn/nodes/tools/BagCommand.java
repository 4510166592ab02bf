package org.teachlearn.nodes.tools;

import static org.teachlearn.nodes.tools.XmlRpcArrays.list;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.teachlearn.msgs.rosgraph_msgs.Clock;
import org.teachlearn.ros.bag.BagException;
import org.teachlearn.ros.bag.BagReader;
import org.teachlearn.ros.bag.BagReindexer;
import org.teachlearn.ros.bag.BagWriter;
import org.teachlearn.ros.message.MessageType;
import org.teachlearn.ros.message.RawMessage;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;

/**
 * {@code ./teach_learn bag info|record|play|reindex}, with rosbag's usual options: record topics
 * (or all, {@code -a}) as any type into a crash-safe bag (chunks closed every second), play one
 * back with its recorded timing ({@code -r}, {@code -l}, {@code -s}, {@code -u}, {@code --clock}),
 * summarise one, or repair one whose recorder died.
 */
public final class BagCommand {

    private BagCommand() {
    }

    /** Runs a bag command; exits the JVM with its status when that is not 0 (errors are one line on stderr). */
    public static void run(List<String> args) throws Exception {
        int status = execute(args, System.out, System.err);
        if (status != 0) System.exit(status);
    }

    /**
     * Runs a bag command and returns its exit status: 0 done, 1 the bag is missing, damaged or
     * yielded nothing (one line on {@code err} says which and what to do), 2 wrong usage.
     */
    public static int execute(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty()) {
            err.println(usage());
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            switch (args.get(0)) {
                case "info" -> {
                    if (rest.isEmpty()) throw new IllegalArgumentException("usage: bag info BAG...");
                    int status = 0;
                    for (String b : rest) {
                        try {
                            out.print(info(Path.of(b)));
                        } catch (BagException | IOException e) {
                            err.println("bag info: " + describe(e, b));
                            status = 1;
                        }
                    }
                    return status;
                }
                case "reindex" -> {
                    if (rest.isEmpty()) throw new IllegalArgumentException("usage: bag reindex BAG...");
                    int status = 0;
                    for (String b : rest) {
                        try {
                            BagReindexer.Result r = BagReindexer.reindex(Path.of(b));
                            if (r.yieldedNothing()) {
                                err.println("bag reindex: " + b + " holds no intact message (" + r.bytesSkipped() + " bytes skipped as damaged, "
                                        + r.chunksLost() + " chunks lost); it was left as it is");
                                status = 1;
                            } else {
                                out.println(r.summary(b));
                            }
                        } catch (BagException | IOException e) {
                            err.println("bag reindex: " + describe(e, b));
                            status = 1;
                        }
                    }
                    return status;
                }
                case "record" -> record(rest, null);
                case "play" -> play(rest, null);
                default -> throw new IllegalArgumentException("unknown bag command '" + args.get(0) + "'\n" + usage());
            }
        } catch (BagException | IOException e) {
            err.println("bag " + args.get(0) + ": " + describe(e, null));
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("bag " + args.get(0) + ": " + e.getMessage());
            return 2;
        }
        return 0;
    }

    /** One line for a failure, without a stack trace: what is wrong with which file. */
    static String describe(Exception e, String bag) {
        if (e instanceof java.nio.file.NoSuchFileException) return e.getMessage() + ": no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return e.getMessage() + ": permission denied";
        if (e instanceof BagException || bag == null) return e.getMessage() != null ? e.getMessage() : e.toString();
        return bag + ": " + e;
    }

    static String usage() {
        return String.join("\n", "usage: ./teach_learn bag info BAG... | reindex BAG...",
                "       ./teach_learn bag record [-a | TOPIC...] [-O NAME.bag | -o PREFIX] [--lz4 | --bz2] [--duration SECS] [ROS args]",
                "       ./teach_learn bag play BAG [-r RATE] [-l] [-s START] [-u DURATION] [--clock] [--topics TOPIC...] [ROS args]");
    }

    /** What {@code rosbag info} prints, in its layout. */
    public static String info(Path bag) throws Exception {
        try (BagReader r = new BagReader(bag)) {
            Map<Integer, Long> counts = r.messageCounts();
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            Map<String, String> types = new LinkedHashMap<>();
            Map<String, Long> topics = new LinkedHashMap<>();
            Map<String, String> topicTypes = new HashMap<>();
            for (BagReader.Connection c : r.connections()) {
                types.put(c.type(), c.md5());
                topics.merge(c.topic(), counts.getOrDefault(c.id(), 0L), Long::sum);
                topicTypes.put(c.topic(), c.type());
            }
            double start = r.startNanos() / 1e9, end = r.endNanos() / 1e9;
            DateTimeFormatter f = DateTimeFormatter.ofPattern("MMM dd yyyy HH:mm:ss.SS", Locale.ROOT);
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "path:        %s%n", bag));
            sb.append("version:     2.0\n");
            sb.append(String.format(Locale.ROOT, "duration:    %.1fs%n", end - start));
            sb.append(String.format(Locale.ROOT, "start:       %s (%.2f)%n", f.format(local(r.startNanos())), start));
            sb.append(String.format(Locale.ROOT, "end:         %s (%.2f)%n", f.format(local(r.endNanos())), end));
            sb.append(String.format(Locale.ROOT, "size:        %.1f KB%n", Files.size(bag) / 1024.0));
            sb.append(String.format(Locale.ROOT, "messages:    %d%n", total));
            sb.append(String.format(Locale.ROOT, "chunks:      %d%n", r.chunkCount()));
            String label = "types:       ";
            for (Map.Entry<String, String> t : types.entrySet()) {
                sb.append(label).append(t.getKey()).append(" [").append(t.getValue()).append("]\n");
                label = "             ";
            }
            label = "topics:      ";
            for (Map.Entry<String, Long> t : topics.entrySet()) {
                sb.append(label).append(String.format(Locale.ROOT, "%-30s %8d msgs    : %s%n", t.getKey(), t.getValue(), topicTypes.get(t.getKey())));
                label = "             ";
            }
            return sb.toString();
        }
    }

    private static LocalDateTime local(long nanos) {
        return LocalDateTime.ofInstant(Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L), ZoneId.systemDefault());
    }

    /**
     * Records until Ctrl-C, {@code --duration}, or {@code stop} counting down (tests). Each message is
     * stored with the type, MD5 sum and definition its publisher sent, as rosbag record does.
     */
    public static Path record(List<String> args, CountDownLatch stop) throws Exception {
        List<String> topics = new ArrayList<>(), ros = new ArrayList<>();
        boolean all = false;
        BagWriter.Compression compression = BagWriter.Compression.NONE;
        String name = null, prefix = null;
        double duration = 0;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-a", "--all" -> all = true;
                case "--lz4" -> compression = BagWriter.Compression.LZ4;
                case "--bz2" -> compression = BagWriter.Compression.BZ2;
                case "-O", "--output-name" -> name = value(args, ++i, a);
                case "-o", "--output-prefix" -> prefix = value(args, ++i, a);
                case "--duration" -> duration = Double.parseDouble(value(args, ++i, a).replace("s", ""));
                default -> {
                    if (a.contains(":=")) ros.add(a);
                    else if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
                    else topics.add(a);
                }
            }
        }
        if (!all && topics.isEmpty()) throw new IllegalArgumentException("bag record: give topics or -a\n" + usage());
        String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").format(LocalDateTime.now());
        Path file = Path.of(name != null ? (name.endsWith(".bag") ? name : name + ".bag") : (prefix != null ? prefix + "_" : "") + stamp + ".bag");
        Node node = Node.start(NodeArgs.parse("record_" + ProcessHandle.current().pid(), ros.toArray(new String[0])));
        BagWriter writer = new BagWriter(file, compression);
        Set<String> subscribed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<org.teachlearn.ros.node.Subscriber<?>> subscribers = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.function.Consumer<String> subscribe = topic -> {
            if (!subscribed.add(topic)) return;
            try {
                subscribers.add(node.subscribe(topic, MessageType.any(), 10_000, m -> {
                    try {
                        int conn = writer.connection(topic, m.type(), "", false);
                        // each topic's callback runs on its own thread: no shared Time to fill, or two threads mix one stamp
                        writer.write(conn, node.nowNanos(), m.data(), 0, m.length());
                    } catch (Exception e) {
                        node.log().errorThrottled("bag-write", 1.0, "bag record: " + e.getMessage());
                    }
                }));
            } catch (Exception e) {
                node.log().error("bag record: cannot subscribe to " + topic + ": " + e.getMessage());
            }
        };
        for (String t : topics) subscribe.accept(node.resolve(t));
        System.out.println("recording to " + file + (all ? " (all topics)" : " " + topics));
        CountDownLatch done = stop != null ? stop : new CountDownLatch(1), closed = new CountDownLatch(1);
        // Ctrl-C: the JVM halts when its hooks return, so the hook waits until the bag is closed
        Thread hook = new Thread(() -> {
            done.countDown();
            try {
                closed.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (stop == null) Runtime.getRuntime().addShutdownHook(hook);
        long end = duration > 0 ? System.nanoTime() + (long) (duration * 1e9) : Long.MAX_VALUE;
        try {
            while (done.getCount() > 0 && System.nanoTime() < end) {
                if (all) {
                    try {
                        for (Object pair : list(node.master().call("getPublishedTopics", ""))) subscribe.accept((String) list(pair).get(0));
                    } catch (java.io.IOException e) {
                        node.log().warnThrottled("topics", 5.0, "bag record: cannot list topics: " + e.getMessage());
                    }
                }
                done.await(all ? 1000 : 100, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } finally {
            long dropped = 0;
            for (var sub : subscribers) dropped += sub.dropped();
            node.shutdown("recording done");   // no message may arrive for a closed bag
            writer.close();
            if (dropped > 0) System.err.println("bag record: " + dropped + " messages dropped by the subscription queue (10000): the disk or CPU fell behind");
            closed.countDown();
        }
        System.out.println("closed " + file);
        return file;
    }

    /** Plays a bag with its recorded timing; returns the messages published. */
    public static long play(List<String> args, String[] rosArgs) throws Exception {
        String bag = null;
        double rate = 1, start = 0, length = Double.POSITIVE_INFINITY;
        boolean loop = false, clock = false;
        Set<String> only = null;
        List<String> ros = new ArrayList<>(rosArgs != null ? List.of(rosArgs) : List.of());
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-r", "--rate" -> rate = Double.parseDouble(value(args, ++i, a));
                case "-s", "--start" -> start = Double.parseDouble(value(args, ++i, a));
                case "-u", "--duration" -> length = Double.parseDouble(value(args, ++i, a));
                case "-l", "--loop" -> loop = true;
                case "--clock" -> clock = true;
                case "--topics" -> {
                    only = new java.util.HashSet<>();
                    while (i + 1 < args.size() && !args.get(i + 1).startsWith("-")) only.add(args.get(++i));
                }
                default -> {
                    if (a.contains(":=")) ros.add(a);
                    else if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
                    else if (bag == null) bag = a;
                    else throw new IllegalArgumentException("bag play takes one bag\n" + usage());
                }
            }
        }
        if (bag == null) throw new IllegalArgumentException("bag play: which bag?\n" + usage());
        if (!(rate > 0)) throw new IllegalArgumentException("bag play: -r must be > 0");
        long published = 0;
        try (BagReader r = new BagReader(Path.of(bag))) {   // before the node: a bad bag is reported without waiting for a master
            Node node = Node.start(NodeArgs.parse("play_" + ProcessHandle.current().pid(), ros.toArray(new String[0])));
            try {
                Map<Integer, Publisher<RawMessage>> pubs = new HashMap<>();
                for (BagReader.Connection c : r.connections()) {
                    if (only != null && !only.contains(c.topic())) continue;
                    pubs.put(c.id(), node.advertise(c.topic(), MessageType.raw(c.type(), c.md5(), c.definition()), 100, c.latching()));
                }
                Publisher<Clock> clockPub = clock ? node.advertise("/clock", Clock.TYPE) : null;
                Thread.sleep(1000);   // let subscribers connect, as rosbag play does (-d)
                long bagStart = r.startNanos() + (long) (start * 1e9);
                long bagEnd = Double.isInfinite(length) ? Long.MAX_VALUE : bagStart + (long) (length * 1e9);
                double playRate = rate;
                do {
                    long wallStart = System.nanoTime();
                    long[] count = {0};
                    RawMessage raw = new RawMessage(MessageType.any());
                    Clock clockMsg = new Clock();
                    r.read(only, bagStart, bagEnd, e -> {
                        long due = wallStart + (long) ((e.timeNanos() - bagStart) / playRate);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            try {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            } catch (InterruptedException ex) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                        if (clockPub != null) {
                            clockMsg.clock.setNanos(e.timeNanos());
                            clockPub.publish(clockMsg);
                        }
                        Publisher<RawMessage> p = pubs.get(e.connection().id());
                        byte[] bytes = new byte[e.data().remaining()];
                        e.data().duplicate().get(bytes);
                        raw.setType(MessageType.raw(e.connection().type(), e.connection().md5(), e.connection().definition()));
                        p.publish(raw.set(bytes, 0, bytes.length));
                        count[0]++;
                    });
                    published += count[0];
                } while (loop && !node.isShutdown());
                Thread.sleep(200);   // let the last messages leave
            } finally {
                node.shutdown("playback done");
            }
        }
        System.out.println("played " + published + " messages from " + bag);
        return published;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) throw new IllegalArgumentException("option " + option + " needs a value");
        return args.get(i);
    }
}
