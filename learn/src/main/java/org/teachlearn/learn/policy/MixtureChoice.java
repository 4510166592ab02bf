package org.teachlearn.learn.policy;

import org.teachlearn.learn.Rng;

/**
 * Which component of a mixture policy acts (docs/messages.md §4, {@code ~mixture}). A mixture's
 * components are the demonstrator's different ways of doing the task; acting on their average is
 * what fails, so one component's mean is commanded:
 * <ul>
 *   <li>{@code LIKELY}: the most likely component at every tick (deterministic; where two ways are
 *       equally likely it may alternate between them);
 *   <li>{@code SAMPLE}: a component drawn by weight at every tick;
 *   <li>{@code EPISODE}: one component drawn by weight at the episode's first tick and kept while its
 *       weight stays at least {@link #KEEP_WEIGHT} of the largest; when it fades (the way is no longer
 *       one the demonstrations show from here) the most likely one is taken and kept instead. The
 *       bound is relative: one component that acts only where the ways part keeps a weight of 0.1–0.2
 *       beside the two ways, and kept there (at a bound of 0.1) it held reach_around's hand still.
 * </ul>
 * Allocation-free; one per control loop.
 */
public final class MixtureChoice {

    public static final double KEEP_WEIGHT = 0.5;

    public enum Mode {
        LIKELY, SAMPLE, EPISODE;

        public static Mode named(String name) {
            return switch (name) {
                case "likely" -> LIKELY;
                case "sample" -> SAMPLE;
                case "episode" -> EPISODE;
                default -> throw new IllegalArgumentException("mixture choice must be likely, sample or episode, got '" + name + "'");
            };
        }
    }

    private final Mode mode;
    private int kept = -1;
    private volatile boolean restart;   // set by reset() from any thread (a server's task/state), read by the choosing one

    public MixtureChoice(Mode mode) {
        this.mode = mode;
    }

    /** A new episode starts (or a new model runs): {@code EPISODE} draws again at its next choice. Any thread. */
    public void reset() {
        restart = true;
    }

    /** The component to act on, from the weights (K, summing to 1). */
    public int choose(double[] weights, int components, Rng rng) {
        if (restart) {
            restart = false;
            kept = -1;
        }
        switch (mode) {
            case LIKELY:
                return mostLikely(weights, components);
            case SAMPLE:
                return draw(weights, components, rng);
            default:
                if (kept < 0) {
                    kept = draw(weights, components, rng);
                } else {
                    int best = mostLikely(weights, components);
                    if (weights[kept] < KEEP_WEIGHT * weights[best]) kept = best;
                }
                return kept;
        }
    }

    public Mode mode() {
        return mode;
    }

    static int mostLikely(double[] weights, int components) {
        int best = 0;
        for (int k = 1; k < components; k++) if (weights[k] > weights[best]) best = k;
        return best;
    }

    static int draw(double[] weights, int components, Rng rng) {
        double r = rng.nextDouble(), acc = 0;
        for (int k = 0; k < components; k++) {
            acc += weights[k];
            if (r < acc) return k;
        }
        return components - 1;
    }
}
