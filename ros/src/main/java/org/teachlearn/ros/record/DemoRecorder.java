package org.teachlearn.ros.record;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.teachlearn.msgs.teach_learn.DemoInfo;
import org.teachlearn.ros.bag.BagWriter;
import org.teachlearn.ros.message.MessageType;

/**
 * The demonstration recorder: one bag per take (a demonstration, or a {@code task/state} episode),
 * written while recording as {@code NAME.bag.active} (chunks closed at least every second, so a
 * {@code kill -9} costs at most the last second) and, on {@link #stop}, given its one DemoInfo on
 * {@code demo/info}, indexed, and renamed to {@code NAME.bag}: complete when stop returns, with no
 * post-processing. A discarded take is deleted; what a take records is counted from its start only,
 * so nothing of one take leaks into the next. Messages arrive on any thread ({@link #record}:
 * allocates nothing per message); starts, stops and discards are serialised with them.
 */
public final class DemoRecorder {

    /**
     * Chunks are written out at 768 KB or half a second old, whichever comes first: a {@code kill -9}
     * loses the open chunk, so this bounds the loss well inside the one second promised.
     */
    static final int CHUNK_BYTES = 768 * 1024;
    static final long CHUNK_NANOS = 500_000_000L;

    public static final Set<String> SOURCES = Set.of("drag_teach", "vr_teleop", "expert", "policy");

    /**
     * How to record: into {@code dir}; DemoInfo's {@code task} and {@code source}; chunk compression;
     * refuse a take below {@code minFreeBytes} of free space (and warn below it during one); rates
     * expected per topic (Hz; others are measured over their first {@code rateWindowSeconds}) and the
     * relative difference that is a warning.
     */
    public record Settings(Path dir, String task, String source, BagWriter.Compression compression, long minFreeBytes,
            Map<String, Double> expectedRates, double rateWindowSeconds, double rateTolerance, String infoTopic) {

        public Settings {
            if (!SOURCES.contains(source)) {
                throw new IllegalArgumentException("~source '" + source + "' is not one of " + String.join(", ", SOURCES.stream().sorted().toList()));
            }
            if (task.isBlank() || task.contains("/") || task.contains(" ")) {
                throw new IllegalArgumentException("~task '" + task + "' must be a non-empty name without spaces or '/' (it is part of each bag's name)");
            }
            if (!(rateWindowSeconds > 0)) throw new IllegalArgumentException("the rate window must be > 0 s, not " + rateWindowSeconds);
        }
    }

    /** A service's answer: whether it did it, the bag concerned, and what happened (the reason when not). */
    public record Outcome(boolean ok, String path, String message) { }

    /** The take being recorded. */
    private static final class Take {
        final Path bag, active;
        final BagWriter writer;
        final int generation;
        final long startNanos;
        final boolean episodic;      // cut by task/state
        boolean awaitingEpisode;     // opened at an episode's end, for the next one: no step 0 seen yet
        long episode = -1;
        String failure;              // the first write that failed

        Take(Path bag, BagWriter writer, int generation, long startNanos, boolean episodic) {
            this.bag = bag;
            this.active = DemoBags.active(bag);
            this.writer = writer;
            this.generation = generation;
            this.startNanos = startNanos;
            this.episodic = episodic;
        }
    }

    private final Settings settings;
    private final RecorderLog log;
    private final LongSupplier clock;     // ROS time in nanoseconds (simulated time under /use_sim_time)
    private final long windowNanos;
    private final Object lock = new Object();
    private final List<RecordedTopic> topics = new CopyOnWriteArrayList<>();
    private final TeleopTally teleop = new TeleopTally();
    private Take take;                     // null while not recording
    private int generation;
    private long lastSpaceCheck;

    public DemoRecorder(Settings settings, LongSupplier clock, RecorderLog log) {
        this.settings = settings;
        this.clock = clock;
        this.log = log;
        this.windowNanos = (long) (settings.rateWindowSeconds() * 1e9);
    }

    public Settings settings() {
        return settings;
    }

    /** Registers a topic to record; {@code dropped} counts the messages its subscriber's queue dropped. */
    public RecordedTopic topic(String name, LongSupplier dropped) {
        RecordedTopic t = new RecordedTopic(name, dropped);
        topics.add(t);
        return t;
    }

    public boolean recording() {
        synchronized (lock) {
            return take != null;
        }
    }

    /** Records one message of {@code topic} (its serialized bytes, as sent as {@code type}) received at ROS time {@code timeNanos}. */
    public void record(RecordedTopic topic, MessageType<?> type, byte[] data, int length, long timeNanos) {
        synchronized (lock) {
            Take k = take;
            if (k == null || k.failure != null) return;
            try {
                if (topic.generation != k.generation || topic.type != type) {
                    topic.connection = k.writer.connection(topic.name, type, "", false);
                    topic.type = type;
                    topic.generation = k.generation;
                }
                k.writer.write(topic.connection, timeNanos, data, 0, length);
                topic.count(timeNanos, length, windowNanos);
            } catch (IOException | RuntimeException e) {
                k.failure = "writing " + k.active + " failed: " + reason(e);
                log.error("recorder: " + k.failure + "; nothing more is recorded in this take (what was written is kept; stop it with demo/stop)");
            }
        }
    }

    /** {@code teleop/active}: a rising edge during a take counts as one intervention (DemoInfo.interventions). */
    public void teleopActive(boolean active) {
        synchronized (lock) {
            teleop.active(active);
        }
    }

    /** {@code teleop/latency}: one command's controller stamp → command latency (s), for DemoInfo's p50 and p99. */
    public void teleopLatency(double seconds) {
        synchronized (lock) {
            if (take != null) teleop.latency(seconds);
        }
    }

    /** demo/start: opens a new take. */
    public Outcome start() {
        synchronized (lock) {
            return open(false);
        }
    }

    private Outcome open(boolean episodic) {
        if (take != null) {
            return new Outcome(false, take.active.toString(), "already recording " + take.active.getFileName()
                    + ": stop it (demo/stop) or discard it (demo/discard) first");
        }
        Path dir = settings.dir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return refuse("cannot create the recording directory " + dir + ": " + reason(e) + " (set ~dir to a writable directory)");
        }
        Path bag = DemoBags.newBag(dir, LocalDateTime.now(), settings.task(), settings.source());
        BagWriter writer;
        try {
            writer = new BagWriter(DemoBags.active(bag), settings.compression(), CHUNK_BYTES, CHUNK_NANOS);
        } catch (IOException e) {
            return refuse("cannot write in " + dir + ": " + reason(e) + " (set ~dir to a writable directory)");
        }
        long free = freeBytes(dir);
        if (free >= 0 && free < settings.minFreeBytes()) {
            try {
                writer.close();
                Files.deleteIfExists(DemoBags.active(bag));
            } catch (IOException e) {
                log.warn("recorder: cannot delete " + DemoBags.active(bag) + ": " + reason(e));
            }
            return refuse(String.format(Locale.ROOT, "only %s free in %s, below ~min_free_bytes (%s): free some space or set ~dir to another disk",
                    mb(free), dir, mb(settings.minFreeBytes())));
        }
        take = new Take(bag, writer, ++generation, clock.getAsLong(), episodic);
        for (RecordedTopic t : topics) t.reset();
        teleop.reset();
        log.info("recorder: recording " + take.active);
        return new Outcome(true, take.active.toString(), "recording into " + take.active);
    }

    private Outcome refuse(String why) {
        log.error("recorder: demo/start refused: " + why);
        return new Outcome(false, "", why);
    }

    /** demo/stop: writes the take's DemoInfo, indexes and closes its bag, and renames it; returns when the bag is complete. */
    public Outcome stop(boolean success, String notes) {
        synchronized (lock) {
            if (take == null) {
                log.warn("recorder: demo/stop while not recording: nothing to stop (call demo/start first)");
                return new Outcome(false, "", "not recording: nothing to stop (call demo/start first)");
            }
            return close(success, notes);
        }
    }

    private Outcome close(boolean success, String notes) {
        Take k = take;
        take = null;
        long now = clock.getAsLong();
        RateReport.Result rates = RateReport.of(topics, settings.rateWindowSeconds(), settings.expectedRates(), settings.rateTolerance());
        long messages = topics.stream().mapToLong(t -> t.count).sum();
        try {
            DemoInfo info = new DemoInfo();
            info.header.stamp.setNanos(now);
            info.task = settings.task();
            info.source = settings.source();
            info.success = success;
            info.notes = notes;
            info.interventions = teleop.interventions();
            info.teleop_latency_p50 = teleop.quantile(0.5);
            info.teleop_latency_p99 = teleop.quantile(0.99);
            k.writer.write(k.writer.connection(settings.infoTopic(), DemoInfo.TYPE, "", false), now, info);
            k.writer.close();
            Files.move(k.active, k.bag, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            closeQuietly(k);
            String why = "the bag could not be completed: " + reason(e) + "; what was recorded stays in " + k.active
                    + " and is repaired at the recorder's next start (or: ./teach_learn bag reindex " + k.active + ")";
            log.error("recorder: " + why);
            return new Outcome(false, k.active.toString(), why);
        }
        double seconds = (now - k.startNanos) / 1e9;
        String summary = String.format(Locale.ROOT, "%s: %d messages on %d topics in %.1f s, success %s", k.bag, messages,
                topics.stream().filter(t -> t.count > 0).count(), seconds, success);
        log.info("recorder: " + summary + "\n" + rates.text());
        for (String w : rates.warnings()) log.warn("recorder: " + k.bag.getFileName() + ": " + w);
        if (k.failure != null) {
            return new Outcome(false, k.bag.toString(), "the bag is complete, but messages after a failed write are missing: " + k.failure);
        }
        String message = summary + (rates.warnings().isEmpty() ? "" : "; warnings: " + String.join("; ", rates.warnings()));
        return new Outcome(true, k.bag.toString(), message);
    }

    /** demo/discard: drops the take being recorded; nothing of it stays on disk. */
    public Outcome discard() {
        synchronized (lock) {
            if (take == null) {
                log.warn("recorder: demo/discard while not recording: nothing to discard");
                return new Outcome(false, "", "not recording: nothing to discard");
            }
            Take k = take;
            take = null;
            closeQuietly(k);
            try {
                Files.deleteIfExists(k.active);
            } catch (IOException e) {
                log.error("recorder: cannot delete the discarded take " + k.active + ": " + reason(e) + "; delete it by hand");
                return new Outcome(false, k.active.toString(), "discarded, but " + k.active + " could not be deleted: " + reason(e));
            }
            log.info("recorder: discarded " + k.active.getFileName());
            return new Outcome(true, "", "discarded " + k.active.getFileName());
        }
    }

    /**
     * One {@code task/state} for {@code ~split_on_episode}: step 0 opens a take, {@code done} closes
     * it (success from the state) and at once opens the next, so the first messages of the next
     * episode — which may arrive just before its step-0 state — are not lost; a take that sees no
     * step 0 before the recorder stops is discarded ({@link #shutdown}).
     */
    public void onTaskState(long episode, long step, boolean done, boolean success, boolean truncated) {
        synchronized (lock) {
            if (done) {
                if (take == null || !take.episodic || take.awaitingEpisode) return;
                Outcome o = close(success, "episode " + episode + (truncated ? " (truncated by the time limit)" : ""));
                if (!o.ok()) return;
                Outcome next = open(true);
                if (next.ok()) take.awaitingEpisode = true;
            } else if (step == 0) {
                if (take != null && take.episodic && !take.awaitingEpisode && take.episode != episode) {
                    close(false, "episode " + take.episode + " (cut short: episode " + episode + " began without a done state)");
                }
                if (take == null) {
                    if (!open(true).ok()) return;
                }
                if (take.episodic) {
                    take.awaitingEpisode = false;
                    take.episode = episode;
                }
            }
        }
    }

    /** Called about once a second: warns when the disk runs low during a take. */
    public void watch() {
        synchronized (lock) {
            if (take == null || take.failure != null) return;
            long now = System.nanoTime();
            if (now - lastSpaceCheck < 900_000_000L) return;
            lastSpaceCheck = now;
            long free = freeBytes(settings.dir());
            if (free >= 0 && free < settings.minFreeBytes()) {
                log.warn("recorder: only " + mb(free) + " left in " + settings.dir() + " (below ~min_free_bytes, " + mb(settings.minFreeBytes())
                        + ") while recording " + take.active.getFileName() + ": stop soon; when the disk is full the take stops being written");
            }
        }
    }

    /** The recorder is going away: a take that began an episode but saw none is dropped, anything else is completed. */
    public void shutdown() {
        synchronized (lock) {
            if (take == null) return;
            if (take.episodic && take.awaitingEpisode) {
                discard();
            } else {
                close(false, "the recorder was shut down during the take");
            }
        }
    }

    private void closeQuietly(Take k) {
        try {
            k.writer.close();
        } catch (IOException | RuntimeException e) {
            // the take is being dropped or is already failing; its reason is reported by the caller
        }
    }

    private static long freeBytes(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** An exception as a reason a person can act on. */
    static String reason(Exception e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        if (e.getMessage() != null && e.getMessage().contains("No space left")) return "no space left on the device";
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
