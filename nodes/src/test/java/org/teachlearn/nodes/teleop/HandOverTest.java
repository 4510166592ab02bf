package org.teachlearn.nodes.teleop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.onnx.OnnxGraph;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.msgs.geometry_msgs.PoseStamped;
import org.teachlearn.msgs.sensor_msgs.Joy;
import org.teachlearn.msgs.std_msgs.Bool;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.teach_learn.Experience;
import org.teachlearn.nodes.TestNodes;
import org.teachlearn.nodes.policy.PolicyServer;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Publisher;
import org.teachlearn.ros.testing.RosPeers;

/**
 * Interventions: policy_server drives the simulated arm; an operator grips the clutch and vr_teleop
 * ({@code ~idle:=yield}) takes over, then lets go and the policy takes the arm back. Never two
 * sources at once, no jump at either switch; in lockstep the operator's steps are intervention rows
 * of /experience with a NaN log-probability and the operator's command as their label.
 */
@Tag(TestNodes.REALTIME)
class HandOverTest {

    static final String URDF = "../urdf/teach_arm.urdf";
    static final String[] ARM = {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7"};

    @TempDir
    static Path dir;

    /** A headset held still: poses at 90 Hz, the clutch as {@code clutch} says. */
    static final class StillHand implements AutoCloseable {
        final AtomicBoolean clutch = new AtomicBoolean();
        final Thread thread;
        volatile boolean running = true;

        StillHand(Node node) throws Exception {
            Publisher<PoseStamped> poses = node.advertise("vr/controller_pose", PoseStamped.TYPE);
            Publisher<Joy> joys = node.advertise("vr/joy", Joy.TYPE);
            thread = new Thread(() -> {
                PoseStamped p = new PoseStamped();
                Joy j = new Joy();
                j.buttons = new int[6];
                j.axes = new float[6];
                while (running) {
                    node.now(p.header.stamp);
                    p.pose.position.x = 0.2;
                    p.pose.position.y = 1.1;
                    p.pose.position.z = -0.3;
                    p.pose.orientation.w = 1;
                    poses.publish(p);
                    j.buttons[0] = clutch.get() ? 1 : 0;
                    joys.publish(j);
                    try {
                        Thread.sleep(11);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "still hand");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(2000);
        }
    }

    @Test
    void theOperatorTakesOverAndHandsBackWithoutAJumpOrTwoSources() throws Exception {
        List<double[]> commands = new CopyOnWriteArrayList<>();
        List<Long> episodeOf = new CopyOnWriteArrayList<>();   // the episode each command was sent in
        List<long[]> switches = new CopyOnWriteArrayList<>();   // {command index, active}
        long[] episode = {-1};
        int start, on, off;
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            // pick and place: 10 s episodes, time for the whole exchange within one
            Node sim = node("sim_arm", master.uri(), "_lockstep:=false", "_rate:=100", "_task:=pick_place", "_seed:=3", "_urdf:=" + URDF);
            Thread loop = new SimArm(sim).start();
            // a watchdog of 0.1 s, not 3 ticks: a hold at a stale reading's measured pose (the arm some 20 ms behind its
            // target under load) is the watchdog's business, not the hand-over's
            Node server = node("policy_server", master.uri(), "_model:=" + driftModel(7), "_urdf:=" + URDF, "_lockstep:=false", "_rate:=100",
                    "_realtime_priority:=0", "_watchdog_timeout:=0.1");
            new PolicyServer(server);
            Node teleop = node("vr_teleop", master.uri(), "_idle:=yield", "_urdf:=" + URDF);
            new VrTeleop(teleop);
            Node watcher = node("watcher", master.uri());
            watcher.subscribe("task/state", org.teachlearn.msgs.teach_learn.TaskState.TYPE, 100, m -> episode[0] = m.episode);
            watcher.subscribe("arm_controller/command", Float64MultiArray.TYPE, 10_000, m -> {
                commands.add(m.data.clone());
                episodeOf.add(episode[0]);
            });
            watcher.subscribe("teleop/active", Bool.TYPE, 100, m -> switches.add(new long[] {commands.size(), m.data ? 1 : 0}));
            Node operator = node("operator", master.uri());
            try (StillHand hand = new StillHand(operator)) {
                RosPeers.waitUntil(() -> commands.size() >= 50, 30, "50 commands of the policy");
                // all within one episode (a reset moves the arm: vr_teleop lets go then), once the policy's targets have
                // walked from the last episode's pose to the new one
                long first = episode[0];
                RosPeers.waitUntil(() -> episode[0] != first, 15, "a new episode");
                Thread.sleep(1500);
                start = commands.size();
                Thread.sleep(400);
                hand.clutch.set(true);
                RosPeers.waitUntil(() -> switches.stream().anyMatch(x -> x[1] == 1), 5, "teleop/active true");
                Thread.sleep(800);
                hand.clutch.set(false);
                RosPeers.waitUntil(() -> switches.stream().filter(x -> x[1] == 0).count() >= 2, 5, "teleop/active false again");
                int handedBack = commands.size();
                RosPeers.waitUntil(() -> commands.size() >= handedBack + 50, 10, "50 commands of the policy after the hand-back");
            } finally {
                operator.shutdown("test over");
                watcher.shutdown("test over");
                teleop.shutdown("test over");
                server.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
        on = (int) switches.stream().filter(x -> x[1] == 1).findFirst().orElseThrow()[0];
        off = (int) switches.stream().filter(x -> x[1] == 0).skip(1).findFirst().orElseThrow()[0];
        int end = Math.min(commands.size(), off + 50);
        for (int k = start; k < end; k++) {
            assertEquals(episodeOf.get(start), episodeOf.get(k), "the hand-over and back happened within one episode (a slow machine?)");
        }
        // the policy drives arm_joint1 on; the operator's hand is still
        double policyStep = commands.get(on - 1)[0] - commands.get(on - 21)[0];
        StringBuilder trace = new StringBuilder();
        for (int k = Math.max(start, on - 25); k < Math.min(end, on + 10); k++) trace.append(k).append(' ').append(commands.get(k)[0]).append('\n');
        assertTrue(policyStep > 0.02, "the policy moved the arm before the take-over: " + policyStep + " (start " + start + ", on " + on + ")\n" + trace);
        int settled = on + 5;   // commands already on the wire when the switch went out
        assertTrue(off - settled > 40, "the operator commanded for most of a second: " + (off - settled) + " commands");
        // the arm, grabbed while turning at the policy's pace, stops under the still hand (the servo brings the tool back to
        // where the clutch closed, at the limited speeds: a stop, not a jump); in the window's second half the policy would
        // have turned it on as far again, the operator's commands do not
        int still = off - (off - settled) / 2;
        double onward = commands.get(off - 1)[0] - commands.get(still)[0];
        double policyWould = policyStep * (off - still) / 20;
        assertTrue(onward < 0.25 * policyWould, "only the still operator commanded while teleop/active was true (joint 1 went on "
                + onward + " rad over the window's second half; the policy would have moved it " + policyWould + " rad)\n"
                + window(commands, on - 3, off + 3));
        double after = commands.get(end - 1)[0] - commands.get(off + 5)[0];
        assertTrue(after > 0.02, "the policy drove the arm again after the hand-back: " + after);
        double jump = 0;
        int at = start;
        for (int k = start + 1; k < end; k++) {
            for (int i = 0; i < 7; i++) {
                double d = Math.abs(commands.get(k)[i] - commands.get(k - 1)[i]);
                if (d > jump) {
                    jump = d;
                    at = k;
                }
            }
        }
        // a target moves at most the URDF velocity limit (2.175 rad/s) over a tick; after a stalled joint reading vr_teleop
        // catches up at most two 10 ms periods (as drag_teach). Two sources interleaving would alternate far more often
        assertTrue(jump <= 2.175 * 0.02 + 1e-6, "largest step between consecutive commands " + jump + " rad at command " + at
                + " (take-over at " + on + ", hand-back at " + off + ")\n" + window(commands, at - 5, at + 5));
    }

    @Test
    void lockstepInterventionsAreMarkedInExperienceWithNaNLogProb() throws Exception {
        List<Experience> batches = new CopyOnWriteArrayList<>();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=7", "_urdf:=" + URDF);
            Node server = node("policy_server", master.uri(), "_model:=" + driftModel(3), "_urdf:=" + URDF, "_experience_batch:=50",
                    "_stochastic:=true");
            new PolicyServer(server);
            // lockstep stamps are the simulator's time: vr_teleop judges joint readings by arrival only
            Node teleop = node("vr_teleop", master.uri(), "_idle:=yield", "_urdf:=" + URDF, "_max_stamp_age:=0");
            new VrTeleop(teleop);
            Node watcher = node("watcher", master.uri());
            watcher.subscribe("/experience", Experience.TYPE, 100, m -> {
                Experience copy = new Experience();
                copy.intervention = m.intervention.clone();
                copy.logprob = m.logprob.clone();
                copy.expert_action = m.expert_action.clone();
                copy.executed_action = m.executed_action.clone();
                copy.act_dim = m.act_dim;
                batches.add(copy);
            });
            Node operator = node("operator", master.uri());
            Thread loop = new SimArm(sim).start();
            try (StillHand hand = new StillHand(operator)) {
                RosPeers.waitUntil(() -> batches.size() >= 2, 30, "two batches from the policy");
                // grip now and then: each sim reset disengages vr_teleop (the arm moved), a new press takes over again
                long until = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < until && interventions(batches) < 50) {
                    hand.clutch.set(true);
                    Thread.sleep(300);
                    hand.clutch.set(false);
                    Thread.sleep(100);
                }
                hand.clutch.set(false);
                int before = batches.size();
                RosPeers.waitUntil(() -> batches.size() >= before + 2, 30, "policy batches after the hand-back");
            } finally {
                operator.shutdown("test over");
                watcher.shutdown("test over");
                teleop.shutdown("test over");
                server.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
        int person = 0, policy = 0;
        for (Experience e : batches) {
            for (int k = 0; k < e.intervention.length; k++) {
                if (e.intervention[k] == 1) {
                    person++;
                    assertTrue(Float.isNaN(e.logprob[k]), "an intervention row has a NaN logprob");
                    int act = (int) e.act_dim;
                    for (int j = 0; j < act; j++) {
                        assertEquals(e.executed_action[k * act + j], e.expert_action[k * act + j], 0.0,
                                "the operator's command is the row's label");
                    }
                } else {
                    policy++;
                    assertTrue(Float.isFinite(e.logprob[k]), "a stochastic policy's row has its log-probability");
                }
            }
        }
        assertTrue(person >= 50, person + " intervention rows");
        assertTrue(policy >= 100, policy + " policy rows");
    }

    private static String window(List<double[]> commands, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int k = Math.max(0, from); k < Math.min(commands.size(), to); k++) {
            b.append(k).append(String.format(java.util.Locale.ROOT, " %.4f %.4f %.4f%n", commands.get(k)[0], commands.get(k)[1], commands.get(k)[3]));
        }
        return b.toString();
    }

    private static int interventions(List<Experience> batches) {
        int n = 0;
        for (Experience e : batches) for (byte b : e.intervention) n += b;
        return n;
    }

    /** A model in our format that keeps arm_joint1 turning (its target 0.05 rad past where it is) and holds the rest where they are. */
    static Path driftModel(int goalSize) throws Exception {
        return heldModel(dir, goalSize, 0.05);
    }

    /** The same with arm_joint1's target {@code drift} rad past where it is (0 holds the arm still wherever it is), written into {@code in}. */
    static Path heldModel(Path in, int goalSize, double drift) throws Exception {
        int obs = 15 + goalSize;
        RobotModel robot = UrdfParser.parse(Path.of(URDF));
        double[] action = new double[8], weights = new double[obs * 8];
        action[0] = drift;   // arm_joint1's target `drift` rad past where it is
        action[7] = 0.04;
        for (int j = 0; j < 7; j++) weights[j * 8 + j] = 1;   // the others: targets where they are
        OnnxGraph g = new OnnxGraph("drift");
        g.input("obs", -1, obs);
        String here = g.node("MatMul", new String[] {"obs", g.constant("weights", new long[] {obs, 8}, weights)});
        g.node("Add", new String[] {here, g.constant("value", new long[] {8}, action)}, "action");
        g.output("action", -1, 8);
        double[] logStd = new double[8];
        java.util.Arrays.fill(logStd, -8);   // a narrow Gaussian: ~stochastic has a log-probability to report
        g.node("Identity", new String[] {g.constant("log_std_value", new long[] {8}, logStd)}, "log_std");
        g.output("log_std", 8);
        g.metadata("log_std_units", "command");
        double[] low = new double[8], high = new double[8];
        for (int i = 0; i < 7; i++) {
            low[i] = robot.joint(ARM[i]).lower();
            high[i] = robot.joint(ARM[i]).upper();
        }
        high[7] = 0.04;
        g.metadata("format", PolicyExport.FORMAT);
        g.metadata("obs_dim", String.valueOf(obs));
        g.metadata("act_dim", "8");
        g.metadata("joint_names", String.join(",", ARM));
        g.metadata("gripper_joint", "finger_left_joint");
        g.metadata("action_low", csv(low));
        g.metadata("action_high", csv(high));
        g.metadata("control_period", "0.01");
        Path file = Files.createTempFile(in, "drift", ".onnx");
        Files.write(file, g.toBytes("test", 1, "drift"));
        return file;
    }

    private static String csv(double[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) sb.append(i > 0 ? "," : "").append(a[i]);
        return sb.toString();
    }
}
