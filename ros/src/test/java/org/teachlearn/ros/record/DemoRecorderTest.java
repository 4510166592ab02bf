package org.teachlearn.ros.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.msgs.std_msgs.Float64;
import org.teachlearn.msgs.teach_learn.DemoInfo;
import org.teachlearn.ros.bag.BagReader;
import org.teachlearn.ros.bag.BagWriter;

/** The recorder's logic without a master: takes, refusals, episodes, the rate report, names and repair. */
class DemoRecorderTest {

    @TempDir
    Path dir;

    final List<String> said = new ArrayList<>();
    final RecorderLog log = new RecorderLog() {
        @Override
        public void info(String m) {
            said.add("INFO " + m);
        }

        @Override
        public void warn(String m) {
            said.add("WARN " + m);
        }

        @Override
        public void error(String m) {
            said.add("ERROR " + m);
        }
    };
    final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    final byte[] value = new byte[8];

    DemoRecorder recorder(String source, Map<String, Double> rates) {
        return new DemoRecorder(new DemoRecorder.Settings(dir, "reach", source, BagWriter.Compression.NONE, 0, rates, 1.0, 0.1, "/demo/info"),
                clock::get, log);
    }

    /** n messages at {@code hz} (ROS time), numbered from first. */
    void feed(DemoRecorder r, RecordedTopic t, int first, int n, double hz) {
        for (int i = first; i < first + n; i++) {
            java.nio.ByteBuffer.wrap(value).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(i);
            r.record(t, Float64.TYPE, value, 8, clock.addAndGet((long) (1e9 / hz)));
        }
    }

    static List<Double> values(Path bag, String topic) throws Exception {
        List<Double> out = new ArrayList<>();
        try (BagReader r = new BagReader(bag)) {
            r.read(java.util.Set.of(topic), Long.MIN_VALUE, Long.MAX_VALUE, e -> out.add(e.data().order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble()));
        }
        return out;
    }

    static List<DemoInfo> infos(Path bag) throws Exception {
        List<DemoInfo> out = new ArrayList<>();
        try (BagReader r = new BagReader(bag)) {
            r.read(java.util.Set.of("/demo/info"), Long.MIN_VALUE, Long.MAX_VALUE, e -> {
                DemoInfo d = new DemoInfo();
                d.deserialize(e.data().order(java.nio.ByteOrder.LITTLE_ENDIAN));
                out.add(d);
            });
        }
        return out;
    }

    @Test
    void aTakeIsOneCompleteBagWithOneDemoInfo() throws Exception {
        DemoRecorder r = recorder("drag_teach", Map.of());
        RecordedTopic t = r.topic("/x", () -> 0);
        feed(r, t, 0, 10, 100);   // not recording: nothing kept
        DemoRecorder.Outcome started = r.start();
        assertTrue(started.ok(), started.message());
        assertTrue(started.path().endsWith("_reach_drag_teach.bag.active"), started.path());
        feed(r, t, 100, 50, 100);
        DemoRecorder.Outcome stopped = r.stop(true, "good");
        assertTrue(stopped.ok(), stopped.message());
        Path bag = Path.of(stopped.path());
        assertTrue(Files.exists(bag) && !Files.exists(DemoBags.active(bag)));
        List<Double> v = values(bag, "/x");
        assertEquals(50, v.size());
        assertEquals(100.0, v.get(0));
        List<DemoInfo> info = infos(bag);
        assertEquals(1, info.size());
        assertEquals("reach", info.get(0).task);
        assertEquals("drag_teach", info.get(0).source);
        assertTrue(info.get(0).success);
        assertEquals("good", info.get(0).notes);
    }

    @Test
    void demoInfoCountsTheTakesInterventionsAndTeleopLatency() throws Exception {
        DemoRecorder r = recorder("vr_teleop", Map.of());
        r.teleopActive(true);   // engaged before the take: counts once in it
        r.teleopLatency(0.5);   // not recording: not counted
        assertTrue(r.start().ok());
        for (int i = 1; i <= 100; i++) r.teleopLatency(i * 0.001);   // 1 … 100 ms
        r.teleopLatency(Double.NaN);   // an unstamped pose: not a latency
        r.teleopActive(false);
        r.teleopActive(true);
        r.teleopActive(true);   // repeated: not an edge
        r.teleopActive(false);
        r.teleopActive(true);
        DemoInfo info = infos(Path.of(r.stop(true, "").path())).get(0);
        assertEquals(3, info.interventions);
        assertEquals(0.051, info.teleop_latency_p50, 1e-6);
        assertEquals(0.100, info.teleop_latency_p99, 1e-6);
        // a take with no teleoperation: NaN, and an engagement already on counts once
        r.teleopActive(false);
        assertTrue(r.start().ok());
        DemoInfo none = infos(Path.of(r.stop(true, "").path())).get(0);
        assertEquals(0, none.interventions);
        assertTrue(Float.isNaN(none.teleop_latency_p50) && Float.isNaN(none.teleop_latency_p99));
    }

    @Test
    void refusalsSayWhyAndCostTheTakeNothing() throws Exception {
        DemoRecorder r = recorder("expert", Map.of());
        RecordedTopic t = r.topic("/x", () -> 0);
        DemoRecorder.Outcome o = r.stop(true, "");
        assertFalse(o.ok());
        assertTrue(o.message().contains("not recording"), o.message());
        assertFalse(r.discard().ok());
        assertTrue(r.start().ok());
        feed(r, t, 0, 5, 100);
        o = r.start();
        assertFalse(o.ok());
        assertTrue(o.message().contains("already recording"), o.message());
        feed(r, t, 5, 5, 100);
        assertEquals(10, values(Path.of(r.stop(true, "").path()), "/x").size());
    }

    @Test
    void aDiscardedTakeLeavesNoFileAndNothingOfItInTheNext() throws Exception {
        DemoRecorder r = recorder("expert", Map.of());
        RecordedTopic t = r.topic("/x", () -> 0);
        assertTrue(r.start().ok());
        feed(r, t, 0, 20, 100);
        assertTrue(r.discard().ok());
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
        assertTrue(r.start().ok());
        feed(r, t, 1000, 3, 100);
        DemoRecorder.Outcome o = r.stop(false, "");
        assertEquals(List.of(1000.0, 1001.0, 1002.0), values(Path.of(o.path()), "/x"));
        assertTrue(o.message().contains("3 messages on 1 topics"), o.message());
    }

    @Test
    void episodesCutOneBagEachFromStepZeroToDone() throws Exception {
        DemoRecorder r = recorder("policy", Map.of());
        RecordedTopic t = r.topic("/x", () -> 0);
        r.onTaskState(3, 7, false, false, false);   // joined mid-episode: wait for the next
        assertFalse(r.recording());
        r.onTaskState(3, 8, true, false, false);
        assertFalse(r.recording());
        for (int ep = 4; ep < 7; ep++) {
            feed(r, t, ep * 100, 1, 100);   // the next episode's first message, before its step-0 state
            r.onTaskState(ep, 0, false, false, false);
            feed(r, t, ep * 100 + 1, 9, 100);
            r.onTaskState(ep, 10, true, ep != 5, ep == 6);
        }
        r.shutdown();   // the take opened after the last episode saw none: dropped
        List<Path> bags;
        try (var s = Files.list(dir)) {
            bags = s.sorted().toList();
        }
        assertEquals(3, bags.size(), bags.toString());
        for (int i = 0; i < 3; i++) {
            int ep = 4 + i;
            List<Double> v = values(bags.get(i), "/x");
            assertEquals(ep == 4 ? 9 : 10, v.size(), "episode " + ep + ": " + v);   // the first episode's take opened at its step 0
            DemoInfo info = infos(bags.get(i)).get(0);
            assertEquals(ep != 5, info.success);
            assertEquals("episode " + ep + (ep == 6 ? " (truncated by the time limit)" : ""), info.notes);
            assertEquals("policy", info.source);
        }
        assertTrue(bags.get(1).getFileName().toString().matches(".*_reach_policy(_\\d+)?\\.bag"), bags.toString());
    }

    @Test
    void ratesOffTheExpectedOrDroppedMessagesAreWarnings() throws Exception {
        AtomicLong dropped = new AtomicLong();
        DemoRecorder r = recorder("expert", Map.of("/given", 100.0, "/silent", 30.0));
        RecordedTopic given = r.topic("/given", () -> 0), slowing = r.topic("/slowing", dropped::get), silent = r.topic("/silent", () -> 0);
        dropped.set(5);   // before the take: not this take's
        assertTrue(r.start().ok());
        for (int i = 0; i < 300; i++) {
            long now = clock.addAndGet(10_000_000L);   // 100 Hz of ROS time
            r.record(given, Float64.TYPE, value, 8, now);
            if (i < 200 || i % 2 == 0) r.record(slowing, Float64.TYPE, value, 8, now);   // 100 Hz, then 50 Hz
        }
        dropped.set(12);
        DemoRecorder.Outcome o = r.stop(true, "");
        assertTrue(o.ok(), o.message());
        assertFalse(o.message().contains("/given:"), o.message());
        assertTrue(o.message().contains("/slowing: 7 messages dropped"), o.message());
        assertTrue(o.message().matches("(?s).*/slowing: recorded at \\d+\\.\\d Hz, expected 100\\.\\d Hz \\(from its first 1 s\\).*"), o.message());
        assertTrue(o.message().contains("/silent: nothing recorded, expected 30.0 Hz"), o.message());
        assertTrue(said.stream().anyMatch(l -> l.startsWith("WARN") && l.contains("/slowing")), said.toString());
    }

    @Test
    void anUnwritableDirectoryIsRefusedWithTheReason() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        DemoRecorder r = new DemoRecorder(new DemoRecorder.Settings(file.resolve("demos"), "reach", "expert", BagWriter.Compression.NONE, 0,
                Map.of(), 1.0, 0.1, "/demo/info"), clock::get, log);
        DemoRecorder.Outcome o = r.start();
        assertFalse(o.ok());
        assertTrue(o.message().startsWith("cannot create the recording directory"), o.message());
        assertTrue(said.stream().anyMatch(l -> l.startsWith("ERROR") && l.contains("demo/start refused")), said.toString());
    }

    @Test
    void namesSayTimeTaskAndSourceAndNeverCollide() throws Exception {
        LocalDateTime t = LocalDateTime.of(2026, 12, 2, 7, 45, 12);
        Path a = DemoBags.newBag(dir, t, "reach", "drag_teach");
        assertEquals("2026-12-02-07-45-12_reach_drag_teach.bag", a.getFileName().toString());
        Files.writeString(DemoBags.active(a), "");
        Path b = DemoBags.newBag(dir, t, "reach", "drag_teach");
        assertEquals("2026-12-02-07-45-12_reach_drag_teach_2.bag", b.getFileName().toString());
        assertEquals(List.of("pick_place", "vr_teleop"), List.of(DemoBags.taskAndSource("2026-12-02-07-45-12_pick_place_vr_teleop_3.bag.active")));
        assertEquals(List.of("unknown", "unknown"), List.of(DemoBags.taskAndSource("theirs.bag.active")));
    }

    @Test
    void aKilledTakeIsRepairedWithADemoInfoThatSaysSo() throws Exception {
        Path active = dir.resolve("2026-12-02-07-45-12_reach_vr_teleop.bag.active");
        BagWriter w = new BagWriter(active, BagWriter.Compression.NONE, 1 << 20, 3_600_000_000_000L);
        int c = w.connection("/x", Float64.TYPE, "", false);
        for (int i = 0; i < 100; i++) w.write(c, 1_000_000_000L + i, value, 0, 8);
        w.flush();
        w.write(c, 2_000_000_000L, value, 0, 8);   // the open chunk a kill loses
        // no close: as after kill -9
        List<Path> repaired = DemoBags.repairLeftovers(dir, "/demo/info", log);
        Path bag = dir.resolve("2026-12-02-07-45-12_reach_vr_teleop.bag");
        assertEquals(List.of(bag), repaired);
        assertFalse(Files.exists(active));
        assertEquals(100, values(bag, "/x").size());
        DemoInfo info = infos(bag).get(0);
        assertEquals("vr_teleop", info.source);
        assertFalse(info.success);
        assertTrue(info.notes.startsWith("interrupted"), info.notes);
        assertTrue(said.stream().anyMatch(l -> l.startsWith("INFO recorder: repaired the interrupted take")), said.toString());
        assertEquals(List.of(), DemoBags.repairLeftovers(dir, "/demo/info", log), "nothing left to repair");
    }

    @Test
    void aButtonActsOnItsPressNotWhileHeld() {
        ButtonEdges e = new ButtonEdges();
        int[][] frames = {{0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 1}, {1, 1}};
        List<String> presses = new ArrayList<>();
        for (int[] f : frames) {
            if (e.pressed(f, 0)) presses.add("0");
            if (e.pressed(f, 1)) presses.add("1");
            if (e.pressed(f, 5)) presses.add("5");
            e.remember(f);
        }
        assertEquals(List.of("0", "1", "0"), presses);
    }

    @Test
    void unknownSourcesAreAConfigurationError() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> recorder("teleop", Map.of()));
        assertTrue(e.getMessage().contains("drag_teach"), e.getMessage());
    }
}
