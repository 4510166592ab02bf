package org.teachlearn.learn.train;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.algo.BehaviourCloning;
import org.teachlearn.learn.algo.OffPolicyAlgorithm.ParameterGroup;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.demo.DemoHistory;
import org.teachlearn.learn.demo.DemoSampler;
import org.teachlearn.learn.demo.DemoSource;
import org.teachlearn.learn.demo.Demonstrations;
import org.teachlearn.learn.env.Evaluation;
import org.teachlearn.learn.nn.Adam;
import org.teachlearn.learn.onnx.PolicyExport;
import org.teachlearn.learn.policy.ChunkPolicy;
import org.teachlearn.learn.policy.GripperCommand;
import org.teachlearn.learn.policy.ObservationHistory;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.policy.RunningNorm;
import org.teachlearn.learn.serve.ActionChunks;

/**
 * {@code train bc --chunk K --history H}: behaviour cloning of the expert's next K commands from
 * every demonstrated state, or from its last H observations (mean squared error of all K), or from {@code --bags} of the demonstrated
 * motion one control period after another (labels from motion only), evaluated as policy_server runs a chunked
 * model: open loop (K actions per query) or with ACT's temporal ensembling, as
 * {@code --chunk-mode} and {@code --ensemble-decay} say (policy_server's {@code ~chunk_mode},
 * {@code ~ensemble_decay}). Writes what {@code train bc} writes; the checkpoint holds the network in
 * {@link OffPolicyCheckpoint}'s layout of named parameter groups.
 */
final class ChunkCloning {

    static final String GROUP = "chunk";

    private ChunkCloning() {
    }

    static void run(Setup setup, Path out, DemoSource recordings, PrintStream log) throws Exception {
        Options o = setup.options;
        if (o.get("loss").equals("nll")) throw new IllegalArgumentException("--chunk clones by MSE (--loss mse); it has no σ to learn");
        boolean ensemble = chunkMode(o.get("chunk-mode"));
        if (!o.get("chunk-loss").equals("standardised") && !o.get("chunk-loss").equals("mse")) {
            throw new IllegalArgumentException("--chunk-loss must be mse or standardised, got '" + o.get("chunk-loss") + "'");
        }
        double decay = o.has("chunk-loss-decay") ? o.number("chunk-loss-decay") : 0;
        if (!(decay >= 0) || Double.isInfinite(decay)) throw new IllegalArgumentException("--chunk-loss-decay is a rate ≥ 0, got " + o.get("chunk-loss-decay"));
        int models = models(o), threads = SeveralNetworks.threads(o);
        Rng rng = new Rng(o.longValue("seed"));
        ChunkPolicy policy = setup.chunkPolicy(rng);
        BehaviourCloning bc = new BehaviourCloning(policy, new BehaviourCloning.Config(BehaviourCloning.Loss.MSE, o.number("lr"),
                o.integer("epochs"), o.integer("minibatch"), 1.0));
        CsvLog csv = new CsvLog(out.resolve("progress.csv"), ImitationTraining.COLUMNS);
        csv.open(false, 0);
        Dataset data = new Dataset(policy.history() * policy.layout().observationSize(), policy.layout().actions(), policy.chunk());
        int demos = samples(setup, policy, recordings, data, o.longValue("seed"), 0, log);
        log.printf(Locale.ROOT, "bc (%s): %d demonstrations, %d labelled states%n", what(policy, o), demos, data.size());
        GripperCommand gripper = GripperChoice.resolve(o, policy.layout(), data, log);
        double[] weights = o.get("chunk-loss").equals("standardised") ? inverseVariances(data) : null;
        if (decay > 0) weights = decayAlongTheChunk(weights, policy.chunk(), data.actDim() / policy.chunk(), decay);
        bc.weighOutputs(weights);
        int epochs = o.integer("epochs");
        List<ChunkPolicy> policies = new ArrayList<>(List.of(policy));
        List<ParameterGroup> groups = new ArrayList<>(List.of(new ParameterGroup(group(0), policy.parameters(), bc.optimiser())));
        double loss;
        if (models == 1) {
            loss = ImitationTraining.trainInSlices(bc, data, epochs, "loss", csv, log, rng, o);
        } else {
            // the model normalises its input once for all networks: by the statistics of the first one's samples
            RunningNorm fitted = new RunningNorm(data.obsDim());
            fitted.update(data.observations(), data.size());
            bc.keepNormaliser(fitted);
            List<SeveralNetworks.Network> networks = new ArrayList<>(List.of(new SeveralNetworks.Network(bc, rng, () -> data)));
            for (int m = 1; m < models; m++) {
                // another network from its own seed: its initial weights, its draw of the perturbed and turned
                // copies and its minibatches differ (networks trained on one draw err alike: docs/nodes.md §14)
                long seed = o.longValue("seed") + m * 1_000_003L;
                int network = m;
                Rng own = new Rng(seed);
                ChunkPolicy other = setup.chunkPolicy(own);   // ignoring what the first ignores: the options say (--velocities)
                BehaviourCloning otherBc = new BehaviourCloning(other, new BehaviourCloning.Config(BehaviourCloning.Loss.MSE, o.number("lr"),
                        epochs, o.integer("minibatch"), 1.0));
                otherBc.weighOutputs(weights);
                otherBc.keepNormaliser(fitted);
                networks.add(new SeveralNetworks.Network(otherBc, own, () -> {
                    Dataset drawn = new Dataset(data.obsDim(), policy.layout().actions(), policy.chunk());
                    samples(setup, other, recordings, drawn, seed, network, QUIET);
                    return drawn;
                }));
                policies.add(other);
                groups.add(new ParameterGroup(group(m), other.parameters(), otherBc.optimiser()));
            }
            if (ImitationTraining.perNetworkValues(o, "path-lookahead").length > 1 || ImitationTraining.perNetworkValues(o, "gripper-lookahead").length > 1) {
                StringBuilder each = new StringBuilder("each network's motion labels (--path-lookahead, --gripper-lookahead, rad):");
                for (int m = 0; m < models; m++) {
                    each.append(String.format(Locale.ROOT, " %d: %.3g, %.3g%s", m + 1, ImitationTraining.perNetwork(o, "path-lookahead", m),
                            ImitationTraining.perNetwork(o, "gripper-lookahead", m), m + 1 < models ? ";" : ""));
                }
                log.println(each);
            }
            long bytesEach = 8L * data.size() * (2L * data.obsDim() + data.actDim());   // samples, targets and the normalised copy
            loss = SeveralNetworks.train(networks, epochs, threads, bytesEach, csv, log, o);
        }
        Evaluation.Result result = Evaluation.run(setup.env(true),
                Evaluation.sending(controller(policies, ensemble, o.number("ensemble-decay")), policy.layout(), gripper), o.integer("eval-episodes"),
                Setup.EVAL_SEED);
        csv.row(models * epochs, data.size(), loss, result.successRate(), result.meanReturn());
        PolicyExport.write(PolicyExport.toOnnxChunk(policies, "bc", 1, setup.controlPeriod, gripper), out.resolve("policy.onnx"));
        Map<String, String> state = o.asMap();
        state.put("iteration", "1");
        state.put("labels", Integer.toString(data.size()));
        OffPolicyCheckpoint.save(out.resolve("checkpoint.bin"), state, groups, policy.norm(), rng, null);
        String what = "bc (" + what(policy, o) + ")";
        LearningCurve.plot(csv.file(), "iteration", "training epochs", new String[] {"eval_success_rate", "loss"}, what + " on " + setup.task,
                out.resolve("curve.png"));
        String summary = String.format(Locale.ROOT, "%s on %s%s: %d expert labels, evaluation %.1f%% success over %d episodes (mean return %.2f)%n",
                what, setup.task, setup.pushes.any() ? " with pushes" : "", data.size(), 100 * result.successRate(), result.episodes(),
                result.meanReturn());
        Files.writeString(out.resolve("summary.txt"), summary);
        log.print("done: " + summary);
    }

    /** Where the other networks' sample making reports: the first network's report said it all. */
    private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    /**
     * The samples a network learns from: the demonstrations (the bags, or the scripted expert's
     * from the run's seed) and their perturbed and turned copies drawn from {@code seed}; returns
     * the demonstrations used.
     */
    static int samples(Setup setup, ChunkPolicy policy, DemoSource recordings, Dataset data, long seed, PrintStream log) throws Exception {
        return samples(setup, policy, recordings, data, seed, 0, log);
    }

    /** As above for network {@code network} of {@code --models}, with its own lookaheads where the options list one per network. */
    static int samples(Setup setup, ChunkPolicy policy, DemoSource recordings, Dataset data, long seed, int network, PrintStream log) throws Exception {
        Options o = setup.options;
        int demos = o.has("bags") && policy.history() > 1 ? historyFromRecordings(setup, policy, recordings, data, network, log)
                : o.has("bags") ? ImitationTraining.fromRecordings(setup, policy.layout(), policy.norm(), recordings, data, seed, network, log)
                : ImitationTraining.demonstrate(setup.env(!o.flag("clean-demos")), o.integer("demos"), o.longValue("seed") * 1_000_003L,
                        o.number("demo-noise"), ImitationTraining.settleSteps(setup), data, policy.historyStride());
        ImitationTraining.addSymmetries(setup, policy.layout(), data, 0, seed, log);
        return demos;
    }

    /**
     * {@code --bags} for a history policy: every sample of a recording with its last H
     * observations ({@link DemoHistory}), labelled as {@code bc --bags} labels. Perturbed copies and
     * hindsight goals are not made here: they would change the present frame alone, a state no
     * history ever shows. With motion labels and {@code --velocities auto} every frame's velocities
     * are ignored, as the present one's are for a Markovian policy. Returns the recordings used.
     */
    static int historyFromRecordings(Setup setup, ChunkPolicy policy, DemoSource recordings, Dataset data, int network, PrintStream log)
            throws Exception {
        Options o = setup.options;
        PolicyLayout layout = policy.layout();
        int od = layout.observationSize();
        Demonstrations.Request request = new Demonstrations.Request(Path.of(o.get("bags")), ImitationTraining.spec(setup, layout), setup.task,
                setup.controlPeriod, o.number("motion-lookahead"), DemoSampler.Labels.named(o.get("bag-labels")), o.flag("include-failed"),
                DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE, o.has("trim-pauses") ? o.number("trim-pauses") : 0,
                ImitationTraining.perNetwork(o, "path-lookahead", network), ImitationTraining.perNetwork(o, "gripper-lookahead", network));
        DemoHistory history = new DemoHistory(data, od, policy.history(), policy.historyStride());
        List<Demonstrations.Row> rows = Demonstrations.addTo(new Dataset(od, layout.actions(), policy.chunk()), recordings, request, history, false, log);
        history.flush();
        boolean fromMotion = rows.stream().anyMatch(Demonstrations.Row::usedFromMotion);
        if (fromMotion) log.println("history from bags: every sample once, with its last " + policy.history() + " observations (no perturbed copies or hindsight goals)");
        if (o.get("velocities").equals("auto") && fromMotion) {
            int n = layout.armJoints().length;
            for (int f = 0; f < policy.history(); f++) for (int j = 0; j < n; j++) policy.norm().ignore(f * od + n + j);
            o.set("velocities", "ignore");   // kept in the checkpoint: evaluation and the ONNX model ignore them too
            log.println("velocities: ignored in every frame (labels from the demonstrated motion; --velocities observe keeps them)");
        }
        return (int) rows.stream().filter(Demonstrations.Row::used).count();
    }

    /**
     * 1 / variance of each target column, scaled to a mean of 1: the MSE of standardised targets,
     * so that each of the K actions counts alike however far ahead it lies. A column that does not
     * vary (a gripper that reach never moves) counts as one of average variance: its 1 / variance
     * would otherwise take all the weight.
     */
    static double[] inverseVariances(Dataset data) {
        int n = data.size(), w = data.actDim();
        double[] mean = new double[w], var = new double[w], t = data.targets();
        for (int r = 0; r < n; r++) for (int c = 0; c < w; c++) mean[c] += t[r * w + c] / n;
        for (int r = 0; r < n; r++) for (int c = 0; c < w; c++) var[c] += (t[r * w + c] - mean[c]) * (t[r * w + c] - mean[c]) / n;
        double average = 0;
        for (int c = 0; c < w; c++) average += var[c] / w;
        double[] weight = new double[w];
        double sum = 0;
        for (int c = 0; c < w; c++) sum += weight[c] = 1 / (var[c] < 1e-6 * average ? average + 1e-12 : var[c]);
        for (int c = 0; c < w; c++) weight[c] *= w / sum;
        return weight;
    }

    /**
     * {@code weights} (null: all 1) with action k of each chunk's weights times exp(−d·k), scaled
     * back to a mean of 1: the near actions, which the policy plays or weighs most, fitted first
     * (the network's capacity otherwise goes to all K alike, and its first action comes out worse
     * than a one-action policy's).
     */
    static double[] decayAlongTheChunk(double[] weights, int chunk, int actionSize, double decay) {
        int w = chunk * actionSize;
        double[] out = new double[w];
        double sum = 0;
        for (int c = 0; c < w; c++) sum += out[c] = (weights == null ? 1 : weights[c]) * Math.exp(-decay * (c / actionSize));
        for (int c = 0; c < w; c++) out[c] *= w / sum;
        return out;
    }

    /** What the policy is: its chunks and how they are played, its history. */
    static String what(ChunkPolicy policy, Options o) {
        String chunks = policy.chunk() > 1 ? "chunks of " + policy.chunk() + ", " + o.get("chunk-mode") : "";
        String history = policy.history() > 1 ? "history of " + policy.history() + " observations " + policy.historyStride() + " periods apart" : "";
        String what = chunks.isEmpty() ? history : history.isEmpty() ? chunks : chunks + "; " + history;
        int models = models(o);
        return models > 1 ? what + "; the mean of " + models + " networks" : what;
    }

    /** {@code --chunk-mode}: true for ensemble, false for open_loop. */
    static boolean chunkMode(String mode) {
        if (mode.equals("ensemble")) return true;
        if (mode.equals("open_loop")) return false;
        throw new IllegalArgumentException("--chunk-mode must be open_loop or ensemble (as policy_server's ~chunk_mode), got '" + mode + "'");
    }

    /** {@code --models N}: how many networks are trained on the same samples and averaged (1..16). */
    static int models(Options o) {
        int models = o.has("models") ? o.integer("models") : 1;   // a checkpoint from before 0.17: one
        if (models < 1 || models > 16) throw new IllegalArgumentException("--models must be 1..16, got " + models);
        return models;
    }

    /** Network {@code m}'s parameter group in the checkpoint: the first keeps the name a one-network run's has. */
    private static String group(int m) {
        return m == 0 ? GROUP : GROUP + "_" + m;
    }

    /** The chunk policy of the checkpoint {@code ckpt} (built from {@code setup}, the checkpoint's settings): its first network. */
    static ChunkPolicy restore(Setup setup, Path ckpt) throws java.io.IOException {
        return restoreAll(setup, ckpt).get(0);
    }

    /** Every network of the checkpoint {@code ckpt} ({@code --models N}), sharing the first one's normaliser. */
    static List<ChunkPolicy> restoreAll(Setup setup, Path ckpt) throws java.io.IOException {
        int models = models(setup.options);
        List<ChunkPolicy> policies = new ArrayList<>();
        List<ParameterGroup> groups = new ArrayList<>();
        for (int m = 0; m < models; m++) {
            ChunkPolicy p = setup.chunkPolicy(new Rng(m));
            policies.add(p);
            // the optimiser's moments are read past, not used
            groups.add(new ParameterGroup(group(m), p.parameters(), new Adam(p.parameters(), 1e-3)));
        }
        RunningNorm norm = policies.get(0).norm();
        OffPolicyCheckpoint.restore(ckpt, groups, norm, null, null);
        for (ChunkPolicy p : policies.subList(1, models)) p.norm().restore(norm.mean(), norm.variance(), norm.count());
        return policies;
    }

    /** As {@link #controller(List, boolean, double)} for one policy. */
    static Evaluation.Controller controller(ChunkPolicy policy, boolean ensemble, double decay) {
        return controller(List.of(policy), ensemble, decay);
    }

    /**
     * Acts as policy_server runs a chunked model: a query when the chunks need one, every tick an
     * action from them; with history, every tick's observation kept, the stack from the episode's
     * start. Several policies ({@code --models N}): the mean of their chunks, as their exported model gives it.
     */
    static Evaluation.Controller controller(List<ChunkPolicy> policies, boolean ensemble, double decay) {
        ChunkPolicy policy = policies.get(0);
        int ad = policy.layout().actionSize(), n = policies.size();
        DMatrixRMaj obs = new DMatrixRMaj(1, policy.history() * policy.layout().observationSize());
        double[] chunk = new double[policy.chunk() * ad], mean = new double[chunk.length];
        ActionChunks chunks = new ActionChunks(policy.chunk(), ad, ensemble, decay);
        ObservationHistory history = policy.newHistory();
        return new Evaluation.Controller() {
            @Override
            public void act(double[] o, double[] command) {
                history.push(o, 0);
                if (chunks.needsQuery()) {
                    history.stacked(obs.data, 0);
                    if (n == 1) {
                        policy.act(obs, chunk);
                        chunks.put(chunk);
                    } else {
                        java.util.Arrays.fill(mean, 0);
                        for (ChunkPolicy p : policies) {
                            p.act(obs, chunk);
                            for (int c = 0; c < mean.length; c++) mean[c] += chunk[c] / n;
                        }
                        chunks.put(mean);
                    }
                }
                chunks.next(command);
            }

            @Override
            public void reset() {
                chunks.reset();
                history.reset();
            }
        };
    }
}
