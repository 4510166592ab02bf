package org.teachlearn.nodes.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teachlearn.nodes.TestNodes.node;


import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.onnx.OnnxGraph;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.train.TrainCommand;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.std_srvs.SetBool;
import org.teachlearn.msgs.std_srvs.SetBoolRequest;
import org.teachlearn.msgs.teach_learn.Experience;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectory;
import org.teachlearn.nodes.LateSimulator;
import org.teachlearn.nodes.sim.SimArm;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;
import org.teachlearn.ros.master.Master;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.testing.RosPeers;

/**
 * policy_server against sim_arm in lockstep over TCPROS on an embedded master: a policy cloned in
 * process reaches through ROS; out-of-limit, NaN and disabled policies never move the arm unsafely.
 */
class PolicyServerTest {

    static final String URDF = "../urdf/teach_arm.urdf";
    static final String[] ARM = {"arm_joint1", "arm_joint2", "arm_joint3", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7"};

    @TempDir
    static Path dir;
    static Path trained;
    static RobotModel robot;

    @BeforeAll
    static void cloneAPolicy() throws Exception {
        System.setProperty("teachlearn.home", Path.of("..").toAbsolutePath().normalize().toString());
        Path out = dir.resolve("bc");
        TrainCommand.train(List.of("bc", "--demos", "50", "--epochs", "100", "--eval-episodes", "1", "--out", out.toString()));
        trained = out.resolve("policy.onnx");
        robot = UrdfParser.parse(Path.of(URDF));
    }

    @Test
    void clonedPolicyReachesThroughRos() throws Exception {
        long ok = reachEpisodes(trained);
        assertTrue(ok >= 18, "the cloned policy reached in " + ok + " of 20 episodes through ROS");
    }

    /** A policy that observes where the hand is (train --hand-feature on) computes it in its model: served as any, it reaches. */
    @Test
    void aPolicyWithTheHandFeatureReachesThroughRos() throws Exception {
        Path out = dir.resolve("bc-hand");
        TrainCommand.train(List.of("bc", "--hand-feature", "on", "--demos", "50", "--epochs", "100", "--eval-episodes", "1", "--out", out.toString()));
        long ok = reachEpisodes(out.resolve("policy.onnx"));
        assertTrue(ok >= 18, "the cloned policy with the hand feature reached in " + ok + " of 20 episodes through ROS");
    }

    /**
     * A policy of the last 3 observations, 2 ticks apart (train bc --history 3 --history-stride 2),
     * with the hand feature: policy_server keeps the stack it needs, resets it each episode, does
     * not run it ahead, and the arm reaches.
     */
    @Test
    void aHistoryPolicyReachesThroughRos() throws Exception {
        Path out = dir.resolve("bc-history");
        TrainCommand.train(List.of("bc", "--history", "3", "--history-stride", "2", "--hand-feature", "on", "--demos", "30", "--epochs", "60",
                "--eval-episodes", "1", "--out", out.toString()));
        long ok = reachEpisodes(out.resolve("policy.onnx"));
        assertTrue(ok >= 18, "the history policy reached in " + ok + " of 20 episodes through ROS");
        assertEquals(0, serve(out.resolve("policy.onnx"), 50, false).speculated(), "a history model is not run ahead on joint_states");
    }

    /**
     * A mixture policy (3 components) served with {@code ~mixture:=episode}: each episode one
     * component drawn by weight acts, from gmm_mean, and the arm still reaches. A bad value of
     * {@code ~mixture} is refused at start, saying what it takes.
     */
    @Test
    void aMixturePolicyServedOneComponentPerEpisodeReaches() throws Exception {
        Path out = dir.resolve("bc-mixture");
        TrainCommand.train(List.of("bc", "--head", "mixture", "--components", "3", "--demos", "50", "--epochs", "100", "--eval-episodes", "1",
                "--out", out.toString()));
        long ok = reachEpisodes(out.resolve("policy.onnx"), "_mixture:=episode");
        assertTrue(ok >= 16, "the mixture policy, one component per episode, reached in " + ok + " of 20 episodes through ROS");
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node server = node("policy_server", master.uri(), "_model:=" + out.resolve("policy.onnx"), "_urdf:=" + URDF, "_mixture:=per_step");
            try {
                IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new PolicyServer(server));
                assertTrue(e.getMessage().contains("likely, sample or episode") && e.getMessage().contains("per_step"), e.getMessage());
            } finally {
                server.shutdown("test over");
            }
        }
    }

    /** 20 seeded reach episodes in lockstep with policy_server serving {@code model}: how many succeeded. */
    private static long reachEpisodes(Path model, String... serverParams) throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=900000", "_urdf:=" + URDF);
            Thread loop = new SimArm(sim).start();
            String[] params = new String[serverParams.length + 2];
            params[0] = "_model:=" + model;
            params[1] = "_urdf:=" + URDF;
            System.arraycopy(serverParams, 0, params, 2, serverParams.length);
            Node server = node("policy_server", master.uri(), params);
            new PolicyServer(server);
            Node listener = node("listener", master.uri());
            List<Boolean> outcomes = new CopyOnWriteArrayList<>();
            listener.subscribe("task/state", TaskState.TYPE, 1000, m -> {
                if (m.done) outcomes.add(m.success);
            });
            try {
                long t0 = System.nanoTime();
                RosPeers.waitUntil(() -> outcomes.size() >= 20, 120, "20 reach episodes run by the policy server");
                double seconds = (System.nanoTime() - t0) / 1e9;
                long ok = outcomes.stream().limit(20).filter(b -> b).count();
                System.out.printf("policy_server %s: %d of 20 reach episodes succeeded through ROS in %.1f s%n", java.util.Arrays.toString(serverParams),
                        ok, seconds);
                return ok;
            } finally {
                listener.shutdown("test over");
                server.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    /**
     * The same policy through sim_arm as a JointTrajectoryController: every tick one single-point
     * goal naming the joints, stamp 0, reached one control period later. Streamed that way, the
     * trajectory controller moves the arm exactly as the JointGroupPositionController does: the same
     * seeded episodes give the same joint states, stamp by stamp.
     */
    @Test
    void clonedPolicyReachesThroughAJointTrajectoryControllerAsThroughAGroupController() throws Exception {
        List<String> wrong = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger goals = new java.util.concurrent.atomic.AtomicInteger();
        Reached trajectory = reach("effort_controllers/JointTrajectoryController", 20, master -> {
            Node listener = node("goals", master.uri());
            listener.subscribe("arm_controller/command", JointTrajectory.TYPE, 1000, m -> {
                goals.incrementAndGet();
                if (!java.util.Arrays.equals(m.joint_names, ARM) || m.points.length != 1 || m.points[0].positions.length != 7
                        || m.points[0].velocities.length != 0 || m.points[0].time_from_start.toNanos() != 10_000_000L
                        || m.header.stamp.toNanos() != 0) {
                    wrong.add(java.util.Arrays.toString(m.joint_names) + " " + m.points.length + " points, stamp " + m.header.stamp);
                }
            });
            return listener;
        });
        Reached group = reach("effort_controllers/JointGroupPositionController", 20, master -> node("nobody", master.uri()));
        long ok = trajectory.outcomes().stream().filter(b -> b).count();
        System.out.printf("policy_server through a JointTrajectoryController: %d of 20 reach episodes, %d goals%n", ok, goals.get());
        assertTrue(ok >= 18, "the cloned policy reached in " + ok + " of 20 episodes through a JointTrajectoryController");
        assertTrue(wrong.isEmpty(), "goals that are not one named point one period ahead, starting now: " + wrong);
        assertEquals(group.outcomes(), trajectory.outcomes());
        int compared = 0;
        for (var e : trajectory.joints().entrySet()) {
            double[] other = group.joints().get(e.getKey());
            if (other == null) continue;
            assertArrayEquals(other, e.getValue(), 0.0, "joint states at stamp " + e.getKey());
            compared++;
        }
        assertTrue(compared > 400, "only " + compared + " states in both runs");
    }

    /** Joint positions by stamp, and the first episodes' outcomes, of {@link #reach}. */
    private record Reached(Map<Long, double[]> joints, List<Boolean> outcomes) { }

    /**
     * Runs the cloned policy on {@code episodes} seeded reach episodes (lockstep) through sim_arm whose
     * arm controller is {@code armType}, with a node of the test's own ({@code watcher}) on the master.
     */
    private static Reached reach(String armType, int episodes, Watcher watcher) throws Exception {
        Map<Long, double[]> joints = new ConcurrentHashMap<>();
        List<Boolean> outcomes = new CopyOnWriteArrayList<>();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=900000", "_urdf:=" + URDF);
            sim.params().set("arm_controller/type", armType);
            Node server = node("policy_server", master.uri(), "_model:=" + trained, "_urdf:=" + URDF);
            new PolicyServer(server);
            Node listener = node("listener", master.uri());
            listener.subscribe("task/state", TaskState.TYPE, 1000, m -> {
                if (m.done) outcomes.add(m.success);
            });
            listener.subscribe("joint_states", JointState.TYPE, 1000, m -> joints.put(m.header.stamp.toNanos(), m.position.clone()));
            Node watching = watcher.start(master);
            Thread loop = new SimArm(sim).start();
            try {
                RosPeers.waitUntil(() -> outcomes.size() >= episodes, 60, episodes + " reach episodes through " + armType);
                sim.shutdown("enough episodes");
                loop.join(5000);
                return new Reached(joints, List.copyOf(outcomes.subList(0, episodes)));
            } finally {
                watching.shutdown("test over");
                listener.shutdown("test over");
                server.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    private interface Watcher {
        Node start(Master master) throws Exception;
    }

    /** Disabled, policy_server answers every lockstep state with a hold: a point at the measured positions, zero velocities. */
    @Test
    void disabledPolicyHoldsATrajectoryControllerWithZeroVelocities() throws Exception {
        double[] action = new double[8];
        java.util.Arrays.fill(action, 1.0);
        Path model = constantModel(action);
        List<double[]> commands = new CopyOnWriteArrayList<>();
        List<String> wrong = new CopyOnWriteArrayList<>();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=1", "_urdf:=" + URDF);
            sim.params().set("arm_controller/type", "position_controllers/JointTrajectoryController");
            Node server = node("policy_server", master.uri(), "_model:=" + model, "_urdf:=" + URDF);
            new PolicyServer(server);
            Node listener = node("listener", master.uri());
            try (var client = listener.serviceClient("policy/enable", SetBool.TYPE, false)) {
                SetBoolRequest off = new SetBoolRequest();
                off.data = false;
                assertTrue(client.call(off).success);
            }
            listener.subscribe("arm_controller/command", JointTrajectory.TYPE, 1000, m -> {
                if (m.points.length != 1 || !java.util.Arrays.equals(m.points[0].velocities, new double[7])) {
                    wrong.add(m.points.length + " points, velocities " + java.util.Arrays.toString(m.points[0].velocities));
                }
                commands.add(m.points[0].positions.clone());
            });
            Thread loop = new SimArm(sim).start();
            try {
                RosPeers.waitUntil(() -> commands.size() >= 40, 60, "40 holds from the policy server");
            } finally {
                listener.shutdown("test over");
                server.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
        assertTrue(wrong.isEmpty(), "holds that do not come to rest: " + wrong);
        assertHolds(commands);
    }

    @Test
    void experienceBatchesHoldConsistentTransitionsWithExpertLabels() throws Exception {
        List<Experience> batches = new CopyOnWriteArrayList<>();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=7", "_urdf:=" + URDF);
            Node expert = node("expert", master.uri(), "_task:=reach", "_drive:=false", "_urdf:=" + URDF);
            new org.teachlearn.nodes.sim.ExpertNode(expert);
            Node server = node("policy_server", master.uri(), "_model:=" + trained, "_urdf:=" + URDF, "_stochastic:=true",
                    "_experience_batch:=64", "_seed:=3");
            new PolicyServer(server);
            Node listener = node("listener", master.uri());
            listener.subscribe("/experience", Experience.TYPE, 100, m -> {
                Experience copy = new Experience();
                copy.obs_dim = m.obs_dim;
                copy.act_dim = m.act_dim;
                copy.obs = m.obs.clone();
                copy.next_obs = m.next_obs.clone();
                copy.action = m.action.clone();
                copy.logprob = m.logprob.clone();
                copy.reward = m.reward.clone();
                copy.done = m.done.clone();
                copy.expert_action = m.expert_action.clone();
                copy.episode = m.episode.clone();
                copy.executed_action = m.executed_action.clone();
                copy.intervention = m.intervention.clone();
                batches.add(copy);
            });
            Thread loop = new SimArm(sim).start();
            try {
                // sampled actions make episodes longer and fewer of them succeed: wait for two successes
                RosPeers.waitUntil(() -> batches.size() >= 3 && terminals(batches) >= 2, 90, "experience with two terminal transitions");
            } finally {
                listener.shutdown("test over");
                server.shutdown("test over");
                expert.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
        int terminal = 0, labelled = 0, n = 0, limited = 0;
        var model = new org.teachlearn.learn.serve.OnnxPolicy(Files.readAllBytes(trained), null);
        double[] o = new double[18], mean = new double[8], a = new double[8], e = new double[8];
        for (Experience b : batches) {
            assertEquals(18, b.obs_dim);
            assertEquals(8, b.act_dim);
            assertEquals(64, b.reward.length);
            assertEquals(64 * 18, b.obs.length);
            assertEquals(64 * 8, b.expert_action.length);
            for (int k = 0; k < 64; k++, n++) {
                assertTrue(Float.isFinite(b.logprob[k]), "stochastic actions carry their log-probability");
                assertTrue(b.done[k] >= 0 && b.done[k] <= 2);
                if (b.done[k] == 1) {
                    terminal++;
                    assertTrue(b.reward[k] > 0.9, "a terminal reach transition carries the success bonus");
                }
                if (!Float.isNaN(b.expert_action[k * 8])) labelled++;
                // logprob is the density of `action`, the policy's sample before any limit; executed_action is what was sent
                for (int i = 0; i < 18; i++) o[i] = b.obs[k * 18 + i];
                model.act(o, mean);
                for (int j = 0; j < 8; j++) {
                    a[j] = b.action[k * 8 + j];
                    e[j] = b.executed_action[k * 8 + j];
                }
                double density = org.teachlearn.learn.policy.DiagonalGaussian.logProb(a, mean, 0, model.logStd(), 8);
                assertEquals(density, b.logprob[k], 1e-2 * Math.max(1, Math.abs(density)), "log-density of the sampled action, row " + k);
                assertEquals(0, b.intervention[k]);
                for (int j = 0; j < 7; j++) {
                    Joint jt = robot.joint(ARM[j]);
                    assertTrue(e[j] >= jt.lower() - 1e-6 && e[j] <= jt.upper() + 1e-6, "executed " + ARM[j] + " " + e[j]);
                }
                if (!java.util.Arrays.equals(a, e)) limited++;
                // every episode's last transition is there, ended: after a done state sim_arm publishes the next episode's
                // first at once, and its joint_states may overtake the done task/state
                if (k + 1 < 64 && b.episode[k] != b.episode[k + 1]) assertTrue(b.done[k] != 0, "episode " + b.episode[k] + " ends without a done row");
                if (k + 1 < 64 && b.done[k] == 0 && b.episode[k] == b.episode[k + 1]) {
                    for (int i = 0; i < 18; i++) assertEquals(b.next_obs[k * 18 + i], b.obs[(k + 1) * 18 + i], 1e-6f, "s' of one transition is s of the next");
                }
            }
        }
        model.close();
        System.out.printf("experience: %d transitions, %d terminal, %d labelled by the expert, %d whose sent command differs from the sample%n",
                n, terminal, labelled, limited);
        assertTrue(limited > 0, "no transition's command was limited: the test cannot tell action from executed_action");
        assertTrue(terminal >= 2, "only " + terminal + " terminal transitions in " + n);
        // lockstep waits up to ~expert_timeout for each label: all but states whose label took longer (none, unless the machine stalls)
        assertTrue(labelled >= n * 9 / 10, "only " + labelled + " of " + n + " transitions carry the expert's action");
    }

    /**
     * As train.launch's workers run (no expert, so nothing slows the loop): after a done state
     * sim_arm publishes the next episode's first state at once, and that state's joint_states often
     * overtakes the done task/state. Every episode must still end in a done row (with a single
     * joint reading the done state was never paired: its transition, and a success's bonus, lost).
     */
    @Test
    void everyEpisodeEndsInADoneRowWithoutAnExpert() throws Exception {
        List<Experience> batches = new CopyOnWriteArrayList<>();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=11", "_urdf:=" + URDF);
            Node server = node("policy_server", master.uri(), "_model:=" + trained, "_urdf:=" + URDF, "_stochastic:=true",
                    "_experience_batch:=64", "_seed:=5");
            new PolicyServer(server);
            Node listener = node("listener", master.uri());
            listener.subscribe("/experience", Experience.TYPE, 100, m -> {
                Experience copy = new Experience();
                copy.done = m.done.clone();
                copy.episode = m.episode.clone();
                copy.reward = m.reward.clone();
                batches.add(copy);
            });
            Thread loop = new SimArm(sim).start();
            try {
                RosPeers.waitUntil(() -> batches.size() >= 16, 90, "16 experience batches");
            } finally {
                listener.shutdown("test over");
                server.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
        int switches = 0, ends = 0;
        for (Experience b : batches) {
            for (int k = 0; k < b.done.length; k++) {
                if (b.done[k] != 0) ends++;
                if (k + 1 < b.done.length && b.episode[k] != b.episode[k + 1]) {
                    switches++;
                    assertTrue(b.done[k] != 0, "episode " + b.episode[k] + " ends without a done row (" + ends + " done rows so far)");
                }
            }
        }
        System.out.printf("experience without an expert: %d batches, %d episode changes inside a batch, %d done rows%n", batches.size(),
                switches, ends);
        assertTrue(switches >= 5, "only " + switches + " episodes ended inside a batch: the test saw too few episode ends");
    }

    /** A command topic echoed before the simulator subscribed ({@link LateSimulator}). */
    @Test
    void aStateSentAgainAfterTheSimulatorSubscribedLateGetsTheSameCommandAgain() throws Exception {
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node server = node("policy_server", master.uri(), "_model:=" + trained, "_urdf:=" + URDF);
            new PolicyServer(server);
            try {
                LateSimulator.answeredAgainOnlyForANewSubscriber(master.uri(), 1_000_000_000L);
            } finally {
                server.shutdown("test over");
            }
        }
    }

    private static int terminals(List<Experience> batches) {
        int t = 0;
        for (Experience b : batches) for (byte d : b.done) if (d == 1) t++;
        return t;
    }

    @Test
    void speculationSendsExactlyTheCommandsOfATickThatWaited() throws Exception {
        Served ahead = serve(trained, 1500, false);
        Served waited = serve(trained, 1500, false, "_speculate:=false");
        System.out.printf("policy_server: %d of %d lockstep ticks took the action speculated on joint_states%n", ahead.speculated(),
                ahead.commands().size());
        assertEquals(0, waited.speculated());
        // The simulator is deterministic: equal states at equal stamps mean equal commands all along.
        int compared = 0;
        for (var state : waited.joints().entrySet()) {
            double[] other = ahead.joints().get(state.getKey());
            if (other == null) continue;
            assertArrayEquals(state.getValue(), other, "joint positions at " + state.getKey() + " ns");
            compared++;
        }
        assertTrue(compared >= 1000, "only " + compared + " states in both runs");
        assertTrue(ahead.speculated() >= 300, "only " + ahead.speculated() + " ticks used a speculated action");
    }

    @Test
    void outOfLimitTargetsAreClampedAndStepLimited() throws Exception {
        double[] action = new double[8];
        java.util.Arrays.fill(action, 10.0);   // far above every joint's upper limit
        List<double[]> commands = run(constantModel(action), 60, false);
        double[] previous = null;
        for (double[] c : commands) {
            for (int i = 0; i < ARM.length; i++) {
                Joint j = robot.joint(ARM[i]);
                assertTrue(c[i] <= j.upper() + 1e-12 && c[i] >= j.lower() - 1e-12, ARM[i] + " command " + c[i] + " outside its limits");
                if (previous != null) {
                    assertTrue(Math.abs(c[i] - previous[i]) <= j.velocity() * 0.01 + 1e-9, ARM[i] + " target jumped " + (c[i] - previous[i]));
                }
            }
            previous = c;
        }
    }

    @Test
    void pytorchExportedModelRunsWithItsLayoutFromParameters() throws Exception {
        Path torch = dir.resolve("torch");
        Files.createDirectories(torch);
        Process p = new ProcessBuilder("/usr/bin/python3", Path.of("../learn/src/test/python/torch_export.py").toString(), torch.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        for (String model : new String[] {"plain.onnx", "chunk.onnx"}) {
            List<double[]> commands = run(torch.resolve(model), 40, false, "_joint_names:=[" + String.join(", ", ARM) + "]",
                    "_gripper_joint:=finger_left_joint", "_goal_size:=3", "_control_period:=0.01");
            for (double[] c : commands) {
                for (int i = 0; i < ARM.length; i++) {
                    Joint j = robot.joint(ARM[i]);
                    assertTrue(Double.isFinite(c[i]) && c[i] <= j.upper() + 1e-12 && c[i] >= j.lower() - 1e-12, model + ": " + ARM[i] + " " + c[i]);
                }
            }
        }
    }

    /**
     * A model without our metadata gets its gripper's handling from ~gripper_command: binary sends a
     * gripper action of 0.025 m (past half of 0.04) fully open, continuous as it is.
     */
    @Test
    void anExternalModelsGripperIsSentOpenOrClosedAsGripperCommandSays() throws Exception {
        double[] action = new double[8];
        for (int i = 0; i < 7; i++) action[i] = 0.5 * (robot.joint(ARM[i]).lower() + robot.joint(ARM[i]).upper());
        action[7] = 0.025;
        Path model = constantModel(action, false);
        String[] layout = {"_joint_names:=[" + String.join(", ", ARM) + "]", "_gripper_joint:=finger_left_joint", "_goal_size:=3"};
        for (String sent : new String[] {"binary", "continuous"}) {
            String[] params = java.util.Arrays.copyOf(layout, layout.length + 1);
            params[layout.length] = "_gripper_command:=" + sent;
            List<Double> gripper = serve(model, 20, false, params).gripper();
            RosPeers.waitUntil(() -> !gripper.isEmpty(), 5, "a gripper command");
            for (double g : gripper) assertEquals(sent.equals("binary") ? 0.04 : 0.025, g, 1e-9, sent + ": " + gripper);
        }
    }

    @Test
    void nanActionIsNeverSentAndTheArmHolds() throws Exception {
        double[] action = new double[8];
        java.util.Arrays.fill(action, Double.NaN);
        assertHolds(run(constantModel(action), 40, false));
    }

    @Test
    void disabledPolicyHoldsTheArm() throws Exception {
        double[] action = new double[8];
        java.util.Arrays.fill(action, 1.0);
        assertHolds(run(constantModel(action), 40, true));
    }

    @Test
    void timedLoopDrivesTheArmAndHoldsWhenObservationsStop() throws Exception {
        List<double[]> commands = new CopyOnWriteArrayList<>();
        List<double[]> measured = new CopyOnWriteArrayList<>();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=false", "_rate:=100", "_task:=reach", "_seed:=900001", "_urdf:=" + URDF);
            Thread loop = new SimArm(sim).start();
            Node server = node("policy_server", master.uri(), "_model:=" + trained, "_urdf:=" + URDF, "_lockstep:=false", "_rate:=200",
                    "_watchdog_timeout:=0.05", "_realtime_priority:=0");
            new PolicyServer(server);
            Node listener = node("listener", master.uri());
            listener.subscribe("arm_controller/command", Float64MultiArray.TYPE, 1000, m -> commands.add(m.data.clone()));
            listener.subscribe("joint_states", JointState.TYPE, 1000, m -> measured.add(java.util.Arrays.copyOf(m.position, ARM.length)));
            try {
                RosPeers.waitUntil(() -> commands.size() >= 200, 30, "200 commands of the timed loop");
                sim.shutdown("the arm goes quiet");
                loop.join(5000);
                Thread.sleep(300);   // six watchdog periods
                int afterStale = commands.size();
                Thread.sleep(300);
                assertEquals(afterStale, commands.size(), "commands went on without observations");
                double[] last = measured.get(measured.size() - 1), hold = commands.get(commands.size() - 1);
                for (int i = 0; i < ARM.length; i++) assertEquals(last[i], hold[i], 1e-9, ARM[i] + ": the last command holds the measured position");
                double moved = 0;
                for (int i = 0; i < ARM.length; i++) moved = Math.max(moved, Math.abs(commands.get(150)[i] - commands.get(0)[i]));
                assertTrue(moved > 1e-3, "the policy moved the arm before the observations stopped");
            } finally {
                listener.shutdown("test over");
                server.shutdown("test over");
            }
        }
    }

    /** Every command is finite and the arm did not move from where the first command held it. */
    private static void assertHolds(List<double[]> commands) {
        assertTrue(commands.size() >= 40, "only " + commands.size() + " commands");
        double[] first = commands.get(0);
        for (double[] c : commands) {
            for (int i = 0; i < ARM.length; i++) {
                assertTrue(Double.isFinite(c[i]), "a non-finite command was sent");
                assertEquals(first[i], c[i], 2e-3, ARM[i] + " moved while holding");
            }
        }
    }

    /** Runs sim_arm + policy_server with {@code model} for {@code states} lockstep states; returns the arm commands sent. */
    private static List<double[]> run(Path model, int states, boolean disable, String... serverParams) throws Exception {
        return serve(model, states, disable, serverParams).commands();
    }

    /** What a run of {@link #serve} saw: arm commands, joint positions by stamp, ticks that took a speculated action. */
    private record Served(List<double[]> commands, Map<Long, double[]> joints, long speculated, List<Double> gripper) { }

    private static Served serve(Path model, int states, boolean disable, String... serverParams) throws Exception {
        List<double[]> commands = new CopyOnWriteArrayList<>();
        List<Double> gripper = new CopyOnWriteArrayList<>();
        Map<Long, double[]> joints = new ConcurrentHashMap<>();
        try (Master master = new Master("127.0.0.1", "127.0.0.1", 0, line -> { })) {
            Node sim = node("sim_arm", master.uri(), "_lockstep:=true", "_task:=reach", "_seed:=1", "_urdf:=" + URDF);
            String[] params = new String[serverParams.length + 2];
            params[0] = "_model:=" + model;
            params[1] = "_urdf:=" + URDF;
            System.arraycopy(serverParams, 0, params, 2, serverParams.length);
            Node server = node("policy_server", master.uri(), params);
            PolicyServer policy = new PolicyServer(server);
            Node listener = node("listener", master.uri());
            if (disable) {
                try (var client = listener.serviceClient("policy/enable", SetBool.TYPE, false)) {
                    SetBoolRequest off = new SetBoolRequest();
                    off.data = false;
                    assertTrue(client.call(off).success);
                }
            }
            listener.subscribe("arm_controller/command", Float64MultiArray.TYPE, 1000, m -> commands.add(m.data.clone()));
            listener.subscribe("joint_states", JointState.TYPE, 1000, m -> joints.put(m.header.stamp.toNanos(), m.position.clone()));
            listener.subscribe("gripper_controller/command", Float64MultiArray.TYPE, 1000, m -> gripper.add(m.data[0]));
            Thread loop = new SimArm(sim).start();
            try {
                RosPeers.waitUntil(() -> commands.size() >= states, 60, states + " commands from the policy server");
                return new Served(commands, joints, policy.speculatedTicks(), gripper);
            } finally {
                listener.shutdown("test over");
                server.shutdown("test over");
                sim.shutdown("test over");
                loop.join(5000);
            }
        }
    }

    /** A model in our format whose action is {@code action} whatever it observes. */
    private static Path constantModel(double[] action) throws Exception {
        return constantModel(action, true);
    }

    /** A model whose action is {@code action} whatever it observes; in our format (with metadata) or not. */
    private static Path constantModel(double[] action, boolean ours) throws Exception {
        OnnxGraph g = new OnnxGraph("constant");
        g.input("obs", -1, 18);
        String zero = g.node("MatMul", new String[] {"obs", g.constant("zero", new long[] {18, 8}, new double[18 * 8])});
        g.node("Add", new String[] {zero, g.constant("value", new long[] {8}, action)}, "action");
        g.output("action", -1, 8);
        double[] low = new double[8], high = new double[8];
        for (int i = 0; i < 7; i++) {
            low[i] = robot.joint(ARM[i]).lower();
            high[i] = robot.joint(ARM[i]).upper();
        }
        high[7] = 0.04;
        Path file = Files.createTempFile(dir, "constant", ".onnx");
        if (!ours) {
            Files.write(file, g.toBytes("test", 1, "constant action"));
            return file;
        }
        g.metadata("format", PolicyExport.FORMAT);
        g.metadata("obs_dim", "18");
        g.metadata("act_dim", "8");
        g.metadata("joint_names", String.join(",", ARM));
        g.metadata("gripper_joint", "finger_left_joint");
        g.metadata("action_low", csv(low));
        g.metadata("action_high", csv(high));
        g.metadata("control_period", "0.01");
        Files.write(file, g.toBytes("test", 1, "constant action"));
        return file;
    }

    private static String csv(double[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) sb.append(i > 0 ? "," : "").append(a[i]);
        return sb.toString();
    }
}
