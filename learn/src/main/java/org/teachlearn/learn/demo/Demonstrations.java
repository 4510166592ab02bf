package org.teachlearn.learn.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.teachlearn.learn.data.Dataset;

/**
 * A folder of recorded demonstrations → one dataset: each recording is used or skipped with a
 * reason (unreadable, failed, another task, nothing to sample), sampled by {@link DemoSampler},
 * and listed in a per-recording summary. Recordings without a {@code demo/info} (from {@code
 * rosbag record}) count as successful, with a warning. Fails when nothing is usable.
 */
public final class Demonstrations {

    /** The finest control period the rate warning advises, ns (bc's default; what drag-taught pick and place was measured at). */
    static final long FINEST_ADVISED = 10_000_000L;

    /**
     * How to read and label: the training task, control period, labels, whether failed
     * demonstrations are used, and the motion labels' lookahead: {@code pathLookahead} rad along the
     * path when > 0 ({@link DemoSampler#pathLookahead}), else {@code motionLookahead} s; the
     * gripper's next command within {@code gripperLookahead} rad of its change ({@link
     * DemoSampler#gripperLookahead}).
     */
    public record Request(Path where, DemoSpec spec, String task, double controlPeriod, double motionLookahead, DemoSampler.Labels labels,
            boolean includeFailed, DemoSampler.Perturbation perturbation, DemoSampler.Hindsight hindsight, double trimPauses,
            double pathLookahead, double gripperLookahead) {

        /** As above, keeping the pauses ({@link DemoSampler#trimPauses}), motion labels {@code motionLookahead} s ahead. */
        public Request(Path where, DemoSpec spec, String task, double controlPeriod, double motionLookahead, DemoSampler.Labels labels,
                boolean includeFailed, DemoSampler.Perturbation perturbation, DemoSampler.Hindsight hindsight) {
            this(where, spec, task, controlPeriod, motionLookahead, labels, includeFailed, perturbation, hindsight, 0, 0, 0);
        }

        /** Motion labels one control period after each reading, no perturbed copies or hindsight goals. */
        public Request(Path where, DemoSpec spec, String task, double controlPeriod, DemoSampler.Labels labels, boolean includeFailed) {
            this(where, spec, task, controlPeriod, controlPeriod, labels, includeFailed, DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE);
        }
    }

    /** One line of the summary. */
    public record Row(String file, String source, String task, double duration, int samples, boolean used, String why) {

        /** Whether it was used with labels from its motion (drag teaching, or asked for). */
        public boolean usedFromMotion() {
            return used && why.startsWith("labels from motion");
        }
    }

    private Demonstrations() {
    }

    /** Adds every usable demonstration's samples to {@code data}, prints the summary on {@code log}; returns the rows. */
    public static List<Row> addTo(Dataset data, DemoSource source, Request r, PrintStream log) throws IOException {
        return addTo(data, source, r, null, false, log);
    }

    /**
     * As above, telling {@code trace} (when not null) of every sample and episode end ({@link
     * DemoTransitions}, {@link DemoHistory}); with {@code executed} labelled by the commands the arm
     * executed before expert/action ({@link DemoSampler#executedCommands}).
     */
    public static List<Row> addTo(Dataset data, DemoSource source, Request r, DemoSampler.Trace trace, boolean executed, PrintStream log)
            throws IOException {
        DemoSampler sampler = new DemoSampler(r.spec().layout(), r.controlPeriod(), r.motionLookahead(), r.perturbation(), r.hindsight())
                .trimPauses(r.trimPauses()).pathLookahead(r.pathLookahead())
                .gripperLookahead(r.gripperLookahead()).tracing(trace);
        if (executed) sampler.executedCommands();
        List<Row> rows = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        long[] fastest = {Long.MAX_VALUE};   // the shortest median interval between joint readings of a demonstration labelled from its motion
        source.read(r.where(), r.spec(), d -> {
            Row row = judge(d, sampler, r, data, warnings);
            rows.add(row);
            if (row.usedFromMotion() && d.joints().size() > 1) {
                fastest[0] = Math.min(fastest[0], d.joints().medianInterval());
            }
        });
        print(rows, r, log);
        long period = Math.round(r.controlPeriod() * 1e9);
        if (fastest[0] > 0 && fastest[0] * 2 <= period && period > FINEST_ADVISED) {
            // what a person showed is in every reading: sampled far apart, most are left out and the
            // policy decides as seldom (drag-taught pick and place: 10 % at 0.05 s, 48 % at the bags' 0.01 s);
            // the advice goes no finer than 0.01 s, the finest measured (a 1 kHz recording needs no 1 kHz policy)
            long advised = Math.max(FINEST_ADVISED, Math.round(fastest[0] / 1e6) * 1_000_000L);   // to the ms: a real-time median jitters
            warnings.add(String.format(Locale.ROOT, "joint readings labelled from their motion came every %.1f ms and are sampled every %.1f ms: "
                    + "most are left out, and the policy acts that seldom; a policy trained at the recording's rate (--control-period %s) "
                    + "followed drag-taught pick and place far better (docs/nodes.md §14)", fastest[0] / 1e6, r.controlPeriod() * 1e3, advised / 1e9));
        }
        if (r.pathLookahead() == 0 && r.motionLookahead() < 3 * r.controlPeriod() && rows.stream().anyMatch(Row::usedFromMotion)) {
            warnings.add(String.format(Locale.ROOT, "labels from the motion %.3f s ahead: a damped position controller follows such near targets "
                    + "several times slower than the demonstration (sim_arm: 0-4 %% success; the default 0.3 s, docs/nodes.md §13)", r.motionLookahead()));
        }
        for (String w : warnings) log.println("warning: " + w);
        long used = rows.stream().filter(Row::used).count();
        if (used == 0) {
            throw new IllegalArgumentException("no usable demonstration in " + r.where() + " (" + rows.size() + " recording"
                    + (rows.size() == 1 ? "" : "s") + " read; the summary above says why each was skipped)");
        }
        return rows;
    }

    private static Row judge(Demonstration d, DemoSampler sampler, Request r, Dataset data, List<String> warnings) {
        String file = d.name();
        if (d.problem() != null) return new Row(file, "?", "?", 0, 0, false, d.problem());
        Demonstration.Info info = d.info();
        String src = info == null ? "(no info)" : info.source().isEmpty() ? "(none)" : info.source();
        String task = info == null || info.task().isEmpty() ? "?" : info.task();
        for (String n : d.notes()) warnings.add(file + ": " + n);
        if (info == null) {
            warnings.add(file + ": no demo/info (recorded by rosbag record?): counted as successful, labelled from "
                    + (DemoSampler.fromMotion(d, r.labels()) ? "the motion" : "what was commanded"));
        } else {
            if (!info.source().isEmpty() && !Demonstration.SOURCES.contains(info.source())) {
                warnings.add(file + ": demo/info source '" + info.source() + "' is none of " + Demonstration.SOURCES + ": labelled as recorded commands");
            }
            if (!info.task().isEmpty() && !info.task().equals(r.task())) {
                return new Row(file, src, task, d.duration(), 0, false, "a " + info.task() + " demonstration; training " + r.task());
            }
            if (!info.success() && !r.includeFailed()) {
                return new Row(file, src, task, d.duration(), 0, false, "demo/info says it failed (--include-failed uses it)");
            }
        }
        String rate = sampler.rateNote(d);
        if (rate != null) warnings.add(file + ": " + rate);
        DemoSampler.Result result = sampler.sample(d, r.labels(), r.includeFailed(), data);
        String episodes = episodes(result);
        if (result.samples() == 0) return new Row(file, src, task, d.duration(), 0, false, "nothing to sample: " + result.whyNone() + episodes);
        return new Row(file, src, task, d.duration(), result.samples(), true, "labels from " + result.labelledBy()
                + (info == null ? "; no demo/info" : !info.success() ? "; failed, included" : "") + episodes);
    }

    /** "; 30 episodes, 3 failed skipped, 1 incomplete skipped" when there is more than one or any was left out. */
    private static String episodes(DemoSampler.Result r) {
        if (r.episodes() <= 1 && r.failed() + r.incomplete() == 0) return "";
        return "; " + r.episodes() + " episodes" + (r.failed() > 0 ? ", " + r.failed() + " failed skipped (--include-failed uses them)" : "")
                + (r.incomplete() > 0 ? ", " + r.incomplete() + " incomplete skipped" : "");
    }

    private static void print(List<Row> rows, Request r, PrintStream log) {
        int width = Math.max(4, rows.stream().mapToInt(x -> x.file().length()).max().orElse(4));
        String format = "  %-" + width + "s  %-10s  %-10s  %8s  %7s  %s%n";
        log.printf(Locale.ROOT, "demonstrations from %s (sampled every %.3f s):%n", r.where(), r.controlPeriod());
        log.printf(Locale.ROOT, format, "file", "source", "task", "duration", "samples", "");
        for (Row x : rows) {
            log.printf(Locale.ROOT, format, x.file(), x.source(), x.task(), x.duration() > 0 ? String.format(Locale.ROOT, "%.1f s", x.duration()) : "-",
                    x.used() ? Integer.toString(x.samples()) : "-", (x.used() ? "used: " : "skipped: ") + x.why());
        }
        long used = rows.stream().filter(Row::used).count();
        log.printf(Locale.ROOT, "used %d of %d recordings, %d samples%s%n", used, rows.size(), rows.stream().mapToInt(Row::samples).sum(),
                r.perturbation().copies() > 0 && rows.stream().anyMatch(Row::usedFromMotion)
                        ? String.format(Locale.ROOT, ", each motion-labelled one %d more times with its joints moved by %.3f rad (--state-copies, --state-noise)",
                                r.perturbation().copies(), r.perturbation().sigma())
                        : "");
        if (rows.stream().anyMatch(Row::usedFromMotion)) {
            log.println(r.pathLookahead() > 0
                    ? String.format(Locale.ROOT, "motion labels: the pose %.3g rad further along the demonstrated path, or where its episode ends (--path-lookahead)",
                            r.pathLookahead())
                    : String.format(Locale.ROOT, "motion labels: the pose %.3g s after the reading (--motion-lookahead; --path-lookahead 0)", r.motionLookahead()));
            if (r.gripperLookahead() > 0 && r.spec().layout().gripperJoint() != null) {
                log.printf(Locale.ROOT, "gripper labels: the next command within %.3g rad of the pose it is given at (--gripper-lookahead)%n", r.gripperLookahead());
            }
        }
        if (r.hindsight().goals() > 0) {
            log.printf(Locale.ROOT, "and %d hindsight goals per motion-labelled sample: where the hand was later in its episode (--hindsight-goals)%n",
                    r.hindsight().goals());
        }
    }
}
