package org.teachlearn.learn.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.DiagonalGaussian;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.robot.control.CommandLimits;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * The policy tick's safe-action pipeline on a real ONNX Runtime session: what it sends never
 * leaves the limits or the step limit, the log-probability is the density of the action the
 * policy sampled (not of the limited command), a non-finite action is never a command, and the
 * pipeline adds no allocation to the model's own.
 */
class SafeActionTest {

    static byte[] model;
    static RobotModel robot;
    static PolicyLayout layout;

    @BeforeAll
    static void aModel() throws Exception {
        PolicySlotTest.djlCreatesTheEnvironment();
        layout = LearnFixtures.reachLayout();
        GaussianPolicy p = new GaussianPolicy(layout, GaussianPolicy.Shape.of(256, 2), new Rng(4));
        model = PolicyExport.toOnnx(p, "test", 1, 0.01);
        robot = LearnFixtures.arm();
    }

    private static SafeAction pipeline(OnnxPolicy m, boolean stochastic) {
        return pipeline(m, stochastic, false);
    }

    private static SafeAction pipeline(OnnxPolicy m, boolean stochastic, boolean ensemble) {
        List<Joint> arm = new ArrayList<>();
        for (String n : m.info().jointNames()) arm.add(robot.joint(n));
        double[] maxStep = new double[arm.size()];
        for (int k = 0; k < maxStep.length; k++) maxStep[k] = arm.get(k).velocity() * 0.01;
        return new SafeAction(new CommandLimits(arm, ControlMode.POSITION), robot.joint(m.info().gripperJoint()), maxStep, stochastic, new Rng(9),
                ensemble, 0.01);
    }

    @Test
    void commandsStayInLimitsAndLogProbIsTheSampledActionsDensity() throws Exception {
        try (OnnxPolicy m = new OnnxPolicy(model, null)) {
            SafeAction safe = pipeline(m, true);
            int act = m.info().actDim(), arm = act - 1;
            double[] obs = new double[m.info().obsDim()], mean = new double[act], measured = new double[arm + 1];
            Rng rng = new Rng(1);
            int limited = 0;
            for (int t = 0; t < 500; t++) {
                for (int i = 0; i < obs.length; i++) obs[i] = 3 * (rng.nextDouble() - 0.5);
                System.arraycopy(obs, 0, measured, 0, arm + 1);
                if (t % 50 == 0) safe.restart();
                assertEquals(SafeAction.Outcome.COMMAND, safe.compute(m, obs, measured, null));
                m.act(obs, mean);
                double[] c = safe.command(), a = safe.sampled();
                assertEquals(DiagonalGaussian.logProb(a, mean, 0, m.logStd(), act), safe.logProb(), 1e-9);
                double[] from = safe.hasSent() ? safe.lastSent().clone() : measured;
                for (int j = 0; j < arm; j++) {
                    Joint jt = robot.joint(m.info().jointNames()[j]);
                    assertTrue(c[j] >= jt.lower() && c[j] <= jt.upper(), "joint " + j + " target " + c[j]);
                    boolean fromInside = from[j] >= jt.lower() && from[j] <= jt.upper();
                    if (fromInside) assertTrue(Math.abs(c[j] - from[j]) <= jt.velocity() * 0.01 + 1e-12, "joint " + j + " stepped " + (c[j] - from[j]));
                }
                if (!java.util.Arrays.equals(a, c)) limited++;
                safe.sent(c);
            }
            assertTrue(limited > 100, "only " + limited + " limited commands: the test would not tell sample from command");
        }
    }

    @Test
    void aNonFiniteActionIsNeverACommand() throws Exception {
        try (OnnxPolicy m = new OnnxPolicy(model, null)) {
            SafeAction safe = pipeline(m, false);
            double[] obs = new double[m.info().obsDim()], measured = new double[8];
            obs[0] = Double.NaN;   // NaN in, NaN out of the network
            assertEquals(SafeAction.Outcome.NOT_FINITE, safe.compute(m, obs, measured, null));
            assertTrue(!safe.hasSent());
        }
    }

    @Test
    void theTickAllocatesNothingBeyondTheModelsOwnRun() throws Exception {
        try (OnnxPolicy m = new OnnxPolicy(model, null)) {
            double[] obs = new double[m.info().obsDim()];
            double[] bytes = allocated(m, pipeline(m, true), obs, obs);
            System.out.printf("policy tick: ONNX Runtime's run %.1f B, the whole tick %.1f B per call%n", bytes[0], bytes[1]);
            assertTrue(bytes[1] - bytes[0] <= 0.1, "the pipeline allocates " + (bytes[1] - bytes[0]) + " B per tick beyond ORT's own");
        }
    }

    /**
     * Bytes per call of ONNX Runtime's own run of {@code m} on {@code input}, and of a whole tick of
     * {@code safe} on {@code obs}, both warmed up first (JIT, ORT's first runs): the round of three
     * with the least difference, as a one-off (code recompiled under load, ~5 kB once) can land in
     * one round, while an allocation per tick shows in every round.
     */
    private static double[] allocated(OnnxPolicy m, SafeAction safe, double[] obs, double[] input) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double[] out = new double[m.chunk() * m.info().actDim()], measured = new double[8];
        long id = Thread.currentThread().getId(), n = 20_000;
        for (int i = 0; i < n; i++) {
            m.act(input, out);
            safe.compute(m, obs, measured, null);
            safe.sent(safe.command());
        }
        double[] least = null;
        for (int round = 0; round < 3; round++) {
            long a0 = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < n; i++) m.act(input, out);
            long model = threads.getThreadAllocatedBytes(id) - a0;
            long a1 = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < n; i++) {
                safe.compute(m, obs, measured, null);
                safe.sent(safe.command());
            }
            long tick = threads.getThreadAllocatedBytes(id) - a1;
            double[] bytes = {model / (double) n, tick / (double) n};
            if (least == null || bytes[1] - bytes[0] < least[1] - least[0]) least = bytes;
        }
        return least;
    }

    /**
     * A model of the last H observations: each tick's observation is kept, the model sees them
     * stacked newest first as training stacked them, a restart (a new episode) forgets them, and
     * the tick still allocates nothing beyond ONNX Runtime's run.
     */
    @Test
    void aHistoryModelSeesTheStackedObservationsSinceTheEpisodeBegan() throws Exception {
        int h = 3, stride = 2;
        org.teachlearn.learn.policy.ChunkPolicy p = new org.teachlearn.learn.policy.ChunkPolicy(layout, 1, h, stride, new int[] {32, 32},
                org.teachlearn.learn.nn.Activation.named("tanh"), -1, new Rng(6));
        for (org.teachlearn.learn.nn.Parameter w : p.parameters()) for (int k = 0; k < w.value().data.length; k++) w.value().data[k] += 0.3 * Math.sin(k);
        int od = layout.observationSize(), ad = layout.actionSize();
        try (OnnxPolicy m = new OnnxPolicy(PolicyExport.toOnnxChunk(p, "test", 1, 0.01), null)) {
            assertEquals(h, m.history());
            assertEquals(stride, m.historyStride());
            SafeAction safe = pipeline(m, false);
            org.teachlearn.learn.policy.ObservationHistory mine = p.newHistory();
            double[] obs = new double[od], stacked = new double[h * od], ours = new double[ad], measured = new double[8];
            Rng rng = new Rng(2);
            for (int t = 0; t < 30; t++) {
                if (t == 17) {
                    safe.restart();
                    mine.reset();
                }
                for (int j = 0; j < od; j++) obs[j] = 0.3 * rng.nextGaussian();
                mine.push(obs, 0);
                mine.stacked(stacked, 0);
                p.act(org.ejml.data.DMatrixRMaj.wrap(1, h * od, stacked.clone()), ours);
                assertEquals(SafeAction.Outcome.COMMAND, safe.compute(m, obs, measured, null));
                org.junit.jupiter.api.Assertions.assertArrayEquals(ours, safe.sampled(), 1e-4, "tick " + t);
                safe.sent(safe.command());
            }
            double[] bytes = allocated(m, safe, obs, stacked);
            assertTrue(bytes[1] - bytes[0] <= 0.1, "the history pipeline allocates " + (bytes[1] - bytes[0]) + " B per tick beyond ORT's own");
        }
    }

    /**
     * A model whose gripper_command is binary sends the gripper fully open or fully closed, decided
     * on the ensembled output (an average of the chunks' votes is no command); the same network
     * exported continuous sends the openings between, so the check can tell the two apart.
     */
    @Test
    void aBinaryGripperIsSentOpenOrClosedAfterTheEnsemble() throws Exception {
        org.teachlearn.learn.policy.ChunkPolicy p = new org.teachlearn.learn.policy.ChunkPolicy(layout, 5, 1, 1, new int[] {32, 32},
                org.teachlearn.learn.nn.Activation.named("tanh"), -1, new Rng(8));
        for (org.teachlearn.learn.nn.Parameter w : p.parameters()) for (int k = 0; k < w.value().data.length; k++) w.value().data[k] += 0.3 * Math.sin(k);
        int ad = layout.actionSize(), g = ad - 1;
        double closed = layout.actions().low()[g], open = layout.actions().high()[g], mid = 0.5 * (closed + open);
        try (OnnxPolicy binary = new OnnxPolicy(PolicyExport.toOnnxChunk(p, "test", 1, 0.01, org.teachlearn.learn.policy.GripperCommand.BINARY), null);
                OnnxPolicy continuous = new OnnxPolicy(PolicyExport.toOnnxChunk(p, "test", 1, 0.01), null)) {
            assertEquals(org.teachlearn.learn.policy.GripperCommand.BINARY, binary.info().gripperCommand());
            assertEquals(org.teachlearn.learn.policy.GripperCommand.CONTINUOUS, continuous.info().gripperCommand());
            SafeAction two = pipeline(binary, false, true), any = pipeline(continuous, false, true);
            double[] obs = new double[layout.contractSize()], measured = new double[8];
            Rng rng = new Rng(5);
            int between = 0, opened = 0, shut = 0;
            for (int t = 0; t < 200; t++) {
                for (int j = 0; j < obs.length; j++) obs[j] = 0.5 * rng.nextGaussian();
                assertEquals(SafeAction.Outcome.COMMAND, two.compute(binary, obs, measured, null));
                assertEquals(SafeAction.Outcome.COMMAND, any.compute(continuous, obs, measured, null));
                double ensembled = two.sampled()[g], sent = two.command()[g];
                assertEquals(ensembled >= mid ? open : closed, sent, 0, "tick " + t + ": the ensembled " + ensembled + " sent as " + sent);
                assertEquals(ensembled, any.command()[g], 1e-6, "tick " + t + ": continuous sends the ensembled output");
                if (any.command()[g] > closed + 1e-4 && any.command()[g] < open - 1e-4) between++;
                if (sent == open) opened++;
                else shut++;
                two.sent(two.command());
                any.sent(any.command());
            }
            assertTrue(between > 20 && opened > 10 && shut > 10, between + " openings between, " + opened + " open, " + shut + " closed: the model "
                    + "would not tell a binary gripper from a continuous one");
        }
    }
}
