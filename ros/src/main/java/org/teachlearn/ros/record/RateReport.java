package org.teachlearn.ros.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a take recorded per topic against what was expected: the rate each topic was recorded at
 * (over its own first and last message), the rate expected — {@code ~expected_rates} when it names
 * the topic, else the topic's own rate over the first seconds of the take — and the messages the
 * recorder's queue dropped. A rate off by more than the tolerance, or any drop, is a warning: a
 * publisher that slowed down or a recorder that fell behind shows here, not months later in
 * training (a silently slow loop is the failure this guards against).
 */
public final class RateReport {

    /** The per-topic lines (one per topic) and the warnings among them. */
    public record Result(List<String> lines, List<String> warnings) {

        public String text() {
            return String.join("\n", lines);
        }
    }

    private RateReport() {
    }

    static Result of(List<RecordedTopic> topics, double windowSeconds, Map<String, Double> expectedRates, double tolerance) {
        List<String> lines = new ArrayList<>(), warnings = new ArrayList<>();
        for (RecordedTopic t : topics) {
            double span = (t.lastNanos - t.firstNanos) / 1e9;
            double rate = t.count >= 2 && span > 0 ? (t.count - 1) / span : Double.NaN;
            Double given = expectedRates.get(t.name);
            double expected;
            String from;
            if (given != null) {
                expected = given;
                from = "~expected_rates";
            } else if (span >= 2 * windowSeconds && t.windowCount >= 2) {
                expected = (t.windowCount - 1) / windowSeconds;
                from = String.format(Locale.ROOT, "its first %.0f s", windowSeconds);
            } else {
                expected = Double.NaN;
                from = null;
            }
            long dropped = t.dropped() - t.droppedAtStart;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s %8d msgs %9s", t.name, t.count,
                    Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%.1f Hz", rate)));
            if (from != null) line.append(String.format(Locale.ROOT, " (expected %.1f Hz from %s)", expected, from));
            if (dropped > 0) line.append(" ").append(dropped).append(" dropped by the recorder's queue");
            lines.add(line.toString());
            if (dropped > 0) {
                warnings.add(t.name + ": " + dropped + " messages dropped by the recorder's queue (it fell behind: raise ~queue_size, "
                        + "record fewer topics, or use a faster disk)");
            }
            if (from != null && t.count == 0) {
                warnings.add(t.name + ": nothing recorded, expected " + String.format(Locale.ROOT, "%.1f Hz", expected) + " (from " + from + ")");
            } else if (from != null && !Double.isNaN(rate) && Math.abs(rate - expected) > tolerance * expected) {
                warnings.add(String.format(Locale.ROOT, "%s: recorded at %.1f Hz, expected %.1f Hz (from %s): %s", t.name, rate, expected, from,
                        rate < expected ? "messages missing, or the publisher slowed down" : "the publisher sped up"));
            }
        }
        return new Result(lines, warnings);
    }
}
