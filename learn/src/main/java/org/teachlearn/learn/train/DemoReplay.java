package org.teachlearn.learn.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.teachlearn.learn.Rng;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.demo.DemoSampler;
import org.teachlearn.learn.demo.DemoSource;
import org.teachlearn.learn.demo.DemoTransitions;
import org.teachlearn.learn.demo.Demonstrations;
import org.teachlearn.learn.data.ReplayBuffer;
import org.teachlearn.learn.env.ArmEnv;
import org.teachlearn.learn.policy.ActionMap;
import org.teachlearn.learn.policy.PolicyLayout;
import org.teachlearn.learn.policy.RunningNorm;

/**
 * Demonstrations inside off-policy learning (RLPD, Ball et al. 2023; HIL-SERL): the scripted
 * expert's episodes as transitions in a buffer of their own, kept beside the online buffer, and a
 * fixed share of every minibatch drawn from them. A demonstration's u is what the arm executed,
 * within the learner's range: the expert's command (plus DART's noise, as for behaviour cloning)
 * mapped to u and clipped to [−1, 1], and the command sent is the one that u maps back to, so every
 * stored transition is one the learner itself could have made. The buffer is made from the run's
 * seed, so a resumed run makes the same one again instead of storing it in the checkpoint. Or the
 * buffer holds recorded demonstrations ({@code --bags}, {@link #fromRecordings}), read again on
 * resume.
 */
final class DemoReplay {

    private final ReplayBuffer buffer;
    private final int episodes;
    private final int successes;

    private DemoReplay(ReplayBuffer buffer, int episodes, int successes) {
        this.buffer = buffer;
        this.episodes = episodes;
        this.successes = successes;
    }

    /** {@code episodes} expert episodes from consecutive seeds on {@code env}, their observations also fed to {@code norm}. */
    static DemoReplay record(ArmEnv env, int episodes, long seed, double noise, RunningNorm norm) {
        int od = env.layout().observationSize(), ad = env.layout().actionSize(), arm = env.layout().armJoints().length;
        ActionMap map = env.layout().actions();
        int horizon = env.maxSteps() + 1;
        ReplayBuffer buffer = new ReplayBuffer(Math.max(1, episodes * horizon), od, ad);
        double[] obs = new double[od], next = new double[od], cmd = new double[ad], u = new double[ad];
        Rng rng = new Rng(seed ^ 0x5DEECE66DL);
        int successes = 0;
        for (int e = 0; e < episodes; e++) {
            env.reset(seed + e);
            env.observe(obs, 0);
            while (!env.done()) {
                env.expertCommand(cmd, 0);
                for (int j = 0; j < arm; j++) cmd[j] += noise * rng.nextGaussian();
                map.inverse(obs, 0, cmd, 0, u, 0);
                for (int j = 0; j < ad; j++) u[j] = Math.max(-1, Math.min(1, u[j]));
                map.command(obs, od, u, 0, cmd, 0);
                env.step(cmd, 0);
                env.observe(next, 0);
                norm.update(obs, 1);
                buffer.add(obs, u, env.reward(), next, env.terminal(), 0);
                System.arraycopy(next, 0, obs, 0, od);
            }
            if (env.success()) successes++;
        }
        return new DemoReplay(buffer, episodes, successes);
    }

    /**
     * The recordings under {@code --bags} as transitions ({@link DemoTransitions}): sampled at the
     * run's control period, labelled as {@code bc --bags} labels them (commands, expert/action, or
     * the motion; no perturbed copies, hindsight goals or trimmed pauses, which are not transitions
     * the arm made), each sample paired with the next into (s, u, r, s'). The rewards are the
     * recorded task/state's. Their observations are fed to {@code norm}.
     */
    static DemoReplay fromRecordings(Setup setup, PolicyLayout layout, RunningNorm norm, DemoSource recordings, PrintStream log) throws Exception {
        Options o = setup.options;
        Demonstrations.Request request = new Demonstrations.Request(Path.of(o.get("bags")), ImitationTraining.spec(setup, layout), setup.task,
                setup.controlPeriod, o.number("motion-lookahead"), DemoSampler.Labels.named(o.get("bag-labels")), o.flag("include-failed"),
                DemoSampler.Perturbation.NONE, DemoSampler.Hindsight.NONE, 0, 0, 0);   // one period, the gripper as commanded: a transition's u moved the arm
        DemoTransitions transitions = new DemoTransitions(layout);
        List<Demonstrations.Row> rows = Demonstrations.addTo(new Dataset(layout.observationSize(), layout.actions()), recordings, request,
                transitions, true, log);
        for (String w : transitions.warnings()) log.println("warning: " + w);
        if (transitions.size() == 0) {
            throw new IllegalArgumentException("--bags " + o.get("bags") + ": no transition to replay: no two samples of an episode one control period "
                    + "(" + setup.controlPeriod + " s) apart (see the summary above)");
        }
        norm.update(transitions.observations(), transitions.size());
        int used = (int) rows.stream().filter(Demonstrations.Row::used).count();
        log.println("demonstration replay from " + used + " recording" + (used == 1 ? "" : "s") + ": " + transitions.summary());
        return new DemoReplay(transitions.buffer(), transitions.episodes(), transitions.terminals());
    }

    /** The first {@code n} rows of a minibatch from the demonstrations; the caller draws the rest from the online buffer. */
    void sample(int n, Rng rng, double[] o, double[] u, double[] r, double[] next, double[] notDone) {
        buffer.sample(n, rng, o, u, r, next, notDone, 0);
    }

    int transitions() {
        return buffer.size();
    }

    int episodes() {
        return episodes;
    }

    /**
     * Demonstrations that succeeded (the noise and the clip to the learner's range can fail one; all
     * are kept); for recordings, the episodes that ended in a terminal state.
     */
    int successes() {
        return successes;
    }
}
