package org.teachlearn.nodes.demos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.demo.DemoSampler;
import org.teachlearn.learn.demo.DemoSpec;
import org.teachlearn.learn.demo.Demonstrations;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.train.Checkpoint;
import org.teachlearn.learn.train.TrainCommand;
import org.teachlearn.msgs.sensor_msgs.JointState;
import org.teachlearn.msgs.std_msgs.Float64MultiArray;
import org.teachlearn.msgs.teach_learn.DemoInfo;
import org.teachlearn.msgs.teach_learn.TaskState;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectory;
import org.teachlearn.msgs.trajectory_msgs.JointTrajectoryPoint;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.ros.bag.BagWriter;

/**
 * {@code train --bags} on bags whose content is known: a drag-teaching bag is labelled with its
 * own motion one control period later (inverse-dynamics labels), sampled at the control period
 * whatever the recording rate; recorded commands are mapped from the controller's joint order,
 * trajectories read where they ask the arm to be one period later; failed bags are skipped unless
 * asked, bags without demo/info warned about, unusable ones skipped with the reason, and a
 * summary line printed for every bag.
 */
class BagDemosTest {

    static final double P = 0.01;
    static final double EPS = 1e-9;

    @TempDir
    Path dir;

    record Read(Dataset data, String log) { }

    static Read read(Path where, boolean includeFailed, String... commandOrder) throws Exception {
        return read(where, includeFailed, P, commandOrder);
    }

    static Read read(Path where, boolean includeFailed, double lookahead, String... commandOrder) throws Exception {
        PolicyLayout layout = ExpertBagsOverRosTest.layout();
        String[] order = commandOrder.length > 0 ? commandOrder : layout.armJoints();
        DemoSpec spec = new DemoSpec(layout, order, ArmLayout.TEACH_ARM.gripper(), DemoSpec.Topics.DEFAULT);
        Dataset data = new Dataset(layout.observationSize(), layout.actions());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Demonstrations.addTo(data, new BagDemos(), new Demonstrations.Request(where, spec, "reach", P, lookahead, DemoSampler.Labels.AUTO, includeFailed,
                    DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
        } finally {
            System.out.print(out.toString(StandardCharsets.UTF_8));
        }
        return new Read(data, out.toString(StandardCharsets.UTF_8));
    }

    /** Sample k of {@code data}: its observation and its target u. */
    static double[] row(double[] all, int k, int width) {
        return Arrays.copyOfRange(all, k * width, (k + 1) * width);
    }

    @Test
    void aDragTeachBagIsLabelledWithItsMotionOneControlPeriodLater() throws Exception {
        SyntheticBag bag = new SyntheticBag();
        bag.armCommands = true;   // drag_teach's own commands are not what the person demonstrated
        Read r = read(bag.write(dir.resolve("drag.bag")), false);
        Dataset d = r.data();
        // readings over 2 s at 1 kHz; samples every 10 ms; the last has no reading one period later
        assertEquals(199, d.size(), r.log());
        for (int k = 0; k < d.size(); k++) {
            double tau = k * P;
            double[] obs = row(d.observations(), k, d.obsDim()), u = row(d.targets(), k, d.actDim());
            for (int j = 0; j < 7; j++) {
                assertEquals(SyntheticBag.position(j, tau), obs[j], EPS, "sample " + k + " position " + j);
                assertEquals(SyntheticBag.VELOCITY[j], obs[7 + j], EPS);
                // the position one period later as the target, relative to now, in units of ARM_STEP
                assertEquals((SyntheticBag.position(j, tau + P) - SyntheticBag.position(j, tau)) / PolicyLayout.ARM_STEP, u[j], 1e-7,
                        "sample " + k + " joint " + j);
            }
            assertEquals(SyntheticBag.opening(tau), obs[14], EPS);
            assertArrayEquals(SyntheticBag.GOAL, Arrays.copyOfRange(obs, 15, 18), EPS);
            // no gripper command recorded: the opening one period later, absolute (centre 0.02 m, half range 0.02 m)
            assertEquals((SyntheticBag.opening(tau + P) - 0.02) / 0.02, u[7], 1e-7);
        }
        assertTrue(r.log().matches("(?s).*drag\\.bag +drag_teach +reach +2\\.0 s +199 +used: labels from motion\n.*"), r.log());
    }

    @Test
    void motionLabelsLookFurtherAheadWhenAsked() throws Exception {
        Read r = read(new SyntheticBag().write(dir.resolve("ahead.bag")), false, 0.05);
        Dataset d = r.data();
        assertEquals(195, d.size(), "the last 5 readings have no position 50 ms later: " + r.log());
        for (int k = 0; k < d.size(); k++) {
            for (int j = 0; j < 7; j++) assertEquals(SyntheticBag.VELOCITY[j] * 0.05 / PolicyLayout.ARM_STEP, d.targets()[k * 8 + j], 1e-7);
        }
    }

    @Test
    void aDragTeachBagsGripperLabelIsTheCommandedOpeningWhenRecorded() throws Exception {
        SyntheticBag bag = new SyntheticBag();
        bag.gripperCommands = true;
        Dataset d = read(bag.write(dir.resolve("drag-grip.bag")), false).data();
        assertEquals(199, d.size());
        for (int k = 0; k < d.size(); k++) {
            assertEquals((SyntheticBag.gripperCommand(k * P) - 0.02) / 0.02, d.targets()[k * d.actDim() + 7], EPS, "sample " + k);
        }
    }

    @Test
    void samplesAreTakenAtTheControlPeriodWhateverTheRecordingRate() throws Exception {
        Dataset base = null;
        for (double rate : new double[] {500, 1000, 2000}) {
            SyntheticBag bag = new SyntheticBag();
            bag.rate = rate;
            Dataset d = read(bag.write(dir.resolve("rate" + (int) rate + ".bag")), false).data();
            if (base == null) {
                base = d;
                continue;
            }
            assertEquals(base.size(), d.size(), rate + " Hz");
            assertArrayEquals(Arrays.copyOf(base.observations(), base.size() * base.obsDim()), Arrays.copyOf(d.observations(), d.size() * d.obsDim()), 1e-12);
            assertArrayEquals(Arrays.copyOf(base.targets(), base.size() * base.actDim()), Arrays.copyOf(d.targets(), d.size() * d.actDim()), 1e-7);
        }
    }

    @Test
    void aJitteryRecordingAtTheControlRateGetsTheMotionAtExactlyOnePeriodLater() throws Exception {
        SyntheticBag bag = new SyntheticBag();
        bag.rate = 100;
        bag.jitter = 0.003;   // a real-time loop's stamps: ±3 ms around each 10 ms tick
        Read r = read(bag.write(dir.resolve("jitter.bag")), false);
        Dataset d = r.data();
        assertTrue(d.size() >= 150 && d.size() <= 199, d.size() + " samples of 200 readings: " + r.log());
        for (int k = 0; k < d.size(); k++) {
            for (int j = 0; j < 7; j++) {
                assertEquals(SyntheticBag.VELOCITY[j] * P / PolicyLayout.ARM_STEP, d.targets()[k * 8 + j], 1e-6, "sample " + k + " joint " + j);
            }
            assertEquals(-0.01 * P / 0.02, d.targets()[k * 8 + 7] - (d.observations()[k * d.obsDim() + 14] - 0.02) / 0.02, 1e-6, "sample " + k + " gripper");
        }
    }

    @Test
    void aRecordingSlowerThanTheControlPeriodSamplesEachReadingOnceWithAWarning() throws Exception {
        SyntheticBag bag = new SyntheticBag();
        bag.rate = 50;
        Read r = read(bag.write(dir.resolve("slow.bag")), false);
        assertEquals(99, r.data().size(), "100 readings at 50 Hz, the last without one 10 ms later (it has one 20 ms later)");
        assertTrue(r.log().contains("warning: slow.bag: joint_states came every 20.0 ms, slower than the control period (10.0 ms)"), r.log());
    }

    @Test
    void failedBagsAreSkippedUnlessAskedBagsWithoutInfoAreWarnedAndEveryBagIsSummarised() throws Exception {
        Path demos = Files.createDirectories(dir.resolve("demos"));
        new SyntheticBag().write(demos.resolve("a-good.bag"));
        SyntheticBag failed = new SyntheticBag();
        failed.success = false;
        failed.write(demos.resolve("b-failed.bag"));
        SyntheticBag bare = new SyntheticBag();
        bare.info = false;
        bare.write(demos.resolve("c-rosbag-record.bag"));
        SyntheticBag pick = new SyntheticBag();
        pick.task = "pick_place";
        pick.write(demos.resolve("d-pick.bag"));
        Read r = read(demos, false);
        String log = r.log();
        assertEquals(2 * 199, r.data().size(), log);
        assertTrue(log.contains("a-good.bag") && log.contains("used: labels from motion"), log);
        assertTrue(log.matches("(?s).*b-failed\\.bag +drag_teach +reach +2\\.0 s +- +skipped: demo/info says it failed \\(--include-failed uses it\\).*"), log);
        assertTrue(log.matches("(?s).*c-rosbag-record\\.bag +\\(no info\\) +\\? +2\\.0 s +199 +used: labels from motion; no demo/info.*") && log.contains("warning: c-rosbag-record.bag: no demo/info (recorded by rosbag record?): "
                + "counted as successful, labelled from the motion"), log);
        assertTrue(log.matches("(?s).*d-pick\\.bag +drag_teach +pick_place .*skipped: a pick_place demonstration; training reach.*"), log);
        assertTrue(log.contains("used 2 of 4 recordings, 398 samples"), log);
        Read all = read(demos, true);
        assertEquals(3 * 199, all.data().size(), all.log());
        assertTrue(all.log().contains("used: labels from motion; failed, included"), all.log());
    }

    @Test
    void unusableBagsAreSkippedWithTheReasonAndTheOthersUsed() throws Exception {
        Path demos = Files.createDirectories(dir.resolve("mixed"));
        Path good = new SyntheticBag().write(demos.resolve("good.bag"));
        Files.write(demos.resolve("garbage.bag"), "not a bag at all".getBytes(StandardCharsets.UTF_8));
        byte[] whole = Files.readAllBytes(good);
        Files.write(demos.resolve("torn.bag"), Arrays.copyOf(whole, whole.length / 2));   // its writer died: no index
        Files.write(demos.resolve("live.bag.active"), Arrays.copyOf(whole, 4096));
        Files.write(demos.resolve("good.orig.bag"), Arrays.copyOf(whole, 100));   // what bag reindex kept: not a demonstration
        SyntheticBag lacking = new SyntheticBag();
        lacking.names = new String[] {"arm_joint1", "arm_joint2", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7", "finger_left_joint"};
        lacking.write(demos.resolve("no-joint3.bag"));
        try (BagWriter w = new BagWriter(demos.resolve("no-joints.bag"), BagWriter.Compression.NONE)) {
            int ts = w.connection("/task/state", TaskState.TYPE, "/sim_arm", false);
            w.write(ts, SyntheticBag.START, new TaskState());
        }
        Read r = read(demos, false);
        String log = r.log();
        assertEquals(199, r.data().size(), log);
        assertTrue(log.matches("(?s).*garbage\\.bag .*skipped: cannot read it: .*"), log);
        assertTrue(log.matches("(?s).*torn\\.bag .*skipped: cannot read it: .*run ./teach_learn bag reindex \\S*torn\\.bag\n.*"), log);
        assertTrue(log.matches("(?s).*live\\.bag\\.active .*skipped: still being recorded, or its recorder died: run ./teach_learn bag reindex .*"), log);
        assertTrue(log.matches("(?s).*no-joint3\\.bag .*skipped: no usable /joint_states message: joint 'arm_joint3' is not in joint_states.*"), log);
        assertTrue(log.matches("(?s).*no-joints\\.bag .*skipped: no /joint_states in it \\(topics: /task/state; --joint-states-topic names another\\).*"), log);
        assertTrue(!log.contains("good.orig.bag"), log);
        assertTrue(log.contains("used 1 of 6 recordings, 199 samples"), log);
    }

    @Test
    void ofSeveralEpisodesInOneBagFailedOnesAndTheIncompleteLastAreLeftOutAndNoLabelCrossesAReset() throws Exception {
        Path file = dir.resolve("episodes.bag");
        try (BagWriter w = new BagWriter(file, BagWriter.Compression.NONE)) {
            int js = w.connection("/joint_states", JointState.TYPE, "/sim_arm", false);
            int ts = w.connection("/task/state", TaskState.TYPE, "/sim_arm", false);
            JointState j = new JointState();
            j.name = SyntheticBag.JOINTS;
            j.position = new double[9];
            j.velocity = new double[9];
            TaskState s = new TaskState();
            s.goal = SyntheticBag.GOAL.clone();
            for (int k = 0; k < 120; k++) {   // episode 1: 0–49 succeeds; 2: 50–99 fails; 3: 100–119 is cut off
                long stamp = k * 10_000_000L;   // a simulated clock from 0
                int episode = 1 + k / 50;
                for (int i = 0; i < 7; i++) j.position[i] = SyntheticBag.position(i, (k % 50) * P) + 0.1 * episode;   // each reset jumps
                j.header.stamp.setNanos(stamp);
                s.header.stamp.setNanos(stamp);
                s.episode = episode;
                s.done = k == 49 || k == 99;
                s.success = k == 49;
                s.truncated = k == 99;
                w.write(js, SyntheticBag.START + k * 600_000L, j);   // lockstep: faster than real time
                w.write(ts, SyntheticBag.START + k * 600_000L + 1000, s);
            }
        }
        Read r = read(file, false);
        assertEquals(49, r.data().size(), r.log());
        assertTrue(r.log().contains("used: labels from motion; no demo/info; 3 episodes, 1 failed skipped (--include-failed uses them), 1 incomplete skipped"),
                r.log());
        Read all = read(file, true);
        assertEquals(98, all.data().size(), all.log());
        for (int k = 0; k < all.data().size(); k++) {
            for (int jn = 0; jn < 7; jn++) {
                assertEquals(SyntheticBag.VELOCITY[jn] * P / PolicyLayout.ARM_STEP, all.data().targets()[k * 8 + jn], 1e-7, "sample " + k + ": no jump across a reset");
            }
        }
    }

    @Test
    void anEmptyFolderOrNothingUsableIsAClearError() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(empty, false));
        assertTrue(e.getMessage().startsWith("--bags: no .bag files in " + empty.toAbsolutePath()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read(dir.resolve("nowhere"), false));
        assertTrue(e.getMessage().startsWith("--bags: no file or folder "), e.getMessage());
        Path bad = Files.createDirectories(dir.resolve("bad"));
        SyntheticBag failed = new SyntheticBag();
        failed.success = false;
        failed.write(bad.resolve("failed.bag"));
        Files.write(bad.resolve("garbage.bag"), new byte[] {1, 2, 3});
        e = assertThrows(IllegalArgumentException.class, () -> read(bad, false));
        assertEquals("no usable demonstration in " + bad + " (2 recordings read; the summary above says why each was skipped)", e.getMessage());
    }

    /** An expert-style bag at 100 Hz: commands answer each reading; what {@code command} writes after reading k. */
    interface Commands {
        void write(BagWriter w, long recordedAt, double tau) throws Exception;
    }

    Path commanded(String name, String source, Commands commands) throws Exception {
        Path file = dir.resolve(name);
        try (BagWriter w = new BagWriter(file, BagWriter.Compression.LZ4)) {
            int js = w.connection("/joint_states", JointState.TYPE, "/driver", false);
            int ts = w.connection("/task/state", TaskState.TYPE, "/task", false);
            JointState j = new JointState();
            j.name = SyntheticBag.JOINTS;
            j.position = new double[9];
            j.velocity = new double[9];
            TaskState s = new TaskState();
            s.goal = SyntheticBag.GOAL.clone();
            for (int k = 0; k < 100; k++) {
                long stamp = SyntheticBag.START + k * 10_000_000L;
                double tau = k * P;
                for (int i = 0; i < 7; i++) j.position[i] = SyntheticBag.position(i, tau);
                j.position[7] = j.position[8] = 0.01;
                j.header.stamp.setNanos(stamp);
                s.header.stamp.setNanos(stamp);
                w.write(js, stamp + 100_000, j);
                w.write(ts, stamp + 150_000, s);
                commands.write(w, stamp + 2_000_000, tau);   // answered 2 ms later
            }
            int di = w.connection("/demo/info", DemoInfo.TYPE, "/recorder", true);
            DemoInfo info = new DemoInfo();
            info.task = "reach";
            info.source = source;
            info.success = true;
            w.write(di, SyntheticBag.START, info);
        }
        return file;
    }

    @Test
    void aBagWithTheDemoInfoOfBefore04IsReadWithItsVerdict() throws Exception {
        // 0.4 added interventions and the teleop latency at DemoInfo's end: bags recorded before still count
        SyntheticBag succeeded = new SyntheticBag();
        succeeded.infoBefore04 = true;
        Read r = read(succeeded.write(dir.resolve("old-info.bag")), false);
        assertEquals(199, r.data().size(), r.log());
        assertFalse(r.log().contains("another definition"), r.log());
        SyntheticBag failed = new SyntheticBag();
        failed.infoBefore04 = true;
        failed.success = false;
        Path old = failed.write(dir.resolve("old-info-failed.bag"));
        // the 0.3 verdict (failed) is read: without --include-failed the only bag is left out
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> read(old, false));
        assertTrue(e.getMessage().contains("no usable demonstration"), e.getMessage());
        assertEquals(199, read(old, true).data().size(), "with failed demonstrations included it counts");
    }

    @Test
    void recordedCommandsAreMappedFromTheControllersJointOrder() throws Exception {
        String[] reversed = {"arm_joint7", "arm_joint6", "arm_joint5", "arm_joint4", "arm_joint3", "arm_joint2", "arm_joint1"};
        int[] conn = new int[2];
        Path bag = commanded("teleop.bag", "vr_teleop", (w, at, tau) -> {
            if (conn[0] == 0) {
                conn[0] = w.connection("/arm_controller/command", Float64MultiArray.TYPE, "/vr_teleop", false) + 1;
                conn[1] = w.connection("/gripper_controller/command", Float64MultiArray.TYPE, "/vr_teleop", false) + 1;
            }
            Float64MultiArray m = new Float64MultiArray();
            m.data = new double[7];
            for (int i = 0; i < 7; i++) {
                int j = 6 - i;   // the controller lists the joints backwards
                m.data[i] = SyntheticBag.position(j, tau) + 0.01 * (j + 1);
            }
            w.write(conn[0] - 1, at, m);
            m.data = new double[] {0.03};
            w.write(conn[1] - 1, at, m);
        });
        Read r = read(bag, false, reversed);
        Dataset d = r.data();
        assertEquals(100, d.size(), "every reading, each labelled with the command recorded after it: " + r.log());
        for (int k = 0; k < d.size(); k++) {
            for (int j = 0; j < 7; j++) assertEquals(0.1 * (j + 1), d.targets()[k * 8 + j], 1e-7, "sample " + k + " joint " + j);
            assertEquals(0.5, d.targets()[k * 8 + 7], EPS);
        }
        assertTrue(r.log().contains("used: labels from commands"), r.log());
    }

    @Test
    void aTrajectoryCommandLabelsWhereItAsksTheArmToBeOnePeriodLater() throws Exception {
        int[] conn = {-1};
        Path bag = commanded("trajectory.bag", "expert", (w, at, tau) -> {
            if (conn[0] < 0) conn[0] = w.connection("/arm_controller/command", JointTrajectory.TYPE, "/policy_server", false);
            JointTrajectory t = new JointTrajectory();
            t.joint_names = new String[] {"arm_joint3", "arm_joint1", "arm_joint2", "arm_joint4", "arm_joint5", "arm_joint6", "arm_joint7"};
            t.points = new JointTrajectoryPoint[2];
            for (int p = 0; p < 2; p++) {
                t.points[p] = new JointTrajectoryPoint();
                t.points[p].positions = new double[7];
                for (int i = 0; i < 7; i++) {
                    int j = Integer.parseInt(t.joint_names[i].substring("arm_joint".length())) - 1;
                    t.points[p].positions[i] = SyntheticBag.position(j, tau) + 0.04 * p;   // +4 cm·rad over 20 ms
                }
                t.points[p].time_from_start = org.teachlearn.ros.message.Duration.ofNanos(p * 20_000_000L);
            }
            w.write(conn[0], at, t);
        });
        Read r = read(bag, false);
        Dataset d = r.data();
        assertEquals(100, d.size(), r.log());
        for (int k = 0; k < d.size(); k++) {
            for (int j = 0; j < 7; j++) assertEquals(0.2, d.targets()[k * 8 + j], 1e-7, "halfway along the trajectory at one period: sample " + k);
            assertEquals((0.01 - 0.02) / 0.02, d.targets()[k * 8 + 7], EPS, "no gripper command: it keeps its opening");
        }
    }

    @Test
    void trainBcAndDaggerStartFromBags() throws Exception {
        System.setProperty("teachlearn.home", ExpertBagsOverRosTest.ROOT.toString());
        Path demos = Files.createDirectories(dir.resolve("train"));
        new SyntheticBag().write(demos.resolve("one.bag"));
        Path bc = dir.resolve("bc"), dagger = dir.resolve("dagger");
        // one sample per reading, as sampled: no perturbed copies or hindsight goals, the target one period ahead in time
        TrainCommand.train(List.of("bc", "--bags", demos.toString(), "--epochs", "3", "--eval-episodes", "2", "--out", bc.toString(),
                "--path-lookahead", "0", "--motion-lookahead", "0.01", "--state-copies", "0", "--hindsight-goals", "0"), new BagDemos());
        assertTrue(Files.readString(bc.resolve("summary.txt")).startsWith("bc on reach: 199 expert labels"), Files.readString(bc.resolve("summary.txt")));
        // the defaults for motion labels: each of the 200 samples (every one but the done state's: the target 0.2 rad
        // along the path, or where the episode ends), twice perturbed, and with two hindsight goals (each also perturbed twice)
        Path defaults = dir.resolve("bc-defaults");
        TrainCommand.train(List.of("bc", "--bags", demos.toString(), "--epochs", "1", "--eval-episodes", "1", "--out", defaults.toString()), new BagDemos());
        assertTrue(Files.readString(defaults.resolve("summary.txt")).startsWith("bc on reach: 1800 expert labels"), Files.readString(defaults.resolve("summary.txt")));
        assertTrue(Checkpoint.settings(defaults.resolve("checkpoint.bin")).get("velocities").equals("ignore"), "velocities ignored, in the checkpoint");
        TrainCommand.train(List.of("dagger", "--bags", demos.toString(), "--labels", "400", "--iterations", "1", "--epochs", "2", "--envs", "2",
                "--eval-episodes", "2", "--out", dagger.toString()), new BagDemos());
        String summary = Files.readString(dagger.resolve("summary.txt"));
        assertTrue(summary.startsWith("dagger on reach: ") && Integer.parseInt(summary.split(" ")[3]) > 199, summary);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainCommand.train(List.of("bc", "--bags", demos.toString())));
        assertTrue(e.getMessage().contains("no bag reader"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainCommand.train(List.of("bc", "--bags", demos.toString(), "--arm-command-topic",
                "/joint_states", "--out", dir.resolve("x").toString()), new BagDemos()));
        assertTrue(e.getMessage().startsWith("the demonstration topics must be six different names"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainCommand.train(List.of("ppo", "--bags", demos.toString()), new BagDemos()));
        assertTrue(e.getMessage().startsWith("--bags gives demonstrations to bc, dagger, sac, td3 and ddpg, not ppo"), e.getMessage());
    }
}
