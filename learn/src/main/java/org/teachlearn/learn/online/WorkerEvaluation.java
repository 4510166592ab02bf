package org.teachlearn.learn.online;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A deterministic evaluation of one model version on the workers, counted from their batches. The
 * workers take their policy's mean action from their next episode on (policy_server follows
 * {@code /policy/deterministic}); an episode counts when every row of it was the policy's mean
 * action (log-probability NaN, no person commanding) under the version evaluated. The first episode
 * each worker is seen in is left out: it may have begun before the workers switched. Success is
 * read as {@link Episodes} reads it: terminal with a positive reward.
 */
public final class WorkerEvaluation {

    /** What the evaluation saw: {@code episodes} counted, and those left out because a person took over. */
    public record Result(long version, int wanted, int successes, int episodes, double meanReturn, int workers, int takenOver, double seconds) {
        public double successRate() {
            return episodes == 0 ? Double.NaN : (double) successes / episodes;
        }
    }

    private static final class Running {
        long episode = -1;
        boolean seenOne, whole, person;
        double ret;
    }

    private final long version;
    private final int wanted;
    private final long startNanos = System.nanoTime();
    private final Map<String, Running> running = new HashMap<>();
    private final Set<String> counted = new HashSet<>();
    private int episodes, successes, takenOver;
    private double returns;

    public WorkerEvaluation(long version, int episodes) {
        if (episodes < 1) throw new IllegalArgumentException("an evaluation needs at least one episode, got " + episodes);
        this.version = version;
        this.wanted = episodes;
    }

    /** A batch that passed {@link BatchCheck} (any thread; only its scalars are read). */
    public synchronized void add(Batch b) {
        if (finished()) return;
        // workers come and go under new names: past the intake's bound the newcomers are not evaluated rather than the heap filled
        if (running.size() >= Intake.MAX_WORKERS && !running.containsKey(b.worker)) return;
        Running w = running.computeIfAbsent(b.worker, k -> new Running());
        for (int r = 0; r < b.rows() && !finished(); r++) {
            if (b.episode[r] != w.episode) {
                if (w.episode != -1) w.seenOne = true;   // the one before ended unseen: this one began under our eyes
                w.episode = b.episode[r];
                w.whole = true;
                w.person = false;
                w.ret = 0;
            }
            if (b.intervention[r] == 1) w.person = true;
            else if (b.policyVersion != version || Float.isFinite(b.logProb[r])) w.whole = false;
            w.ret += b.reward[r];
            if (b.done[r] == 0) continue;
            boolean first = !w.seenOne;
            w.seenOne = true;
            w.episode = -1;
            if (first || !w.whole) continue;
            if (w.person) {
                takenOver++;
                continue;
            }
            episodes++;
            returns += w.ret;
            counted.add(b.worker);
            if (b.done[r] == 1 && b.reward[r] > 0) successes++;
        }
    }

    public synchronized boolean finished() {
        return episodes >= wanted;
    }

    public long version() {
        return version;
    }

    public int wanted() {
        return wanted;
    }

    public synchronized Result result() {
        return new Result(version, wanted, successes, episodes, episodes == 0 ? Double.NaN : returns / episodes, counted.size(), takenOver,
                (System.nanoTime() - startNanos) / 1e9);
    }
}
