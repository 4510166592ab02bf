package org.teachlearn.ros.record;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.teachlearn.msgs.teach_learn.DemoInfo;
import org.teachlearn.ros.bag.BagReader;
import org.teachlearn.ros.bag.BagReindexer;
import org.teachlearn.ros.bag.BagWriter;
import org.teachlearn.ros.message.MessageType;

/**
 * The demonstration bags of a directory: their names ({@code 2026-12-02-07-45-12_reach_drag_teach.bag},
 * {@code _2}, {@code _3} … when two takes start in the same second), the {@code NAME.bag.active} a
 * take is written as, and the repair of the {@code .active} files a killed recorder left behind.
 */
public final class DemoBags {

    static final String ACTIVE = ".active";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    private DemoBags() {
    }

    /** A bag name for a take starting at {@code time} that neither a bag nor a take being written uses yet. */
    public static Path newBag(Path dir, LocalDateTime time, String task, String source) {
        String base = STAMP.format(time) + "_" + task + "_" + source;
        Path bag = dir.resolve(base + ".bag");
        for (int n = 2; Files.exists(bag) || Files.exists(active(bag)); n++) bag = dir.resolve(base + "_" + n + ".bag");
        return bag;
    }

    /** Where a take is written until it is complete (as rosbag record does). */
    public static Path active(Path bag) {
        return bag.resolveSibling(bag.getFileName() + ACTIVE);
    }

    /** The task and source a bag's name says, for the DemoInfo of a repaired take; "unknown" where the name does not say. */
    static String[] taskAndSource(String bagName) {
        String name = bagName.replaceAll("(_\\d+)?\\.bag(\\.active)?$", "");
        for (String source : DemoRecorder.SOURCES) {
            if (name.endsWith("_" + source) && name.length() > 20 + source.length() + 1) {
                return new String[] {name.substring(20, name.length() - source.length() - 1), source};
            }
        }
        return new String[] {"unknown", "unknown"};
    }

    /** The takes a recorder killed mid-take left in {@code dir}. */
    public static List<Path> leftovers(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.bag" + ACTIVE)) {
            for (Path p : s) out.add(p);
        }
        out.sort(null);
        return out;
    }

    /**
     * Repairs every take a killed recorder left in {@code dir} into a complete bag beside it: the
     * intact chunks are reindexed ({@link BagReindexer}; the original is kept as
     * {@code NAME.bag.active.orig}), then copied into {@code NAME.bag} with a DemoInfo that says the
     * take was interrupted ({@code success} false, so training skips it unless asked). Says on
     * {@code log} what it kept and lost. Returns the repaired bags.
     */
    public static List<Path> repairLeftovers(Path dir, String infoTopic, RecorderLog log) {
        List<Path> repaired = new ArrayList<>();
        List<Path> found;
        try {
            found = leftovers(dir);
        } catch (IOException e) {
            log.error("recorder: cannot look for interrupted takes in " + dir + ": " + e.getMessage());
            return repaired;
        }
        for (Path active : found) {
            try {
                Path bag = repair(active, infoTopic, log);
                if (bag != null) repaired.add(bag);
            } catch (IOException | RuntimeException e) {
                log.error("recorder: cannot repair the interrupted take " + active + ": " + (e.getMessage() != null ? e.getMessage() : e.toString())
                        + "; it is left as it is (try ./teach_learn bag reindex " + active + ")");
            }
        }
        return repaired;
    }

    private static Path repair(Path active, String infoTopic, RecorderLog log) throws IOException {
        String name = active.getFileName().toString();
        Path bag = active.resolveSibling(name.substring(0, name.length() - ACTIVE.length()));
        Path orig = active.resolveSibling(name + ".orig");
        if (Files.exists(orig)) Files.move(orig, orig.resolveSibling(name + ".orig." + System.currentTimeMillis()));   // an earlier repair died
        BagReindexer.Result r = BagReindexer.reindex(active);
        if (r.yieldedNothing()) {
            Path damaged = active.resolveSibling(name + ".damaged");
            Files.move(active, damaged, StandardCopyOption.REPLACE_EXISTING);
            log.warn("recorder: the interrupted take " + active + " holds no intact message (" + r.bytesSkipped()
                    + " bytes, nothing readable); kept as " + damaged.getFileName());
            return null;
        }
        String[] taskSource = taskAndSource(name);
        Path tmp = active.resolveSibling(name + ".repairing");
        long kept = 0;
        try (BagReader in = new BagReader(active); BagWriter out = new BagWriter(tmp, BagWriter.Compression.NONE)) {
            boolean hasInfo = false;
            for (BagReader.Connection c : in.connections()) hasInfo |= c.topic().equals(infoTopic);
            long[] n = {0};
            IOException[] failed = {null};
            in.read(null, Long.MIN_VALUE, Long.MAX_VALUE, e -> {
                BagReader.Connection c = e.connection();
                byte[] data = new byte[e.data().remaining()];
                e.data().duplicate().get(data);
                try {
                    int conn = out.connection(c.topic(), MessageType.raw(c.type(), c.md5(), c.definition()), c.callerId(), c.latching());
                    out.write(conn, e.timeNanos(), data, 0, data.length);
                    n[0]++;
                } catch (IOException ex) {
                    failed[0] = ex;
                }
            });
            if (failed[0] != null) throw failed[0];
            kept = n[0];
            if (!hasInfo) {   // killed after the take's DemoInfo was written, it already has one
                DemoInfo info = new DemoInfo();
                info.header.stamp.setNanos(in.endNanos());
                info.task = taskSource[0];
                info.source = taskSource[1];
                info.success = false;
                info.teleop_latency_p50 = Float.NaN;   // not known: the latencies were in the killed recorder
                info.teleop_latency_p99 = Float.NaN;
                info.notes = "interrupted: the recorder stopped without demo/stop; repaired on its next start ("
                        + r.summary(name) + ")";
                out.write(out.connection(infoTopic, DemoInfo.TYPE, "", false), in.endNanos(), info);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, bag, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(active);
        log.info("recorder: repaired the interrupted take " + active.getFileName() + " into " + bag + ": " + r.summary(name)
                + "; " + kept + " messages copied");
        return bag;
    }
}
