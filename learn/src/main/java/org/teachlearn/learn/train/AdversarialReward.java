package org.teachlearn.learn.train;

import java.io.PrintStream;
import java.util.Locale;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.algo.Gail;
import org.teachlearn.learn.algo.OffPolicyAlgorithm.ParameterGroup;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * GAIL's reward for an off-policy learner ({@code sac|td3|ddpg --reward gail}; Kostrikov et al.
 * 2019, DAC): a discriminator tells the scripted expert's (observation, u) pairs from those in the
 * replay buffer, one gradient step per learner update on the minibatch the learner draws, and the
 * minibatch's rewards are replaced by the discriminator's before the learner sees them, so every
 * transition is scored by the current discriminator however old it is. No task reward is used.
 * Episodes run the whole time limit (no end at success), so no terminal state biases the reward's
 * sign (DAC's absorbing states answer the same for tasks that do end). The demonstrations' u are
 * clipped to [−1, 1], the range of a squashed actor: a discriminator could otherwise tell them
 * apart by that alone. {@code --disc-gp λ} adds DAC's gradient penalty ({@link
 * org.teachlearn.learn.nn.GradientPenalty}), which DAC needs: without it the discriminator tells the
 * two apart perfectly within a few thousand steps and its reward stops pointing anywhere.
 */
final class AdversarialReward {

    private final Gail discriminator;
    private final Dataset demos;
    private double loss = Double.NaN, accuracy = Double.NaN, penalty = Double.NaN;

    private AdversarialReward(Gail discriminator, Dataset demos) {
        this.discriminator = discriminator;
        this.demos = demos;
    }

    /** The reward of {@code --reward gail}, or null for {@code --reward task}. */
    static AdversarialReward of(Setup setup, PolicyLayout layout, Rng rng, PrintStream log) {
        Options o = setup.options;
        String reward = o.has("reward") ? o.get("reward") : "task";   // a checkpoint written before --reward existed: the task's
        if (reward.equals("task")) return null;
        if (!reward.equals("gail")) throw new IllegalArgumentException("--reward is task or gail, got '" + reward + "'");
        if (o.number("hindsight-share") != 0) {
            throw new IllegalArgumentException("--hindsight-share relabels goals with the task's reward; --reward gail uses none (pass --hindsight-share 0)");
        }
        if (o.integer("demo-replay") != 0) {
            throw new IllegalArgumentException("--demo-replay keeps demonstrations in the learner's minibatches; with --reward gail they are the discriminator's (pass --demo-replay 0)");
        }
        Dataset demos = new Dataset(layout.observationSize(), layout.actions());
        ImitationTraining.demonstrate(setup.env(false).fixedHorizon(), o.integer("demos"), o.longValue("seed") * 7_919L + 500_000, o.number("demo-noise"), 0, demos);
        double[] u = demos.targets();
        for (int k = 0; k < demos.size() * layout.actionSize(); k++) u[k] = Math.max(-1, Math.min(1, u[k]));
        Gail d = new Gail(layout.observationSize(), layout.actionSize(), OnPolicyTraining.discriminatorConfig(setup, 1, o.integer("batch")), rng);
        d.fit(demos.observations(), demos.size());
        log.printf(Locale.ROOT, "reward: a discriminator's (%s), from %d demonstrations of the scripted expert, %d pairs; the task's reward is not used%n",
                o.get("gail-reward"), o.integer("demos"), demos.size());
        return new AdversarialReward(d, demos);
    }

    /** What a checkpoint keeps of it. */
    ParameterGroup parameters() {
        return new ParameterGroup("discriminator", discriminator.parameters(), discriminator.optimiser());
    }

    /**
     * One discriminator step on the learner's minibatch rows {@code from} to {@code to} (drawn from
     * the replay buffer), then their rewards replaced by the updated discriminator's.
     */
    void score(double[] obs, double[] u, double[] rewards, int from, int to, Rng rng) {
        double[] s = discriminator.step(obs, u, from, to, demos.observations(), demos.targets(), demos.size(), rng);
        loss = s[0];
        accuracy = (s[1] + s[2]) / 2;
        penalty = s[3];
        discriminator.reward(obs, u, from, to, rewards);
    }

    /** The last step's loss and accuracy, for the progress line. */
    String summary() {
        return String.format(Locale.ROOT, " discriminator loss %.3f accuracy %.0f%%", loss, 100 * accuracy)
                + (discriminator.penalised() ? String.format(Locale.ROOT, " penalty %.3f", penalty) : "") + OnPolicyTraining.bottleneckSummary(discriminator);
    }
}
