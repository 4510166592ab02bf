package org.teachlearn.nodes.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.teachlearn.msgs.sensor_msgs.Joy;
import org.teachlearn.msgs.std_msgs.Bool;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.std_srvs.Trigger;
import org.teachlearn.msgs.teach_learn.StopDemo;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.nodes.arm.ArmDescription;
import org.teachlearn.ros.bag.BagWriter;
import org.teachlearn.ros.message.MessageType;
import org.teachlearn.ros.message.RawMessage;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Parameters;
import org.teachlearn.ros.node.Subscriber;
import org.teachlearn.ros.record.ButtonEdges;
import org.teachlearn.ros.record.DemoBags;
import org.teachlearn.ros.record.DemoRecorder;
import org.teachlearn.ros.record.RecordedTopic;
import org.teachlearn.ros.record.RecorderLog;

/**
 * recorder: one ROS bag per demonstration under {@code ~dir}, with one {@code demo/info}
 * (teach_learn/DemoInfo); the logic is {@link DemoRecorder}.
 *
 * <pre>
 * params  ~dir (demos), ~topics (joint_states, task/state, ARM/command, GRIPPER/command, ft_sensor/wrench,
 *         expert/action, teleop/active, teleop/latency, vr/controller_pose, vr/joy, teach/joy), ~task (reach),
 *         ~source (drag_teach|vr_teleop|expert|policy), ~split_on_episode (false), ~compression (none|lz4|bz2),
 *         ~min_free_bytes (100 MB), ~expected_rates ({topic: Hz}), ~rate_window (2 s), ~rate_tolerance (0.1),
 *         ~queue_size (10000), ~start_button, ~stop_button, ~discard_button (-1: none), ~button_success (true)
 * sub     each of ~topics as any type; teach/joy and vr/joy (buttons); task/state (episodes); teleop/active and
 *         teleop/latency (DemoInfo's interventions and teleop latency)
 * srv     demo/start (std_srvs/Trigger), demo/stop (teach_learn/StopDemo), demo/discard (std_srvs/Trigger)
 * pub     bags NAME.bag under ~dir, written as NAME.bag.active until complete
 * </pre>
 */
public final class Recorder {

    private Recorder() {
    }

    public static void run(Node node) throws Exception {
        Parameters p = node.params();
        RecorderLog log = RecorderLog.of(node.log());
        List<String> defaults = List.of("joint_states", "task/state", ArmDescription.armController(p) + "/command",
                ArmDescription.gripperController(p) + "/command", "ft_sensor/wrench", "expert/action", "teleop/active",
                "teleop/latency", "vr/controller_pose", "vr/joy", "teach/joy");
        Map<String, Double> expected = new LinkedHashMap<>();
        p.get("~expected_rates").ifPresent(v -> rates(node, "", v, expected));
        DemoRecorder.Settings settings = new DemoRecorder.Settings(Path.of(p.getString("~dir", "demos")), p.getString("~task", "reach"),
                p.getString("~source", "drag_teach"), compression(p.getString("~compression", "none")),
                (long) p.getDouble("~min_free_bytes", 100e6), expected, p.getDouble("~rate_window", 2.0),
                p.getDouble("~rate_tolerance", 0.1), node.resolve("demo/info"));
        DemoRecorder recorder = new DemoRecorder(settings, node::nowNanos, log);
        boolean split = p.getBool("~split_on_episode", false);
        int queue = p.getInt("~queue_size", 10_000);

        // a killed recorder's takes first, so that what it recorded is a bag before anything new is
        DemoBags.repairLeftovers(settings.dir(), settings.infoTopic(), log);

        // what some topics do besides being recorded: buttons, episodes
        Map<String, Consumer<RawMessage>> extra = new LinkedHashMap<>();
        Buttons buttons = new Buttons(recorder, p.getInt("~start_button", -1), p.getInt("~stop_button", -1),
                p.getInt("~discard_button", -1), p.getBool("~button_success", true), log);
        if (buttons.any()) {
            extra.put(node.resolve("teach/joy"), buttons.on(node.resolve("teach/joy")));
            extra.put(node.resolve("vr/joy"), buttons.on(node.resolve("vr/joy")));
        }
        if (split) extra.put(node.resolve("task/state"), episodes(recorder));
        extra.put(node.resolve("teleop/active"), teleopActive(recorder));
        extra.put(node.resolve("teleop/latency"), teleopLatency(recorder));

        List<String> topics = p.getStringList("~topics", defaults).stream().map(node::resolve).distinct().toList();
        for (String topic : topics) {
            Consumer<RawMessage> also = extra.remove(topic);
            // the state that begins an episode opens its take before it is written, so that it is the take's first state
            Consumer<RawMessage> before = split && topic.equals(node.resolve("task/state")) ? episodeStarts(recorder) : null;
            Subscriber<?>[] sub = new Subscriber<?>[1];
            RecordedTopic recorded = recorder.topic(topic, () -> sub[0] != null ? sub[0].dropped() : 0);
            org.teachlearn.ros.message.Time now = new org.teachlearn.ros.message.Time();
            sub[0] = node.subscribe(topic, MessageType.any(), queue, m -> {
                if (before != null) before.accept(m);
                recorder.record(recorded, m.type(), m.data(), m.length(), node.now(now).toNanos());
                if (also != null) also.accept(m);
            });
        }
        for (Map.Entry<String, Consumer<RawMessage>> e : extra.entrySet()) node.subscribe(e.getKey(), MessageType.any(), 100, e.getValue());

        node.advertiseService("demo/start", Trigger.TYPE, (req, res) -> {
            DemoRecorder.Outcome o = split ? new DemoRecorder.Outcome(false, "", "~split_on_episode is true: takes start at each "
                    + "task/state episode, not on demo/start") : recorder.start();
            res.success = o.ok();
            res.message = o.message();
        });
        node.advertiseService("demo/stop", StopDemo.TYPE, (req, res) -> {
            DemoRecorder.Outcome o = recorder.stop(req.success, req.notes);
            res.ok = o.ok();
            res.path = o.path();
            res.message = o.message();
        });
        node.advertiseService("demo/discard", Trigger.TYPE, (req, res) -> {
            DemoRecorder.Outcome o = recorder.discard();
            res.success = o.ok();
            res.message = o.message();
        });
        node.onShutdown(recorder::shutdown);
        node.log().info(String.format(Locale.ROOT, "recorder: %s into %s (task %s, source %s, %s compression): %s", split
                ? "one bag per task/state episode" : "one bag per demo/start … demo/stop", settings.dir().toAbsolutePath(), settings.task(),
                settings.source(), settings.compression().name().toLowerCase(Locale.ROOT), String.join(", ", topics)));
        while (!node.isShutdown()) {
            recorder.watch();
            Thread.sleep(1000);
        }
    }

    /** {@code ~split_on_episode}: task/state's episode, step and done decide the takes (after the state is written). */
    private static Consumer<RawMessage> episodes(DemoRecorder recorder) {
        return states(recorder, false);
    }

    /** {@code ~split_on_episode}: a state at step 0 (before it is written). */
    private static Consumer<RawMessage> episodeStarts(DemoRecorder recorder) {
        return states(recorder, true);
    }

    private static Consumer<RawMessage> states(DemoRecorder recorder, boolean starts) {
        TaskState state = new TaskState();
        ByteBuffer[] view = {ByteBuffer.allocate(0)};
        return m -> {
            if (!m.type().name().equals(TaskState.TYPE.name())) return;   // another type on the topic is recorded, not read
            if (view[0].array() != m.data()) view[0] = ByteBuffer.wrap(m.data()).order(ByteOrder.LITTLE_ENDIAN);
            state.deserialize(view[0].limit(m.length()).position(0));
            boolean start = !state.done && state.step == 0;
            if (start == starts) recorder.onTaskState(state.episode, state.step, state.done, state.success, state.truncated);
        };
    }

    /** {@code teleop/active} (std_msgs/Bool): its rising edges are DemoInfo's interventions. */
    private static Consumer<RawMessage> teleopActive(DemoRecorder recorder) {
        Bool active = new Bool();
        return m -> {
            if (!m.type().name().equals(Bool.TYPE.name())) return;   // another type on the topic is recorded, not read
            m.decode(active);
            recorder.teleopActive(active.data);
        };
    }

    /** {@code teleop/latency} (std_msgs/Float64MultiArray, data[0] = controller stamp → command, s): DemoInfo's latency figures. */
    private static Consumer<RawMessage> teleopLatency(DemoRecorder recorder) {
        Float64MultiArray latency = new Float64MultiArray();
        return m -> {
            if (!m.type().name().equals(Float64MultiArray.TYPE.name())) return;
            m.decode(latency);
            if (latency.data.length > 0) recorder.teleopLatency(latency.data[0]);
        };
    }

    /** The Joy buttons that start, stop and discard takes, on the press (not while held). */
    private record Buttons(DemoRecorder recorder, int start, int stop, int discard, boolean success, RecorderLog log) {

        boolean any() {
            return start >= 0 || stop >= 0 || discard >= 0;
        }

        Consumer<RawMessage> on(String topic) {
            ButtonEdges edges = new ButtonEdges();
            Joy joy = new Joy();
            return m -> {
                m.decode(joy);
                DemoRecorder.Outcome o = null;
                if (edges.pressed(joy.buttons, start)) o = recorder.start();
                else if (edges.pressed(joy.buttons, stop)) o = recorder.stop(success, "stopped by button " + stop + " on " + topic);
                else if (edges.pressed(joy.buttons, discard)) o = recorder.discard();
                edges.remember(joy.buttons);
                if (o != null && o.ok()) log.info("recorder: " + topic + ": " + o.message());
            };
        }
    }

    private static BagWriter.Compression compression(String name) {
        return switch (name) {
            case "none", "" -> BagWriter.Compression.NONE;
            case "lz4" -> BagWriter.Compression.LZ4;
            case "bz2" -> BagWriter.Compression.BZ2;
            default -> throw new IllegalArgumentException("~compression '" + name + "' is not one of none, lz4, bz2");
        };
    }

    /** ~expected_rates: {topic: Hz}; a topic with '/' arrives as nested dictionaries (the parameter server's namespaces). */
    private static void rates(Node node, String prefix, Object v, Map<String, Double> out) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) rates(node, prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "/" + e.getKey(), e.getValue(), out);
        } else if (v instanceof Number n && n.doubleValue() > 0 && !prefix.isEmpty()) {
            out.put(node.resolve(prefix), n.doubleValue());
        } else {
            throw new IllegalArgumentException("~expected_rates must map topics to rates in Hz (e.g. {joint_states: 1000}), not " + prefix + ": " + v);
        }
    }
}
