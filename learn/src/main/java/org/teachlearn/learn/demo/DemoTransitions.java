package org.teachlearn.learn.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.teachlearn.learn.data.ReplayBuffer;
import org.teachlearn.learn.policy.ActionMap;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * Recorded demonstrations as the transitions an off-policy learner replays: a {@link
 * DemoSampler.Trace} that pairs each sample with the next one of its episode, one control period
 * later, into (s, u, r, s', terminal). u is the sample's label (the command the arm executed from
 * the state — not expert/action's clean label for a command that had noise added — or the motion
 * that followed it) mapped through the action map and clipped to [−1, 1],
 * the learner's range; r is the reward the recorded task/state gave on arriving in s' (the task
 * node's, as sim_arm publishes it: a function of the state, so sampling at the control period
 * keeps it right); s' that ends its episode is terminal unless the task/state says the episode
 * was truncated by its time limit. Samples that are not one period apart (readings lost, a pause
 * trimmed, a label missing) make no transition, and none crosses an episode: every transition is
 * one the arm actually made in one control period. Nor does a next state whose own task/state
 * (stamped as its reading) is missing from the recording: the one in force rewarded an earlier
 * state.
 */
public final class DemoTransitions implements DemoSampler.Trace {

    private final PolicyLayout layout;
    private final int od, ad;
    private final double[] prevObs, prevU;
    private double[] obs = new double[0], u = new double[0], next = new double[0], reward = new double[0];
    private boolean[] terminal = new boolean[0];
    private int size, terminals, episodes, nonFinite, stale, apart;
    private Demonstration demo;
    private long prevIndex = Long.MIN_VALUE;
    private int prevEpisode = -1, recordingTransitions;
    private boolean recordingRewarded;
    private final List<String> warnings = new ArrayList<>();

    public DemoTransitions(PolicyLayout layout) {
        this.layout = layout;
        od = layout.observationSize();
        ad = layout.actionSize();
        prevObs = new double[od];
        prevU = new double[ad];
    }

    @Override
    public void begin(Demonstration d) {
        finishRecording();
        demo = d;
        prevIndex = Long.MIN_VALUE;
        prevEpisode = -1;
        recordingTransitions = 0;
        recordingRewarded = false;
    }

    @Override
    public void sampled(long index, int episode, int state, boolean own, double[] o, double[] label) {
        pair(index, episode, state, own, o, false);
        if (episode != prevEpisode) episodes++;
        System.arraycopy(o, 0, prevObs, 0, od);
        ActionMap map = layout.actions();
        map.inverse(o, 0, label, 0, prevU, 0);
        for (int j = 0; j < ad; j++) prevU[j] = Math.max(-1, Math.min(1, prevU[j]));
        prevIndex = index;
        prevEpisode = episode;
    }

    @Override
    public void ended(long index, int episode, int state, boolean own, double[] o) {
        pair(index, episode, state, own, o, true);
        prevIndex = Long.MIN_VALUE;
    }

    /** The transition from the previous sample to this state, when it is the next one of the same episode. */
    private void pair(long index, int episode, int state, boolean own, double[] o, boolean ends) {
        if (prevEpisode != episode) return;   // an episode's first sample ends no transition
        if (prevIndex != index - 1) {   // a reading lost in recording, a pause trimmed, a label missing in between
            if (prevIndex != Long.MIN_VALUE) apart++;
            return;
        }
        if (!own) {   // the reading's own task/state was lost: the one in force rewarded an earlier state
            stale++;
            return;
        }
        double r = demo.states().value(state, Demonstration.REWARD);
        if (!Double.isFinite(r)) {
            nonFinite++;
            return;
        }
        boolean isTerminal = ends && demo.states().value(state, Demonstration.TRUNCATED) == 0;
        grow();
        System.arraycopy(prevObs, 0, obs, size * od, od);
        System.arraycopy(prevU, 0, u, size * ad, ad);
        System.arraycopy(o, 0, next, size * od, od);
        reward[size] = r;
        terminal[size] = isTerminal;
        if (isTerminal) terminals++;
        recordingRewarded |= r != 0;
        recordingTransitions++;
        size++;
    }

    private void grow() {
        if (size < reward.length) return;
        int n = Math.max(1024, 2 * reward.length);
        obs = Arrays.copyOf(obs, n * od);
        next = Arrays.copyOf(next, n * od);
        u = Arrays.copyOf(u, n * ad);
        reward = Arrays.copyOf(reward, n);
        terminal = Arrays.copyOf(terminal, n);
    }

    private void finishRecording() {
        if (demo != null && recordingTransitions > 0 && !recordingRewarded) {
            warnings.add(demo.name() + ": every task/state reward is 0: does its task node fill in the reward? (sim_arm does; "
                    + "an off-policy learner learns nothing from demonstrations without rewards)");
        }
        demo = null;
    }

    /** Transitions paired so far. */
    public int size() {
        return size;
    }

    /** Of which terminal (the episode ended there, not truncated). */
    public int terminals() {
        return terminals;
    }

    /** Transitions left out because their next reading's own task/state is missing. */
    public int withoutOwnState() {
        return stale;
    }

    /** Samples that end no transition because the sample before them in their episode is more than a period earlier. */
    public int apart() {
        return apart;
    }

    /** Episodes with at least one sample. */
    public int episodes() {
        return episodes;
    }

    /** What the summary should warn about: recordings whose rewards are all 0, transitions left out for a non-finite reward. */
    public List<String> warnings() {
        finishRecording();
        List<String> all = new ArrayList<>(warnings);
        if (nonFinite > 0) all.add(nonFinite + " transitions left out: their task/state reward is not a finite number");
        if (stale > 0) {
            all.add(stale + " transitions left out: their next reading has no task/state of its own stamp (lost in recording?), so no reward of its own");
        }
        return all;
    }

    /** Transition {@code i}'s state, output u and next state into the arrays (from 0). */
    public void copy(int i, double[] o, double[] uOut, double[] nextOut) {
        System.arraycopy(obs, i * od, o, 0, od);
        System.arraycopy(u, i * ad, uOut, 0, ad);
        System.arraycopy(next, i * od, nextOut, 0, od);
    }

    public double reward(int i) {
        return reward[i];
    }

    public boolean terminal(int i) {
        return terminal[i];
    }

    /** A replay buffer holding exactly these transitions. */
    public ReplayBuffer buffer() {
        if (size == 0) throw new IllegalStateException("no transitions");
        ReplayBuffer b = new ReplayBuffer(size, od, ad);
        for (int i = 0; i < size; i++) b.add(obs, u, reward[i], next, terminal[i], i);
        return b;
    }

    /** The observations of every transition's first state, row after row (for the learner's normaliser). */
    public double[] observations() {
        return Arrays.copyOf(obs, size * od);
    }

    /** One line: transitions, episodes, terminal ones, the range of rewards. */
    public String summary() {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            lo = Math.min(lo, reward[i]);
            hi = Math.max(hi, reward[i]);
        }
        return String.format(Locale.ROOT, "%d transitions from %d episodes (%d ending in a terminal state), rewards %.3g to %.3g%s",
                size, episodes, terminals, size == 0 ? 0 : lo, size == 0 ? 0 : hi,
                apart == 0 ? "" : String.format(Locale.ROOT, "; %d samples more than a period after the one before (readings lost?) end none", apart));
    }
}
