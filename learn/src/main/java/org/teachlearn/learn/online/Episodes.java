package org.teachlearn.learn.online;

import java.util.HashMap;
import java.util.Map;

/**
 * The workers' episodes as their batches tell them: each worker's return so far, and for the
 * episodes that ended since the last summary, their mean return, how many succeeded and how often
 * a person took over. An episode succeeded when it ended terminal with a positive reward: both
 * tasks add their success bonus on that step, and a failure that ends an episode (a cube off the
 * table) gives a negative one. An intervention is a run of rows a person commanded.
 */
public final class Episodes {

    /** What ended since the last {@link #takeSummary}: NaN rates when no episode ended. */
    public record Summary(int episodes, double meanReturn, double successRate, double interventionsPerEpisode) {
    }

    private static final class Running {
        long episode = -1;
        double ret;
        int interventions;
        boolean inIntervention;
    }

    private final Map<String, Running> running = new HashMap<>();
    private int ended, successes, interventions;
    private double returns;

    public void add(Batch b) {
        // workers come and go under new names: past this many, the open episodes are forgotten rather than the heap filled
        if (running.size() >= 4 * Intake.MAX_WORKERS && !running.containsKey(b.worker)) running.clear();
        Running w = running.computeIfAbsent(b.worker, k -> new Running());
        for (int r = 0; r < b.rows(); r++) {
            if (b.episode[r] != w.episode) {
                w.episode = b.episode[r];
                w.ret = 0;
                w.interventions = 0;
                w.inIntervention = false;
            }
            w.ret += b.reward[r];
            boolean person = b.intervention[r] == 1;
            if (person && !w.inIntervention) w.interventions++;
            w.inIntervention = person;
            if (b.done[r] != 0) {
                ended++;
                returns += w.ret;
                interventions += w.interventions;
                if (b.done[r] == 1 && b.reward[r] > 0) successes++;
                w.episode = -1;
            }
        }
    }

    public Summary takeSummary() {
        Summary s = ended == 0 ? new Summary(0, Double.NaN, Double.NaN, Double.NaN)
                : new Summary(ended, returns / ended, (double) successes / ended, (double) interventions / ended);
        ended = successes = interventions = 0;
        returns = 0;
        return s;
    }
}
