package org.teachlearn.learn.train;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.algo.BehaviourCloning;
import org.teachlearn.learn.algo.OffPolicyAlgorithm.ParameterGroup;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.demo.DemoSource;
import org.teachlearn.learn.env.Evaluation;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.GripperCommand;
import org.teachlearn.learn.policy.MixtureChoice;
import org.teachlearn.learn.policy.MixturePolicy;

/**
 * {@code train bc --head mixture}: behaviour cloning into a mixture of {@code --components}
 * Gaussians by its negative log-likelihood, from scripted demonstrations or {@code --bags}; evaluated
 * as the policy server runs it, one component's mean chosen by {@code --mixture}. Writes what
 * {@code train bc} writes; the checkpoint holds the mixture network in {@link OffPolicyCheckpoint}'s
 * layout of named parameter groups.
 */
final class MixtureCloning {

    static final String GROUP = "mixture";

    private MixtureCloning() {
    }

    static void run(Setup setup, Path out, DemoSource recordings, PrintStream log) throws Exception {
        Options o = setup.options;
        Rng rng = new Rng(o.longValue("seed"));
        MixtureChoice.Mode mode = MixtureChoice.Mode.named(o.get("mixture"));
        MixturePolicy policy = setup.mixturePolicy(rng);
        BehaviourCloning bc = new BehaviourCloning(policy, new BehaviourCloning.Config(BehaviourCloning.Loss.MIXTURE_NLL, o.number("lr"),
                o.integer("epochs"), o.integer("minibatch"), 1.0));
        CsvLog csv = new CsvLog(out.resolve("progress.csv"), ImitationTraining.COLUMNS);
        csv.open(false, 0);
        Dataset data = new Dataset(policy.layout().observationSize(), policy.layout().actions());
        int demos = o.has("bags") ? ImitationTraining.fromRecordings(setup, policy.layout(), policy.norm(), recordings, data, log)
                : ImitationTraining.demonstrate(setup.env(!o.flag("clean-demos")), o.integer("demos"), o.longValue("seed") * 1_000_003L,
                        o.number("demo-noise"), ImitationTraining.settleSteps(setup), data);
        ImitationTraining.addSymmetries(setup, policy.layout(), data, 0, log);
        log.printf(Locale.ROOT, "bc (mixture of %d): %d demonstrations, %d labelled states%n", policy.mixture().components(), demos, data.size());
        GripperCommand gripper = GripperChoice.resolve(o, policy.layout(), data, log);
        int epochs = o.integer("epochs");
        double loss = ImitationTraining.trainInSlices(bc, data, epochs, "nll", csv, log, rng, setup.options);
        Evaluation.Result result = Evaluation.run(setup.env(true), Evaluation.sending(controller(policy, mode, Setup.EVAL_SEED), policy.layout(), gripper),
                o.integer("eval-episodes"),
                Setup.EVAL_SEED);
        csv.row(epochs, data.size(), loss, result.successRate(), result.meanReturn());
        PolicyExport.write(PolicyExport.toOnnxMixture(policy, "bc", 1, setup.controlPeriod, gripper), out.resolve("policy.onnx"));
        Map<String, String> state = o.asMap();
        state.put("iteration", "1");
        state.put("labels", Integer.toString(data.size()));
        OffPolicyCheckpoint.save(out.resolve("checkpoint.bin"), state, List.of(new ParameterGroup(GROUP, policy.parameters(), bc.optimiser())),
                policy.norm(), rng, null);
        LearningCurve.plot(csv.file(), "iteration", "training epochs", new String[] {"eval_success_rate", "loss"},
                "bc (mixture of " + policy.mixture().components() + ") on " + setup.task, out.resolve("curve.png"));
        String summary = String.format(Locale.ROOT,
                "bc (mixture of %d Gaussians, %s component) on %s%s: %d expert labels, evaluation %.1f%% success over %d episodes (mean return %.2f)%n",
                policy.mixture().components(), o.get("mixture"), setup.task, setup.pushes.any() ? " with pushes" : "", data.size(),
                100 * result.successRate(), result.episodes(), result.meanReturn());
        Files.writeString(out.resolve("summary.txt"), summary);
        log.print("done: " + summary);
    }

    /** The mixture policy of the checkpoint {@code ckpt} (built from {@code setup}, the checkpoint's settings). */
    static MixturePolicy restore(Setup setup, Path ckpt) throws java.io.IOException {
        MixturePolicy policy = setup.mixturePolicy(new Rng(0));
        // the optimiser's moments are read past, not used
        OffPolicyCheckpoint.restore(ckpt, List.of(new ParameterGroup(GROUP, policy.parameters(), new Adam(policy.parameters(), 1e-3))), policy.norm(),
                null, null);
        return policy;
    }

    /** Acts as the policy server does with {@code ~mixture}: the chosen component's mean; draws from {@code seed}. */
    static Evaluation.Controller controller(MixturePolicy policy, MixtureChoice.Mode mode, long seed) {
        DMatrixRMaj obs = new DMatrixRMaj(1, policy.layout().observationSize());
        MixtureChoice choice = new MixtureChoice(mode);
        Rng rng = new Rng(seed);
        return new Evaluation.Controller() {
            @Override
            public void act(double[] o, double[] command) {
                System.arraycopy(o, 0, obs.data, 0, o.length);
                policy.act(obs, choice, rng, command);
            }

            @Override
            public void reset() {
                choice.reset();
            }
        };
    }
}
