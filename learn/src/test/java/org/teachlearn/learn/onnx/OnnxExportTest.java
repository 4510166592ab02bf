package org.teachlearn.learn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.learn.LearnFixtures;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.nn.Parameter;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.policy.GaussianMixture;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.policy.MixturePolicy;
import org.teachlearn.learn.policy.RunningNorm;
import org.teachlearn.learn.policy.SquashedGaussianActor;
import org.teachlearn.learn.policy.TwinQ;
import org.teachlearn.learn.algo.Sac;

/**
 * An exported policy runs in ONNX Runtime (through DJL, as the policy server runs it) and gives
 * our forward pass's action, log σ and value within 1e-5; Debian's python3-onnx accepts the file
 * and reads the layout from its metadata.
 */
class OnnxExportTest {

    @TempDir
    Path dir;

    @Test
    void onnxRuntimeGivesOurOutputsAndTheCheckerAcceptsTheFile() throws Exception {
        Rng rng = new Rng(3);
        GaussianPolicy policy = new GaussianPolicy(LearnFixtures.reachLayout(), GaussianPolicy.Shape.of(64, 2), rng);
        for (Parameter p : policy.parameters()) for (int i = 0; i < p.size(); i++) p.value().data[i] += 0.2 * rng.nextGaussian();
        int od = policy.layout().observationSize(), ad = policy.layout().actionSize(), rows = 200;
        double[] obs = new double[rows * od];
        for (int i = 0; i < obs.length; i++) obs[i] = rng.nextGaussian() * (1 + (i % od)) * 0.3;
        policy.norm().update(obs, rows / 2);   // statistics from half, so the other half also exercises the ±10 clip
        for (int i = 0; i < od; i++) obs[(rows - 1) * od + i] = 1e3;

        Path file = dir.resolve("policy.onnx");
        String sha = PolicyExport.write(PolicyExport.toOnnx(policy, "ppo", 42, 0.05, true), file);
        assertEquals(PolicyExport.sha256(Files.readAllBytes(file)), sha);

        DMatrixRMaj in = DMatrixRMaj.wrap(rows, od, obs), u = new DMatrixRMaj(1, 1), command = new DMatrixRMaj(1, 1);
        double[] values = new double[rows];
        policy.act(in, true, rng, u, command, null, values);

        java.util.Map<String, float[]> out = runOnnx(file, obs, rows, od, "action", "log_std", "value");
        close("action", command.data, out.get("action"), rows * ad);
        close("value", values, out.get("value"), rows);
        double[] expectedLogStd = new double[ad];
        for (int j = 0; j < ad; j++) expectedLogStd[j] = policy.logStd().value().data[j] + Math.log(policy.layout().actions().scale()[j]);
        close("log_std", expectedLogStd, out.get("log_std"), ad);

        String report = LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/onnx_check.py"), file.toString());
        for (String expected : new String[] {"opset=17", "input.obs=batchx18", "output.action=batchx8", "output.log_std=8",
            "output.value=batchx1", "meta.algorithm=ppo", "meta.version=42", "meta.task=reach",
            "meta.joint_names=arm_joint1,arm_joint2,arm_joint3,arm_joint4,arm_joint5,arm_joint6,arm_joint7",
            "meta.observation=position/arm_joint1,", "meta.control_period=0.05", "meta.action_low=", "meta.action_high="}) {
            assertTrue(report.contains(expected), "onnx report lacks '" + expected + "':\n" + report);
        }
    }

    @Test
    void aSquashedActorExportsItsTanhMeanAndRunsInOnnxRuntime() throws Exception {
        Rng rng = new Rng(9);
        org.teachlearn.learn.policy.PolicyLayout layout = LearnFixtures.reachLayout();
        int od = layout.observationSize(), ad = layout.actionSize(), rows = 100;
        SquashedGaussianActor actor = new SquashedGaussianActor(layout, new RunningNorm(od), new int[] {64, 64}, Activation.TANH, rng);
        for (Parameter p : actor.net().parameters()) for (int i = 0; i < p.size(); i++) p.value().data[i] += 0.3 * rng.nextGaussian();
        double[] obs = new double[rows * od];
        for (int i = 0; i < obs.length; i++) obs[i] = rng.nextGaussian() * (1 + (i % od)) * 0.3;
        actor.norm().update(obs, rows);
        Path file = dir.resolve("sac.onnx");
        Sac sac = new Sac(actor, new TwinQ(od, ad, new int[] {8}, Activation.TANH, rng), Sac.Config.defaults());
        double[] logStd = sac.commandLogStd();
        PolicyExport.write(PolicyExport.toOnnxSquashed(layout, actor.norm(), actor.net(), logStd, "sac", 7, 0.05), file);

        double[] obsN = new double[rows * od], u = new double[rows * ad], command = new double[rows * ad];
        actor.norm().normalise(obs, obsN, rows);
        actor.mean(DMatrixRMaj.wrap(rows, od, obsN), u);
        int saturated = 0;
        for (int r = 0; r < rows; r++) layout.actions().command(obs, od, u, r, command, r * ad);
        for (double v : u) if (Math.abs(v) > 0.99) saturated++;
        assertTrue(saturated > 0 && saturated < u.length, "some outputs should be squashed near ±1, not all: " + saturated);
        java.util.Map<String, float[]> out = runOnnx(file, obs, rows, od, "action", "log_std");
        close("squashed action", command, out.get("action"), rows * ad);
        close("log_std", logStd, out.get("log_std"), ad);
        String report = LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/onnx_check.py"), file.toString());
        for (String expected : new String[] {"output.action=batchx8", "output.log_std=8", "meta.algorithm=sac", "meta.squash=tanh"}) {
            assertTrue(report.contains(expected), "onnx report lacks '" + expected + "':\n" + report);
        }
    }

    @Test
    void aMixturePolicyExportsEveryComponentAndTheMostLikelyAsItsAction() throws Exception {
        Rng rng = new Rng(13);
        org.teachlearn.learn.policy.PolicyLayout layout = LearnFixtures.reachLayout();
        int od = layout.observationSize(), ad = layout.actionSize(), rows = 120, k = 4;
        MixturePolicy policy = new MixturePolicy(layout, k, new int[] {32, 32}, Activation.TANH, rng);
        for (Parameter p : policy.parameters()) for (int i = 0; i < p.size(); i++) p.value().data[i] += 0.2 * rng.nextGaussian();
        double[] obs = new double[rows * od];
        for (int i = 0; i < obs.length; i++) obs[i] = rng.nextGaussian() * (1 + (i % od)) * 0.3;
        policy.norm().update(obs, rows);
        Path file = dir.resolve("mixture.onnx");
        PolicyExport.write(PolicyExport.toOnnxMixture(policy, "bc", 3, 0.01), file);

        GaussianMixture mixture = policy.mixture();
        DMatrixRMaj out = policy.forward(DMatrixRMaj.wrap(rows, od, obs));
        double[] logits = new double[rows * k], means = new double[rows * k * ad], logStd = new double[rows * k * ad];
        double[] action = new double[rows * ad], actionLogStd = new double[rows * ad], weights = new double[k], u = new double[rows * ad];
        int[] chosen = new int[k];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(out.data, r * out.numCols, logits, r * k, k);
            mixture.weights(out.data, r, weights);
            int best = 0;
            for (int c = 0; c < k; c++) {
                if (weights[c] > weights[best]) best = c;
                mixture.mean(out.data, r, c, u, r * ad);   // command() reads row r of u beside row r of obs
                layout.actions().command(obs, od, u, r, means, (r * k + c) * ad);
                for (int j = 0; j < ad; j++) {
                    logStd[(r * k + c) * ad + j] = Math.log(mixture.std(out.data, r, c, j) * layout.actions().scale()[j]);
                }
            }
            chosen[best]++;
            System.arraycopy(means, (r * k + best) * ad, action, r * ad, ad);
            System.arraycopy(logStd, (r * k + best) * ad, actionLogStd, r * ad, ad);
        }
        int components = 0;
        for (int c : chosen) if (c > 0) components++;
        assertTrue(components >= 2, "the case should make more than one component the most likely somewhere: " + java.util.Arrays.toString(chosen));
        java.util.Map<String, float[]> onnx = runOnnx(file, obs, rows, od, "gmm_logits", "gmm_mean", "gmm_log_std", "action", "log_std");
        close("gmm_logits", logits, onnx.get("gmm_logits"), rows * k);
        close("gmm_mean", means, onnx.get("gmm_mean"), rows * k * ad);
        close("gmm_log_std", logStd, onnx.get("gmm_log_std"), rows * k * ad);
        close("action (the most likely component's mean)", action, onnx.get("action"), rows * ad);
        close("log_std (the most likely component's)", actionLogStd, onnx.get("log_std"), rows * ad);
        // policy_server's own runtime takes it as any model: one command per tick, the most likely component's
        try (org.teachlearn.learn.serve.OnnxPolicy served = new org.teachlearn.learn.serve.OnnxPolicy(Files.readAllBytes(file), null)) {
            assertEquals(1, served.chunk());
            double[] one = new double[od], command = new double[ad];
            for (int r = 0; r < rows; r += 17) {
                System.arraycopy(obs, r * od, one, 0, od);
                served.act(one, command);
                for (int j = 0; j < ad; j++) assertEquals(action[r * ad + j], command[j], 1e-5, "served action, row " + r);
            }
        }
        String report = LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/onnx_check.py"), file.toString());
        for (String expected : new String[] {"output.action=batchx8", "output.gmm_mean=batchx4x8", "output.gmm_logits=batchx4", "meta.head=mixture",
            "meta.components=4"}) {
            assertTrue(report.contains(expected), "onnx report lacks '" + expected + "':\n" + report);
        }
    }

    @Test
    void ignoredVelocitiesChangeNothingHereOrInTheExportedModel() throws Exception {
        Rng rng = new Rng(5);
        GaussianPolicy policy = new GaussianPolicy(LearnFixtures.reachLayout(), GaussianPolicy.Shape.of(64, 2), rng);
        for (Parameter p : policy.parameters()) for (int i = 0; i < p.size(); i++) p.value().data[i] += 0.2 * rng.nextGaussian();
        int od = policy.layout().observationSize(), ad = policy.layout().actionSize(), n = policy.layout().armJoints().length, rows = 2;
        for (int j = 0; j < n; j++) policy.norm().ignore(n + j);
        double[] obs = new double[rows * od];
        for (int i = 0; i < od; i++) obs[i] = rng.nextGaussian() * 0.3;
        System.arraycopy(obs, 0, obs, od, od);
        for (int j = 0; j < n; j++) obs[od + n + j] = 3 * rng.nextGaussian();   // row 1: other velocities, all else the same
        DMatrixRMaj in = DMatrixRMaj.wrap(rows, od, obs), u = new DMatrixRMaj(1, 1), command = new DMatrixRMaj(1, 1);
        policy.act(in, true, rng, u, command, null, null);
        for (int j = 0; j < ad; j++) assertEquals(command.data[j], command.data[ad + j], 0, "our forward pass ignores the velocities");

        Path file = dir.resolve("ignoring.onnx");
        PolicyExport.write(PolicyExport.toOnnx(policy, "bc", 1, 0.01, false), file);
        float[] action = runOnnx(file, obs, rows, od, "action").get("action");
        close("action", command.data, action, rows * ad);
        for (int j = 0; j < ad; j++) assertEquals(action[j], action[ad + j], 0, "the model ignores the velocities");
        String report = LearnFixtures.python(LearnFixtures.root().resolve("learn/src/test/python/onnx_check.py"), file.toString());
        assertTrue(report.contains("meta.observation_ignored=velocity/arm_joint1,velocity/arm_joint2"), report);
    }

    /** Runs the model in ONNX Runtime through DJL, as the policy server does; the named outputs. */
    private static java.util.Map<String, float[]> runOnnx(Path file, double[] obs, int rows, int od, String... outputs) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(file)
                .optEngine("OnnxRuntime").build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel(); Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = NDManager.newBaseManager("OnnxRuntime")) {
            float[] x = new float[obs.length];
            for (int i = 0; i < x.length; i++) x[i] = (float) obs[i];
            NDArray input = manager.create(x, new ai.djl.ndarray.types.Shape(rows, od));
            input.setName("obs");
            NDList out = predictor.predict(new NDList(input));
            java.util.Map<String, float[]> named = new java.util.HashMap<>();
            for (String o : outputs) named.put(o, named(out, o).toFloatArray());
            return named;
        }
    }

    private static NDArray named(NDList list, String name) {
        NDArray a = list.get(name);
        if (a == null) fail("ONNX Runtime gave no output '" + name + "' (outputs: " + list.getShapes() + ")");
        return a;
    }

    private static void close(String what, double[] expected, float[] actual, int n) {
        assertEquals(n, actual.length, what + ": length");
        double worst = 0;
        for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= 1e-5, what + ": ONNX Runtime differs from our forward pass by up to " + worst);
    }
}
