package org.teachlearn.nodes.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.RosPeers;

/**
 * sim_arm's {@code ~settle}: a succeeded episode goes on for that many successful periods (what recorded
 * demonstrations need to label states inside the tolerance), then ends done and a success; without
 * it the first successful state ends the episode, as before.
 */
class SimArmSettleTest {

    /** The task states of the first episode the expert drives to success, with {@code settle} seconds of settling. */
    static List<TaskState> firstEpisode(double settle) throws Exception {
        System.setProperty("teachlearn.home", java.nio.file.Path.of("..").toAbsolutePath().normalize().toString());
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=12", "_settle:=" + settle);
            Thread loop = new SimArm(sim).start();
            Node listener = node("states", master.uri());
            List<TaskState> states = new ArrayList<>();
            listener.subscribe("task/state", TaskState.TYPE, 1000, m -> {
                synchronized (states) {
                    if (m.episode != 0 || (!states.isEmpty() && states.get(states.size() - 1).header.stamp.equals(m.header.stamp))) return;
                    TaskState copy = new TaskState();
                    copy.header.stamp.set(m.header.stamp);
                    copy.done = m.done;
                    copy.success = m.success;
                    copy.truncated = m.truncated;
                    copy.step = m.step;
                    states.add(copy);
                }
            });
            Node expert = node("expert", master.uri(), "_task:=reach", "_drive:=true");
            new ExpertNode(expert);
            try {
                RosPeers.waitUntil(() -> {
                    synchronized (states) {
                        return !states.isEmpty() && states.get(states.size() - 1).done;
                    }
                }, 60, "the first episode to end");
                synchronized (states) {
                    return new ArrayList<>(states);
                }
            } finally {
                expert.shutdown("test over");
                listener.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    static int firstSuccess(List<TaskState> states) {
        for (int i = 0; i < states.size(); i++) if (states.get(i).success) return i;
        throw new AssertionError("the expert never succeeded");
    }

    @Test
    void aSucceededEpisodeGoesOnForSettleThenEndsASuccess() throws Exception {
        List<TaskState> states = firstEpisode(0.2);
        int first = firstSuccess(states);
        TaskState last = states.get(states.size() - 1);
        long settling = states.subList(first, states.size() - 1).stream().filter(s -> s.success).count();
        assertEquals(20, settling, "20 successful control periods of 0.01 s before the end (the arm may leave the tolerance meanwhile)");
        for (int i = first; i < states.size() - 1; i++) assertTrue(!states.get(i).done, "state " + i + " settles");
        assertTrue(last.done && last.success && !last.truncated, "ends done, a success");
    }

    @Test
    void withoutSettleTheFirstSuccessEndsTheEpisode() throws Exception {
        List<TaskState> states = firstEpisode(0);
        int first = firstSuccess(states);
        assertEquals(states.size() - 1, first);
        assertTrue(states.get(first).done);
    }
}
