package org.teachlearn.learn.train;

import java.nio.file.Files;
import java.nio.file.Path;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.env.ArmEnv;
import org.teachlearn.robot.sim.Pushes;
import org.teachlearn.learn.nn.Activation;
import org.teachlearn.learn.policy.GaussianPolicy;
import org.teachlearn.learn.policy.ChunkPolicy;
import org.teachlearn.learn.policy.HandFeature;
import org.teachlearn.learn.policy.MixturePolicy;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.policy.RunningNorm;
import org.teachlearn.learn.policy.SquashedGaussianActor;
import org.teachlearn.learn.policy.DeterministicActor;
import org.teachlearn.learn.policy.QFunction;
import org.teachlearn.learn.policy.TwinQ;
import org.teachlearn.learn.algo.Ddpg;
import org.teachlearn.learn.algo.OffPolicyAlgorithm;
import org.teachlearn.learn.algo.Sac;
import org.teachlearn.learn.data.GoalOfPose;
import org.teachlearn.learn.algo.Td3;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.sim.Task;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;

/**
 * What a run's options build: the robot, environments of its task, and its policy. Built again
 * from a checkpoint's options on resume and in {@code eval}, so they match the run exactly.
 */
final class Setup {

    /** Evaluation episodes use their own seeds, the same for every run, so runs compare on the same goals. */
    static final long EVAL_SEED = 900_000;

    final Options options;
    final RobotModel model;
    final ArmLayout arm;
    final String task;
    final double controlPeriod;
    final Pushes pushes;

    Setup(Options options) throws Exception {
        this.options = options;
        Path urdf = options.has("urdf") ? Path.of(options.get("urdf")) : Path.of(System.getProperty("teachlearn.home", "."), "urdf", "teach_arm.urdf");
        if (!Files.exists(urdf)) throw new IllegalArgumentException("--urdf: no file " + urdf.toAbsolutePath());
        model = UrdfParser.parse(urdf);
        arm = ArmOptions.layout(options, model, urdf);
        task = options.get("task");
        // the simulator's tasks are named in one place (Task.named); "none" has no goal and no expert to learn from
        if (task.equals("none")) throw new IllegalArgumentException("--task none has no goal to learn; use reach, pick_place or reach_around");
        try {
            Task.named(task);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--task: " + e.getMessage());
        }
        controlPeriod = options.number("control-period");
        pushes = options.flag("pushes") ? Pushes.reach(Pushes.linkOf(arm.chain(model), model)) : Pushes.NONE;
    }

    ArmEnv env(boolean withPushes) {
        ArmEnv env = new ArmEnv(model, arm, task, controlPeriod, withPushes ? pushes : Pushes.NONE);
        return handFeature() ? env.handFeature(HandFeature.forTask(model, arm, task)) : env;
    }

    /** {@code --hand-feature on}: the policy also observes hand − goal, computed in its graph ({@link HandFeature}). */
    boolean handFeature() {
        if (!options.has("hand-feature")) return false;   // a checkpoint written before --hand-feature existed
        String v = options.get("hand-feature");
        if (!v.equals("on") && !v.equals("off")) throw new IllegalArgumentException("--hand-feature is on or off, got '" + v + "'");
        return v.equals("on");
    }

    /** {@code --hidden}: layer sizes such as 64x64. */
    int[] hidden() {
        return hidden(options.get("hidden"), "--hidden");
    }

    /** Layer sizes such as 64x64 from {@code text}, the value of {@code option}. */
    int[] hidden(String text, String option) {
        String[] parts = text.split("x");
        int[] hidden = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                hidden[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes layer sizes like 64x64, got '" + text + "'");
            }
            if (hidden[i] < 1) throw new IllegalArgumentException(option + " takes positive layer sizes, got '" + text + "'");
        }
        return hidden;
    }

    PolicyLayout layout() {
        PolicyLayout layout = PolicyLayout.of(model, arm, task, Task.named(task).goalSize());
        return handFeature() ? layout.withHand(HandFeature.forTask(model, arm, task)) : layout;
    }

    /** Where the hand is in arm pose q, reach's goal (hindsight goals); one instance per user, it keeps a scratch pose. */
    GoalOfPose handPosition() {
        KinematicChain chain = arm.chain(model);
        double[] pose = new double[16];
        return (q, goal) -> {
            chain.forward(q, pose);
            goal[0] = pose[3];
            goal[1] = pose[7];
            goal[2] = pose[11];
        };
    }

    /** The off-policy learner of {@code --algo} (sac, td3, ddpg) with this run's options over the papers' defaults. */
    OffPolicyAlgorithm offPolicy(Rng rng) {
        PolicyLayout layout = layout();
        int od = layout.observationSize(), ad = layout.actionSize();
        Activation activation = Activation.named(options.get("activation"));
        RunningNorm norm = new RunningNorm(od);
        double lr = options.number("lr"), gamma = options.number("gamma"), tau = options.number("tau");
        int batch = options.integer("batch");
        switch (options.get("algo")) {
            case "sac" -> {
                String tuning = options.get("alpha-tuning");
                if (!tuning.equals("auto") && !tuning.equals("fixed")) {
                    throw new IllegalArgumentException("--alpha-tuning must be auto or fixed, got '" + tuning + "'");
                }
                SquashedGaussianActor actor = new SquashedGaussianActor(layout, norm, hidden(), activation, rng);
                return new Sac(actor, new TwinQ(od, ad, hidden(), activation, rng), Sac.Config.defaults().withLearningRate(lr).withBatchSize(batch)
                        .withGamma(gamma).withTau(tau).withAlpha(options.number("alpha"), tuning.equals("auto"))
                        .withEntropyPerAction(options.has("target-entropy") ? options.number("target-entropy") : -1));
            }
            case "td3" -> {
                DeterministicActor actor = new DeterministicActor(layout, norm, hidden(), activation, rng);
                return new Td3(actor, new TwinQ(od, ad, hidden(), activation, rng), Td3.Config.defaults().withLearningRate(lr).withBatchSize(batch)
                        .withDiscount(gamma, tau).withNoise(options.number("policy-noise"), options.number("noise-clip"),
                                options.integer("policy-delay"), options.number("exploration-noise")));
            }
            case "ddpg" -> {
                DeterministicActor actor = new DeterministicActor(layout, norm, hidden(), activation, rng);
                return new Ddpg(actor, new QFunction(od, ad, hidden(), activation, rng), Ddpg.Config.defaults().withLearningRate(lr)
                        .withBatchSize(batch).withDiscount(gamma, tau).withExplorationNoise(options.number("exploration-noise")));
            }
            default -> throw new IllegalArgumentException("'" + options.get("algo") + "' is not an off-policy algorithm (sac, td3, ddpg)");
        }
    }

    GaussianPolicy policy(Rng rng) {
        GaussianPolicy.Shape shape = new GaussianPolicy.Shape(hidden(), Activation.named(options.get("activation")), options.number("log-std-init"));
        GaussianPolicy policy = new GaussianPolicy(layout(), shape, rng);
        String velocities = options.get("velocities");
        if (!velocities.equals("auto") && !velocities.equals("observe") && !velocities.equals("ignore")) {
            throw new IllegalArgumentException("--velocities must be auto, observe or ignore, got '" + velocities + "'");
        }
        if (velocities.equals("ignore")) ignoreVelocities(policy);
        return policy;
    }

    /**
     * The policy's joint-velocity inputs are ignored (normalised to 0, here and in the exported
     * model). Behaviour cloned from guided motion needs it: there the velocity predicts the next
     * position better than the goal does, and a policy that copies it never starts from rest and
     * runs away once moving (the copycat problem, Wen et al. 2020; de Haan et al. 2019).
     */
    static void ignoreVelocities(GaussianPolicy policy) {
        ignoreVelocities(policy.layout(), policy.norm());
    }

    static void ignoreVelocities(PolicyLayout layout, RunningNorm norm) {
        int n = layout.armJoints().length;
        for (int j = 0; j < n; j++) norm.ignore(n + j);
    }

    /** {@code --chunk K}, {@code --history H}: the policy of K-action chunks from H observations, velocities observed or ignored as {@link #policy}. */
    ChunkPolicy chunkPolicy(Rng rng) {
        int k = options.integer("chunk");
        if (k < 1) throw new IllegalArgumentException("--chunk must be at least 1, got " + k);
        int history = options.has("history") ? options.integer("history") : 1, stride = options.has("history-stride") ? options.integer("history-stride") : 1;
        var policy = new ChunkPolicy(layout(), k, history, stride, hidden(), Activation.named(options.get("activation")), options.number("log-std-init"), rng);
        if (options.get("velocities").equals("ignore")) {
            int od = policy.layout().observationSize(), n = policy.layout().armJoints().length;
            for (int f = 0; f < history; f++) for (int j = 0; j < n; j++) policy.norm().ignore(f * od + n + j);
        }
        return policy;
    }

    /** {@code --head mixture}: the mixture policy of {@code --components} Gaussians, velocities observed or ignored as {@link #policy}. */
    MixturePolicy mixturePolicy(Rng rng) {
        int k = options.integer("components");
        if (k < 1) throw new IllegalArgumentException("--components must be at least 1, got " + k);
        var policy = new MixturePolicy(layout(), k, hidden(), Activation.named(options.get("activation")), rng);
        if (options.get("velocities").equals("ignore")) ignoreVelocities(policy.layout(), policy.norm());
        return policy;
    }
}
