package org.teachlearn.nodes.tools;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.teachlearn.ros.launch.LaunchValues;
import org.teachlearn.ros.message.DynamicCodec;
import org.teachlearn.ros.message.EchoFormat;
import org.teachlearn.ros.message.MessageDefinitions;
import org.teachlearn.ros.message.MessageType;
import org.teachlearn.ros.message.RawMessage;
import org.teachlearn.ros.message.Time;
import org.teachlearn.ros.node.MasterClient;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.rosmsg.Field;
import org.teachlearn.rosmsg.MsgSpec;

/**
 * {@code topic echo|pub|hz|bw}, as rostopic does them: the tool joins the graph as an anonymous
 * node, reads any type from the definition its publisher sends, and prints rostopic's formats.
 */
final class TopicStreams {

    private TopicStreams() {
    }

    static void run(String command, List<String> args, List<String> rosArgs) throws Exception {
        NodeArgs nodeArgs = NodeArgs.parse("rostopic", rosArgs.toArray(new String[0])).anonymous();
        switch (command) {
            case "echo" -> echo(args, nodeArgs);
            case "pub" -> pub(args, nodeArgs);
            case "hz" -> hz(args, nodeArgs, false);
            case "bw" -> hz(args, nodeArgs, true);
            default -> throw new IllegalArgumentException(GraphCommand.usage("topic"));
        }
    }

    // --- echo ---

    private static void echo(List<String> args, NodeArgs nodeArgs) throws Exception {
        int count = -1;
        String target = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-n")) count = Integer.parseInt(value(args, ++i, "-n"));
            else if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a + " (usage: topic echo [-n COUNT] TOPIC[/FIELD...])");
            else if (target == null) target = a;
            else throw new IllegalArgumentException("usage: topic echo [-n COUNT] TOPIC[/FIELD...]");
        }
        if (target == null) throw new IllegalArgumentException("usage: topic echo [-n COUNT] TOPIC[/FIELD...]");
        MasterClient master = new MasterClient(nodeArgs.masterUri(), "/" + nodeArgs.name());
        String topic = topicOf(master, target);
        List<String> field = topic.length() < target.length() ? List.of(target.substring(topic.length() + 1).split("/")) : List.of();
        DynamicCodec codec = new DynamicCodec(MessageDefinitions.fromEnvironment().catalog());
        Map<String, MsgSpec> specs = new HashMap<>();
        int limit = count;
        AtomicInteger printed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        Node node = Node.start(nodeArgs);
        node.subscribe(topic, MessageType.any(), 100, m -> {
            if (limit >= 0 && printed.get() >= limit) return;
            MsgSpec spec = specs.computeIfAbsent(m.type().md5(), k -> codec.catalog().addFullText(m.type().name(), m.type().definition()));
            Object v = codec.decode(spec, m.data(), m.length());
            for (String f : field) {
                if (!(v instanceof Map<?, ?> map) || !map.containsKey(f)) {
                    System.err.println("ERROR: " + spec.fullName() + " has no field " + String.join("/", field));
                    done.countDown();
                    return;
                }
                v = map.get(f);
            }
            System.out.println(EchoFormat.format(v) + "\n---");
            if (limit >= 0 && printed.incrementAndGet() >= limit) done.countDown();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> node.shutdown("interrupted")));
        done.await();
        node.shutdown("done");
    }

    /** The topic a {@code TOPIC/field/...} argument names: the longest prefix the master knows. */
    private static String topicOf(MasterClient master, String target) throws Exception {
        Map<String, String> topics = GraphCommand.topics(master);
        String t = target;
        while (!topics.containsKey(t) && t.lastIndexOf('/') > 0) t = t.substring(0, t.lastIndexOf('/'));
        return topics.containsKey(t) ? t : target;
    }

    // --- pub ---

    private static void pub(List<String> args, NodeArgs nodeArgs) throws Exception {
        double rate = 0;
        boolean once = false, latch = false;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-r", "--rate" -> rate = Double.parseDouble(value(args, ++i, a));
                case "-1", "--once" -> once = true;
                case "-l", "--latch" -> latch = true;
                default -> {
                    if (a.startsWith("-") && rest.size() < 2 && !a.matches("-?\\d.*")) throw new IllegalArgumentException("unknown option " + a);
                    rest.add(a);
                }
            }
        }
        if (rest.size() < 2) throw new IllegalArgumentException("usage: topic pub [-r RATE | -1] [-l] TOPIC TYPE [VALUES...]");
        MessageDefinitions defs = MessageDefinitions.fromEnvironment();
        MessageDefinitions.Resolved type = defs.message(rest.get(1));
        DynamicCodec codec = new DynamicCodec(defs.catalog());
        Map<String, Object> values = values(type.spec(), rest.subList(2, rest.size()));
        Node node = Node.start(nodeArgs);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> node.shutdown("interrupted")));
        Publisher<RawMessage> pub = node.advertise(rest.get(0), type.rawType(), 100, rate <= 0 || latch);
        RawMessage msg = new RawMessage(type.rawType());
        if (rate <= 0) {
            byte[] bytes = codec.encode(type.spec(), stamped(type.spec(), values, codec, node));
            pub.publish(msg.set(bytes, 0, bytes.length));
            if (once) {
                System.out.println("publishing and latching message for 3.0 seconds");
                Thread.sleep(3000);
            } else {
                System.out.println("publishing and latching message. Press ctrl-C to terminate");
                new CountDownLatch(1).await();
            }
        } else {
            long period = (long) (1e9 / rate), next = System.nanoTime();
            while (!node.isShutdown()) {
                byte[] bytes = codec.encode(type.spec(), stamped(type.spec(), values, codec, node));
                pub.publish(msg.set(bytes, 0, bytes.length));
                if (once) {
                    Thread.sleep(3000);
                    break;
                }
                next += period;
                long sleep = next - System.nanoTime();
                if (sleep > 0) TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        node.shutdown("done");
    }

    /** rostopic pub's arguments: one YAML mapping of fields, or the fields' values in order. */
    static Map<String, Object> values(MsgSpec spec, List<String> texts) {
        if (texts.isEmpty()) return new LinkedHashMap<>();
        List<Object> parsed = new ArrayList<>();
        for (String t : texts) parsed.add(LaunchValues.yaml(t));
        if (parsed.size() == 1 && parsed.get(0) instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = new LinkedHashMap<>((Map<String, Object>) m);
            return fields;
        }
        if (parsed.size() > spec.fields().size()) {
            throw new IllegalArgumentException(spec.fullName() + " has " + spec.fields().size() + " fields, " + parsed.size() + " values given");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < parsed.size(); i++) fields.put(spec.fields().get(i).name(), parsed.get(i));
        return fields;
    }

    /** rostopic's conveniences: {@code header: auto} and time fields given as {@code now} take the node's clock. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> stamped(MsgSpec spec, Map<String, Object> values, DynamicCodec codec, Node node) {
        Map<String, Object> out = new LinkedHashMap<>(values);
        for (Field f : spec.fields()) {
            Object v = out.get(f.name());
            if (f.type().isArray()) continue;
            if (f.type().base().equals("time") && "now".equals(v)) out.put(f.name(), node.now());
            else if (f.type().base().equals("std_msgs/Header") && "auto".equals(v)) out.put(f.name(), Map.of("stamp", node.now()));
            else if (f.type().isMessage() && v instanceof Map<?, ?> m) {
                out.put(f.name(), stamped(codec.catalog().message(f.type().base()), (Map<String, Object>) m, codec, node));
            }
        }
        return out;
    }

    // --- hz and bw ---

    private static void hz(List<String> args, NodeArgs nodeArgs, boolean bandwidth) throws Exception {
        int window = bandwidth ? 100 : 50000;
        String topic = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-w") || a.equals("--window")) window = Integer.parseInt(value(args, ++i, a));
            else if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
            else topic = a;
        }
        if (topic == null) throw new IllegalArgumentException("usage: topic " + (bandwidth ? "bw" : "hz") + " [-w WINDOW] TOPIC");
        int size = window;
        ArrayDeque<double[]> samples = new ArrayDeque<>();   // {receipt time s, bytes}
        long[] received = new long[1];
        Node node = Node.start(nodeArgs);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> node.shutdown("interrupted")));
        node.subscribe(topic, MessageType.any(), 1000, m -> {
            synchronized (samples) {
                samples.addLast(new double[] {System.nanoTime() / 1e9, m.length()});
                if (samples.size() > size) samples.removeFirst();
                received[0]++;
            }
        });
        System.out.println("subscribed to [" + node.resolve(topic) + "]");
        long printedAt = 0;
        while (!node.isShutdown()) {
            Thread.sleep(1000);
            synchronized (samples) {
                if (bandwidth) {
                    if (samples.size() >= 2) System.out.println(bandwidthReport(samples));
                } else if (samples.size() < 2 || received[0] == printedAt) {
                    System.out.println("no new messages");
                } else {
                    System.out.println(rateReport(samples));
                    printedAt = received[0];
                }
            }
        }
    }

    /** rostopic hz's report over the intervals between receipts. */
    static String rateReport(ArrayDeque<double[]> samples) {
        List<Double> deltas = new ArrayList<>();
        double prev = -1;
        for (double[] s : samples) {
            if (prev >= 0) deltas.add(s[0] - prev);
            prev = s[0];
        }
        double mean = deltas.stream().mapToDouble(d -> d).average().orElse(0);
        double std = Math.sqrt(deltas.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / deltas.size());
        double min = deltas.stream().mapToDouble(d -> d).min().orElse(0), max = deltas.stream().mapToDouble(d -> d).max().orElse(0);
        return String.format("average rate: %.3f%n\tmin: %.3fs max: %.3fs std dev: %.5fs window: %d", mean > 0 ? 1 / mean : 0, min, max, std, deltas.size() + 1);
    }

    /** rostopic bw's report: bytes per second over the window, and message sizes. */
    static String bandwidthReport(ArrayDeque<double[]> samples) {
        double t0 = samples.peekFirst()[0], tn = System.nanoTime() / 1e9;
        double total = 0, min = Double.MAX_VALUE, max = 0;
        for (double[] s : samples) {
            total += s[1];
            min = Math.min(min, s[1]);
            max = Math.max(max, s[1]);
        }
        double perSecond = total / (tn - t0), mean = total / samples.size();
        String unit = perSecond < 1000 ? "B" : perSecond < 1e6 ? "KB" : "MB";
        double scale = perSecond < 1000 ? 1 : perSecond < 1e6 ? 1000 : 1e6;
        return String.format("average: %.2f%s/s%n\tmean: %.2f%s min: %.2f%s max: %.2f%s window: %d", perSecond / scale, unit, mean / scale, unit,
                min / scale, unit, max / scale, unit, samples.size());
    }

    static String value(List<String> args, int i, String option) {
        if (i >= args.size()) throw new IllegalArgumentException(option + " needs a value");
        return args.get(i);
    }
}
