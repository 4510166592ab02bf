package org.teachlearn.learn.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.demo.DemoSampler;
import org.teachlearn.learn.demo.DemoSource;
import org.teachlearn.learn.demo.DemoSpec;
import org.teachlearn.learn.env.ArmEnv;
import org.teachlearn.learn.env.Evaluation;
import org.teachlearn.learn.policy.GaussianPolicy;

/**
 * {@code ./teach_learn train ALGO [options]} and {@code ./teach_learn eval RUN_DIR|CHECKPOINT}:
 * training on the built-in simulator in process, with a progress bar, a CSV log, PNG curves, an
 * ONNX model and a checkpoint in the run directory; evaluation of a checkpoint (or the expert) on
 * seeded episodes.
 */
public final class TrainCommand {

    static final List<String> ALGORITHMS = List.of("bc", "dagger", "ppo", "ppo-kl", "trpo", "reinforce", "gail", "sac", "td3", "ddpg");
    static final List<String> OFF_POLICY = List.of("sac", "td3", "ddpg");
    private static final Set<String> FLAGS = Set.of("pushes", "clean-demos", "resume", "expert", "include-failed", "served");

    private TrainCommand() {
    }

    static Map<String, String> defaults(String algorithm) {
        boolean onPolicy = algorithm.startsWith("ppo") || algorithm.equals("trpo") || algorithm.equals("reinforce") || algorithm.equals("gail");
        boolean offPolicy = OFF_POLICY.contains(algorithm);
        Map<String, String> d = new LinkedHashMap<>();
        d.put("algo", algorithm);
        d.put("task", "reach");
        d.put("out", "runs/" + algorithm + "-reach");
        d.put("seed", "1");
        // PPO learns reach's 2 cm tolerance far more reliably with 128 x 128 (seeds 1-3: 99, ?, ? % after 300 k
        // steps; 79, 87, ? % with 64 x 64, whose failures are near misses at 2.1-3 cm: the network's forward kinematics)
        d.put("hidden", onPolicy ? "128x128" : "64x64");
        d.put("activation", "tanh");
        d.put("log-std-init", "-0.5");
        // PPO learns reach far faster at 20 Hz (measured: 97 % in 300 k steps vs 6 % at 100 Hz).
        d.put("control-period", onPolicy || offPolicy ? "0.05" : "0.01");
        d.put("eval-episodes", "100");
        d.put("lr", onPolicy && !algorithm.equals("trpo") ? "3e-4" : "1e-3");   // trpo: its critic's (the policy takes natural-gradient steps)
        d.put("minibatch", "64");
        d.put("envs", "8");
        // behaviour cloning and DAgger
        d.put("demos", algorithm.equals("gail") ? "20" : "50");
        d.put("epochs", onPolicy ? "10" : "300");
        d.put("loss", "mse");
        d.put("head", "gaussian");          // bc: gaussian, or mixture (of --components Gaussians, NLL; docs/design.md §6)
        d.put("components", "5");
        d.put("mixture", "episode");        // which component acts: likely, sample or episode (as policy_server's ~mixture)
        d.put("chunk", "1");                // bc: predict the next K actions (ACT's action chunks) ...
        d.put("chunk-mode", "open_loop");   // ... played open loop or ensembled (as policy_server's ~chunk_mode) ...
        d.put("ensemble-decay", "0.01");    // ... with weights exp(−m·i), i = 0 for the oldest chunk (~ensemble_decay)
        d.put("chunk-loss", "standardised"); // ... each of the K actions' squared error weighed by 1 / its targets' variance, or mse: all alike
        d.put("chunk-loss-decay", "0");     // ... and action k of a chunk by exp(-d·k) on top (0: the K actions alike)
        d.put("history", "1");              // bc: the policy sees its last H observations (frame stacking; reach_via's demonstrator is not Markovian) ...
        d.put("history-stride", "1");       // ... this many control periods apart
        d.put("demo-noise", "0.1");
        d.put("demo-settle", "0.5");
        d.put("labels", "7500");
        d.put("dagger-demos", "10");
        d.put("iterations", "8");
        d.put("beta", "1.0");
        d.put("beta-decay", "0.5");
        // demonstrations from recordings instead of the scripted expert (docs/nodes.md "Learning from bags")
        d.put("bags", "");
        d.put("bag-labels", "auto");
        d.put("motion-lookahead", "0.3");   // motion labels with --path-lookahead 0: the position this long after the reading
        d.put("state-copies", "2");         // motion labels: perturbed copies of each sample ...
        d.put("state-noise", "0.02");       // ... with the joints moved by this much (rad; 0.05 suited the time lookahead before 0.12)
        d.put("hand-feature", "");          // on: the policy also observes hand − goal (forward kinematics in its graph); default on for sac on reach, else off
        d.put("path-lookahead", "0.2");     // motion labels: the pose this far along the path (rad; 0: --motion-lookahead instead; docs/nodes.md §13)
        d.put("gripper-lookahead", "0.05"); // motion labels: the gripper's next command within this distance (rad) of where it is given
        d.put("trim-pauses", "0");          // motion labels: leave out pauses the demonstration moves on from (rad; 0 keeps them)
        d.put("gripper-command", "auto");   // bc: binary when the demonstrations' gripper commands are open or closed
        d.put("velocities", "auto");        // observe, ignore, or auto: ignored when cloning guided motion
        d.put("models", "1");               // bc --chunk: this many networks on the same demonstrations, their chunks averaged
        d.put("threads", "auto");           // bc --models: networks trained at once (auto: one per processor)
        d.put("turns", "0");                // bc, dagger: each demonstrated sample again this many times turned about the arm's base axis ...
        d.put("turn-range", "0.5");         // ... by up to this much (rad), goals kept where the demonstrations' went (ArmSymmetries)
        d.put("mirror", "off");             // bc, dagger: on: each demonstrated sample also mirrored (an arm whose kinematics are mirror-symmetric)
        d.put("hindsight-goals", "");       // motion labels on reach: later hand positions as goals (default 2 on reach, else 0)
        DemoSpec.Topics t = DemoSpec.Topics.DEFAULT;
        d.put("joint-states-topic", t.jointStates());
        d.put("task-state-topic", t.taskState());
        d.put("arm-command-topic", t.armCommand());
        d.put("gripper-command-topic", t.gripperCommand());
        d.put("expert-action-topic", t.expertAction());
        d.put("demo-info-topic", t.demoInfo());
        // on-policy
        d.put("steps", offPolicy ? "50000" : "300000");
        d.put("rollout", "256");
        // off-policy on reach: γ 0.95 and τ 0.05 (the horizon of a 3 s episode at 20 Hz): SAC 88 % after 50 k steps, 23 % with 0.99 and 0.005;
        // with hindsight goals and the linear decay (the defaults below) 97, 99, 82 % (seeds 1, 2, 3)
        d.put("gamma", offPolicy ? "0.95" : "0.99");
        d.put("lambda", "0.95");
        d.put("entropy", "0");
        d.put("target-kl", "NaN");
        d.put("max-kl", "0.01");           // trpo: the trust region δ on the mean KL per update
        d.put("cg-damping", "0.1");        // trpo: F + damping·I in the conjugate gradient
        d.put("disc-hidden", "64x64");     // gail: the discriminator's hidden layers ...
        d.put("disc-lr", "3e-4");          // ... its Adam learning rate ...
        d.put("disc-epochs", "1");         // ... passes over each rollout ...
        d.put("disc-minibatch", "128");    // ... and the policy's rows per minibatch (as many demonstration pairs beside them)
        d.put("gail-reward", "gail");      // gail: -log(1 - D), the paper's; logit: log D - log(1 - D)
        d.put("disc-expert-noise", "policy"); // gail: the demonstrations' u perturbed by the policy's σ for the discriminator, or none
        d.put("disc-gp", "0");             // gail: the gradient penalty's λ on the discriminator (0: none) ...
        d.put("disc-gp-target", "1");      // ... and the input-gradient norm it pulls towards (1: WGAN-GP's and DAC's; 0: zero-centred)
        d.put("disc-bottleneck", "0");     // gail: VAIL's code size Z (0: none, plain GAIL) ...
        d.put("disc-info", "0.5");         // ... the information it may carry, I_c in nats ...
        d.put("disc-beta-step", "1e-3");   // ... and the dual step on β after each discriminator step
        d.put("eval-every", "5");
        d.put("checkpoint-every", "5");
        d.put("init", "");
        d.put("critic-warmup", "5");
        d.put("init-log-std", "");         // with --init: the log σ fine-tuning explores with (default: the init's)
        // off-policy (SAC): rows of --log-every env steps; eval and checkpoints every so many rows
        d.put("batch", "256");
        d.put("buffer", "");                // replay capacity; default: the run's --steps (nothing forgotten)
        d.put("tau", "0.05");
        d.put("alpha", "1.0");
        d.put("alpha-tuning", "auto");      // auto: α tuned towards the target entropy; fixed: α stays
        d.put("target-entropy", "-1");      // sac: the target entropy per action dimension (the paper's −1: −act_dim in all)
        d.put("learning-starts", "1000");
        d.put("updates-per-step", "1");
        d.put("log-every", "1000");
        d.put("exploration-noise", "0.1");  // td3, ddpg: Gaussian σ on u
        d.put("policy-noise", "0.2");       // td3: target smoothing σ ...
        d.put("noise-clip", "0.5");         // ... clipped to ±this
        d.put("policy-delay", "2");         // td3: actor and targets every so many critic updates
        d.put("demo-replay", "0");          // sac, td3, ddpg: scripted expert episodes in a buffer of their own (0: none) ...
        d.put("demo-ratio", "0.5");         // ... and the share of every minibatch drawn from it (RLPD's 50/50) ...
        d.put("demo-bc", "0");              // ... with a behaviour-cloning term of this weight on those rows (DDPGfD; 0: none) ...
        d.put("demo-bc-filter", "q");       // ... kept where the critic values the demonstration above the actor (q, Nair et al. 2018) or everywhere (none)
        d.put("lr-decay", "");              // linear from --lr to 0 over the run, or none (default: linear for sac, td3, ddpg; none for bc)
        d.put("reward", "task");            // sac, td3, ddpg: the task's reward, or gail: a discriminator's (DAC), from --demos 20
        d.put("hindsight-share", "");       // sac, td3, ddpg on reach: the share of online samples given a later hand position as goal (HER; default 0.8 on reach, else 0)
        if (offPolicy) d.put("envs", "1");
        ArmOptions.addDefaults(d);
        return d;
    }

    /** {@code train ...} or {@code eval ...}, for running the learning module on its own (tests, scripts). */
    public static void main(String[] args) throws Exception {
        List<String> all = List.of(args);
        if (all.isEmpty()) throw new IllegalArgumentException(usage());
        if (all.get(0).equals("eval")) eval(all.subList(1, all.size()));
        else if (all.get(0).equals("train")) train(all.subList(1, all.size()));
        else throw new IllegalArgumentException(usage());
    }

    public static void train(List<String> args) throws Exception {
        train(args, null);
    }

    /**
     * {@code train ...} with {@code recordings} reading {@code --bags} (null: no reader, as when
     * this module runs on its own; {@code ./teach_learn} hands in the ROS bag reader).
     */
    public static void train(List<String> args, DemoSource recordings) throws Exception {
        if (args.contains("-h") || args.contains("--help")) {   // `train --help` and `train bc --help` alike
            System.out.println(usage());
            return;
        }
        if (args.isEmpty() || args.get(0).startsWith("-")) throw new IllegalArgumentException(usage());
        String algorithm = args.get(0);
        if (!ALGORITHMS.contains(algorithm)) throw new IllegalArgumentException("unknown algorithm '" + algorithm + "'\n" + usage());
        Options o = new Options(defaults(algorithm));
        List<String> rest = o.parse(args.subList(1, args.size()), FLAGS);
        if (!rest.isEmpty()) throw new IllegalArgumentException("unexpected arguments " + rest + "\n" + usage());
        if (!args.contains("--out") && args.stream().noneMatch(a -> a.startsWith("--out="))) o.set("out", "runs/" + algorithm + "-" + o.get("task"));
        if (o.get("buffer").isEmpty()) o.set("buffer", o.get("steps"));
        if (o.has("init") && args.stream().noneMatch(a -> a.equals("--hidden") || a.startsWith("--hidden="))) networkOf(o, Path.of(o.get("init")));
        else if (o.has("init")) inputsOf(o, Path.of(o.get("init")));
        if (o.get("hindsight-goals").isEmpty()) o.set("hindsight-goals", o.get("task").equals("reach") ? "2" : "0");
        if (o.get("hand-feature").isEmpty()) o.set("hand-feature", o.get("task").equals("reach") && algorithm.equals("sac") ? "on" : "off");
        if (!o.get("lr-decay").isEmpty() && !OFF_POLICY.contains(algorithm) && !algorithm.equals("bc")) {
            throw new IllegalArgumentException("--lr-decay is for bc, sac, td3 and ddpg" + (algorithm.startsWith("ppo") || algorithm.equals("gail")
                    ? " (" + algorithm + " anneals its learning rate to 0 over the run already)" : ""));
        }
        if (o.has("init-log-std") && !o.has("init")) {
            throw new IllegalArgumentException("--init-log-std replaces the log σ of the policy --init starts from; without --init use --log-std-init");
        }
        if (o.get("lr-decay").isEmpty()) o.set("lr-decay", OFF_POLICY.contains(algorithm) ? "linear" : "none");
        boolean adversarial = o.get("reward").equals("gail");
        if (!o.get("reward").equals("task") && !OFF_POLICY.contains(algorithm)) {
            throw new IllegalArgumentException("--reward is for sac, td3 and ddpg" + (algorithm.equals("gail") ? " (gail runs PPO on the discriminator's reward)" : ""));
        }
        if (o.get("hindsight-share").isEmpty()) o.set("hindsight-share", o.get("task").equals("reach") && OFF_POLICY.contains(algorithm) && !adversarial ? "0.8" : "0");
        if (adversarial && args.stream().noneMatch(a -> a.equals("--demos") || a.startsWith("--demos="))) o.set("demos", "20");
        Path out = Path.of(o.get("out"));
        boolean resume = o.flag("resume");
        if (o.has("bags") && !(algorithm.equals("bc") || algorithm.equals("dagger") || OFF_POLICY.contains(algorithm))) {
            throw new IllegalArgumentException("--bags gives demonstrations to bc, dagger, sac, td3 and ddpg, not " + algorithm
                    + " (fine-tune a cloned policy with ppo --init RUN/checkpoint.bin)");
        }
        if (o.has("bags") && adversarial) {
            throw new IllegalArgumentException("--bags with --reward gail: the discriminator's demonstrations are the scripted expert's "
                    + "(--demos); recorded ones are for --reward task");
        }
        if (o.has("bags") && recordings == null) {
            throw new IllegalArgumentException("--bags: this entry point has no bag reader; run ./teach_learn train (the nodes module reads ROS bags)");
        }
        if (resume) {
            Path ckpt = out.resolve("checkpoint.bin");
            if (!Files.exists(ckpt)) throw new IllegalArgumentException("--resume: no checkpoint at " + ckpt);
            Map<String, String> saved = Checkpoint.settings(ckpt);
            o = new Options(saved);
            o.set("resume", "true");
        }
        Files.createDirectories(out);
        Setup setup = new Setup(o);
        if (!algorithm.equals("bc") && !algorithm.equals("dagger") && (o.integer("turns") != 0 || !o.get("mirror").equals("off"))) {
            throw new IllegalArgumentException("--turns and --mirror add to the demonstrations bc and dagger learn from; " + algorithm + " does not take them");
        }
        if (!algorithm.equals("bc") && ChunkCloning.models(o) != 1) {
            throw new IllegalArgumentException("--models averages networks of action chunks: it is for bc with --chunk (or --history)");
        }
        // every network's lookaheads checked before any bag is read: a bad last one would otherwise end the run after the others trained
        for (double rad : ImitationTraining.perNetworkValues(o, "path-lookahead")) DemoSampler.checkPathLookahead(rad);
        for (double rad : ImitationTraining.perNetworkValues(o, "gripper-lookahead")) DemoSampler.checkGripperLookahead(rad);
        System.out.println("train " + algorithm + " → " + out.toAbsolutePath());
        if (OFF_POLICY.contains(algorithm)) {
            if (o.has("init")) throw new IllegalArgumentException("--init fine-tunes a PPO policy; " + algorithm + " starts from scratch");
            OffPolicyTraining.run(setup, out, resume, recordings, System.out);
        } else if (algorithm.equals("bc") || algorithm.equals("dagger")) {
            if (resume) throw new IllegalArgumentException("--resume is for reinforcement learning runs (ppo, ppo-kl, trpo, reinforce, gail, sac, td3, ddpg); imitation runs take minutes");
            ImitationTraining.run(setup, out, recordings, System.out);
        } else {
            OnPolicyTraining.run(setup, out, resume, System.out);
        }
    }

    /**
     * Fine-tuning takes the network of the policy it starts from: {@code hidden} and
     * {@code activation} from the checkpoint {@code init} (unless given), and its inputs ({@code hand-feature}), so cloning with one shape
     * and fine-tuning with another default needs no extra option.
     */
    static void networkOf(Options o, Path init) throws java.io.IOException {
        if (!Files.exists(init)) throw new IllegalArgumentException("--init: no checkpoint at " + init);
        Map<String, String> from = Checkpoint.settings(init);
        o.set("hidden", from.get("hidden"));
        o.set("activation", from.get("activation"));
        inputsOf(o, init);
    }

    /** The inputs of the policy in checkpoint {@code init}, whatever the network's shape: one cloned with the hand feature is fine-tuned with it. */
    static void inputsOf(Options o, Path init) throws java.io.IOException {
        if (!Files.exists(init)) throw new IllegalArgumentException("--init: no checkpoint at " + init);
        Map<String, String> from = Checkpoint.settings(init);
        if (from.containsKey("hand-feature")) o.set("hand-feature", from.get("hand-feature"));
    }

    public static void eval(List<String> args) throws Exception {
        Options o = new Options(Map.of("episodes", "100", "seed", Long.toString(Setup.EVAL_SEED), "mixture", "", "episodes-csv", "",
                "chunk-mode", "", "ensemble-decay", "", "gripper-command", ""));
        List<String> rest = o.parse(args, FLAGS);
        if (rest.size() != 1) throw new IllegalArgumentException("usage: eval RUN_DIR|CHECKPOINT [--episodes N] [--seed S] [--pushes] [--expert] [--served] [--mixture likely|sample|episode] [--chunk-mode open_loop|ensemble] [--ensemble-decay M] [--gripper-command binary|continuous] [--episodes-csv FILE]");
        Path ckpt = Path.of(rest.get(0));
        if (Files.isDirectory(ckpt)) ckpt = ckpt.resolve("checkpoint.bin");
        if (!Files.exists(ckpt)) throw new IllegalArgumentException("no checkpoint at " + ckpt);
        Options run = new Options(Checkpoint.settings(ckpt));
        if (o.flag("pushes")) run.set("pushes", "true");
        Setup setup = new Setup(run);
        ArmEnv env = setup.env(true);
        if (o.flag("served")) env.servedLimits(1.0);
        Evaluation.Controller controller;
        if (o.flag("expert")) {
            controller = Evaluation.expert(env);
        } else if (OFF_POLICY.contains(run.get("algo"))) {
            var learner = setup.offPolicy(new Rng(0));
            OffPolicyCheckpoint.restore(ckpt, learner.parameterGroups(), learner.norm(), null, null);
            controller = OffPolicyTraining.deterministic(learner);
        } else if (run.has("chunk") && (run.integer("chunk") != 1 || run.has("history") && run.integer("history") != 1)) {
            controller = ChunkCloning.controller(ChunkCloning.restoreAll(setup, ckpt),
                    ChunkCloning.chunkMode(o.has("chunk-mode") ? o.get("chunk-mode") : run.get("chunk-mode")),
                    o.has("ensemble-decay") ? o.number("ensemble-decay") : run.number("ensemble-decay"));
        } else if (run.has("head") && run.get("head").equals("mixture")) {
            controller = MixtureCloning.controller(MixtureCloning.restore(setup, ckpt),
                    org.teachlearn.learn.policy.MixtureChoice.Mode.named(o.has("mixture") ? o.get("mixture") : run.get("mixture")), o.longValue("seed"));
        } else {
            GaussianPolicy policy = setup.policy(new Rng(0));
            Checkpoint.restore(ckpt, policy, null, null);
            controller = Evaluation.deterministic(policy);
        }
        if (!o.get("gripper-command").isEmpty()) {
            if (!o.get("gripper-command").equals("binary") && !o.get("gripper-command").equals("continuous")) {
                throw new IllegalArgumentException("eval --gripper-command is binary or continuous, got '" + o.get("gripper-command") + "'");
            }
            run.set("gripper-command", o.get("gripper-command"));   // as the run's model would be served with it
        }
        if (!o.flag("expert")) controller = Evaluation.sending(controller, env.layout(), GripperChoice.of(run));
        Evaluation.Result r;
        if (o.has("episodes-csv")) {
            try (var w = episodesCsv(Path.of(o.get("episodes-csv")))) {
                w.write("episode,seed,success,steps,return,last_reward,best_reward\n");
                r = Evaluation.run(env, controller, o.integer("episodes"), o.longValue("seed"), e -> {
                    try {
                        w.write(String.format(Locale.ROOT, "%d,%d,%d,%d,%.6f,%.6f,%.6f%n", e.index(), e.seed(), e.success() ? 1 : 0, e.steps(),
                                e.totalReward(), e.lastReward(), e.bestReward()));
                    } catch (java.io.IOException x) {
                        throw new java.io.UncheckedIOException(x);
                    }
                });
            }
        } else {
            r = Evaluation.run(env, controller, o.integer("episodes"), o.longValue("seed"));
        }
        System.out.printf(Locale.ROOT, "%s on %s%s: success %.1f%% (%d/%d), mean return %.3f%n", o.flag("expert") ? "expert" : run.get("algo"),
                setup.task, setup.pushes.any() ? " with pushes" : "", 100 * r.successRate(), r.successes(), r.episodes(), r.meanReturn());
    }

    /** The writer of {@code eval --episodes-csv}; a file that cannot be written is the user's error, said plainly. */
    private static java.io.BufferedWriter episodesCsv(Path file) {
        try {
            return Files.newBufferedWriter(file);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--episodes-csv: cannot write " + file + " (" + e + ")");
        }
    }

    static String usage() {
        return String.join("\n",
                "usage: ./teach_learn train ALGO [--task reach|pick_place|reach_around|reach_via] [--out DIR] [--seed N] [--pushes] [options]",
                "  ALGO: " + String.join(", ", ALGORITHMS),
                "  bc:      --demos 50 --epochs 300 --loss mse|nll --demo-noise 0.1 --demo-settle 0.5 [--clean-demos] --lr-decay none|linear (linear: to 0 over the epochs)",
                "           --head gaussian|mixture --components 5 (mixture: NLL of K Gaussians) --mixture likely|sample|episode (the component that acts)",
                "           --chunk 1 (K > 1: predict the expert's next K actions, MSE) --chunk-mode open_loop|ensemble --ensemble-decay 0.01 (as policy_server)",
                "           --chunk-loss standardised|mse (standardised: each of the K actions counts alike) --chunk-loss-decay 0 (d: action k weighs exp(-d·k))",
                "           --history 1 (H > 1: the policy sees its last H observations, MSE) --history-stride 1 (control periods between two)",
                "           --models 1 (N > 1, with --chunk or --history: N networks on the same demonstrations from seeds S, S+1e6+3, ...,",
                "           the model's chunk their mean; N times the training work) --threads auto (networks trained at once; auto: one per processor)",
                "  dagger:  --labels 7500 --dagger-demos 10 --iterations 8 --beta 1 --beta-decay 0.5",
                "  bc, dagger from recordings: --bags DIR|FILE (ROS bags; instead of scripted demonstrations) [--include-failed]",
                "           --bag-labels auto|commands|motion --state-copies 2 --state-noise 0.02",
                "           --path-lookahead 0.2 (rad: motion labels from the pose this far along the demonstrated path; 0: --motion-lookahead 0.3 s later)",
                "           --gripper-lookahead 0.05 (rad: the gripper's next command labels the poses this close to where it was given)",
                "           with --models N both take one value per network: 0.2,0.3 (network 1 0.2, network 2 0.3, network 3 0.2, ...)",
                "           --hindsight-goals 2 (reach) --velocities auto|observe|ignore (auto: ignored when labels come from motion)",
                "           --gripper-command auto|binary|continuous (binary: the gripper is sent fully open or fully closed, whichever the",
                "           policy's output is nearer; auto: binary when the demonstrations command it only fully open and fully closed)",
                "           --turns 0 --turn-range 0.5 (each sample N more times with the arm's first joint and the goal turned together",
                "           about its vertical base axis by up to that many rad, goals kept within the region the demonstrations' goals cover)",
                "           --mirror off|on (on: each sample also as its mirror image, for an arm whose kinematics are mirror-symmetric);",
                "           both also for the scripted expert's demonstrations (bc, dagger)",
                "           --trim-pauses 0 (rad: motion samples moving the arm less are left out unless the demonstration rests there at its end)",
                "           --joint-states-topic joint_states",
                "           --task-state-topic task/state",
                "           --arm-command-topic arm_controller/command --gripper-command-topic gripper_controller/command",
                "           --expert-action-topic expert/action --demo-info-topic demo/info",
                "  ppo, ppo-kl, trpo, reinforce: --steps 300000 --envs 8 --rollout 256 --lr 3e-4 --epochs 10 --minibatch 64",
                "           trpo: --max-kl 0.01 --cg-damping 0.1 (the critic: --lr 1e-3 --epochs 10 --minibatch 64)",
                "  gail:    PPO's options, --demos 20 --demo-noise 0.1 (the scripted expert's), --disc-hidden 64x64 --disc-lr 3e-4 --disc-epochs 1 --gail-reward gail|logit --disc-expert-noise policy|none",
                "           --disc-minibatch 128 --disc-gp 0 (gradient penalty λ) --disc-gp-target 1; no task reward, episodes of the whole time limit",
                "           --disc-bottleneck 0 (Z > 0: VAIL, a Gaussian code of Z values) --disc-info 0.5 (I_c, nats) --disc-beta-step 1e-3 (β's dual step)",
                "           [--init CHECKPOINT --critic-warmup 5 --init-log-std L (the log σ fine-tuning explores with; default the init's)]",
                "           [--resume] --checkpoint-every 5 --eval-every 5",
                "  sac, td3, ddpg: --steps 50000 --envs 1 --lr 1e-3 --batch 256 --buffer STEPS --gamma 0.95 --tau 0.05 --learning-starts 1000",
                "           --updates-per-step 1 --log-every 1000 [--resume] --checkpoint-every 5 --eval-every 5 (rows)",
                "           --demo-replay 0 (expert episodes kept in a second buffer, --demo-noise as bc's) --demo-ratio 0.5 (of each minibatch)",
                "           --bags DIR|FILE (recorded demonstrations in that buffer instead: transitions at the control period, rewards from",
                "           task/state; --bag-labels, --motion-lookahead, --include-failed and the topics as bc's)",
                "           --demo-bc 0 (λ > 0: the actor also imitates the demonstration rows, λ·mean ||u_actor - u_demo||², DDPGfD)",
                "           --demo-bc-filter q|none (q: only where the critic values the demonstrated u above the actor's, Nair et al. 2018)",
                "           --lr-decay linear|none (linear: to 0 over the run)",
                "           --reward task|gail (gail: a discriminator's, one step per update on the learner's minibatch against --demos 20 of the",
                "           scripted expert's; gail's --disc-hidden --disc-lr --gail-reward; episodes of the whole time limit; DAC, Kostrikov et al. 2019)",
                "           --hindsight-share 0.8 on reach, else 0 (this share of the online samples gets a hand position reached later in its episode as goal, HER)",
                "           sac: --alpha 1.0 --alpha-tuning auto|fixed --target-entropy -1 (per action dimension); td3, ddpg: --exploration-noise 0.1; td3: --policy-noise 0.2 --noise-clip 0.5 --policy-delay 2",
                "  common:  --hand-feature on|off (on: the policy also observes tanh((hand - goal) / 5 cm), forward kinematics in its model,",
                "           and on pick_place also tanh((cube - target) / 5 cm); default on for sac on reach)",
                "           --hidden 64x64 (128x128 for ppo, ppo-kl, trpo, reinforce, gail; with --init: the init's) --activation tanh --control-period 0.01 (0.05 for ppo, ppo-kl, trpo, reinforce, gail, sac, td3, ddpg) --eval-episodes 100",
                "  arm:     --urdf FILE (urdf/teach_arm.urdf; its SRDF is read from next to it) --arm-joints a,b,.. --gripper-joints g|none",
                "           --base-link L --tip-link L --ft-sensor-link L|none --rest-positions q1,q2,.. --srdf FILE --group-state NAME",
                "           --gripper-closed-position Q --gripper-open-position Q --gripper-open-width M (a revolute gripper; docs/nodes.md)",
                "writes DIR/progress.csv, DIR/curve.png and .svg, DIR/policy.onnx, DIR/checkpoint.bin, DIR/summary.txt");
    }
}
