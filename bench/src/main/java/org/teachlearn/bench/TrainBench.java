package org.teachlearn.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.teachlearn.msgs.std_msgs.UInt32;
import org.teachlearn.msgs.teach_learn.ModelUpdate;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.NodeArgs;

/**
 * The trainer's model round trip ({@code ./teach_learn bench train}), watched from outside while
 * train.launch runs: for every model version, from the arrival of the newest experience it learned
 * from (the model's {@code header.stamp}) to its swap on each worker ({@code /worker_i/policy/version},
 * latched by each policy server once the model runs), and from the model's arrival here (its
 * broadcast) to the swap on the last worker. All on one machine's wall clock.
 *
 * Usage: TrainBench roundtrip WORKERS VERSIONS TIMEOUT_S — returns once every worker ran VERSIONS models past the first.
 */
public final class TrainBench {

    private record Model(long dataNanos, long arrivedNanos, int bytes) { }

    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !args[0].equals("roundtrip")) throw new IllegalArgumentException("usage: TrainBench roundtrip WORKERS VERSIONS TIMEOUT_S");
        int workers = Integer.parseInt(args[1]), versions = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
        URI master = URI.create(System.getenv().getOrDefault("ROS_MASTER_URI", "http://127.0.0.1:11311"));
        Map<Long, Model> models = new ConcurrentHashMap<>();
        Map<Long, long[]> swapped = new ConcurrentHashMap<>();   // version → per worker wall time of the swap (0: not yet)
        Node node = Node.start(NodeArgs.parse("train_bench", new String[0]).withMaster(master));
        try {
            node.subscribe("/policy/model", ModelUpdate.TYPE, 10, m -> models.putIfAbsent(m.version & 0xFFFFFFFFL,
                    new Model(m.header.stamp.toNanos(), wallNanos(), m.onnx.length)));
            for (int i = 0; i < workers; i++) {
                int w = i;
                node.subscribe("/worker_" + i + "/policy/version", UInt32.TYPE, 10,
                        m -> swapped.computeIfAbsent(m.data & 0xFFFFFFFFL, v -> new long[workers])[w] = wallNanos());
            }
            Long first = null;
            while (System.nanoTime() < deadline) {
                if (first == null && !models.isEmpty()) first = models.keySet().stream().min(Long::compare).orElseThrow();
                if (first != null && allSwapped(swapped.get(first + versions))) break;
                Thread.sleep(100);
            }
            report(models, swapped, first, workers);
        } finally {
            node.shutdown("bench over");
        }
    }

    private static boolean allSwapped(long[] at) {
        if (at == null) return false;
        for (long t : at) if (t == 0) return false;
        return true;
    }

    private static void report(Map<Long, Model> models, Map<Long, long[]> swapped, Long first, int workers) {
        List<Double> roundTrip = new ArrayList<>(), broadcast = new ArrayList<>(), perWorker = new ArrayList<>();
        int bytes = 0;
        for (Map.Entry<Long, long[]> e : swapped.entrySet()) {
            Model m = models.get(e.getKey());
            if (m == null || first == null || e.getKey() <= first || !allSwapped(e.getValue())) continue;   // the first model learned from nothing
            long last = 0;
            for (long t : e.getValue()) {
                last = Math.max(last, t);
                perWorker.add((t - m.dataNanos) / 1e6);
            }
            roundTrip.add((last - m.dataNanos) / 1e6);
            broadcast.add((last - m.arrivedNanos) / 1e6);
            bytes = m.bytes;
        }
        System.out.printf(Locale.ROOT, "model round trip over %d versions, %d workers, %,d-byte models: experience in -> swapped on every worker "
                + "p50 %.0f ms p99 %.0f ms (each worker p50 %.0f p99 %.0f); broadcast -> swapped on the last worker p50 %.0f ms p99 %.0f ms%n",
                roundTrip.size(), workers, bytes, pct(roundTrip, 50), pct(roundTrip, 99), pct(perWorker, 50), pct(perWorker, 99),
                pct(broadcast, 50), pct(broadcast, 99));
    }

    private static double pct(List<Double> xs, double p) {
        if (xs.isEmpty()) return Double.NaN;
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100 * s.size()) - 1));
    }

    private static long wallNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
