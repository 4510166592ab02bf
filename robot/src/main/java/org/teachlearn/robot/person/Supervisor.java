package org.teachlearn.robot.person;

/**
 * A person watching a policy drive the arm toward a goal, judging when it strays and they should
 * take over, by rules a person would use: the tool has not come closer to the goal for a while, it
 * has gone away from the closest it came by more than a margin, or the episode is about to run out
 * of time for the distance left. Times are the episode's clock (the simulator's in lockstep), in
 * seconds; distances in metres. Nothing allocates per observation.
 */
public final class Supervisor {

    /** Why the person takes over. */
    public enum Stray {
        NONE("-"),
        NO_PROGRESS("no progress"),
        AWAY("moving away"),
        TIME("about to time out");

        private final String words;

        Stray(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    /**
     * @param patience  s without coming {@code progress} m closer after which the policy counts as stuck
     * @param progress  m closer that counts as progress
     * @param away      m further than the closest the tool came that counts as going away
     * @param tolerance m from the goal within which the tool is there (nothing to judge)
     * @param speed     m/s the person expects to move the tool at when they take over
     * @param reserve   s the person adds to {@code distance / speed} for reacting, gripping and the last correction
     */
    public record Rules(double patience, double progress, double away, double tolerance, double speed, double reserve) {

        public Rules {
            if (!(patience > 0 && progress > 0 && away > 0 && tolerance >= 0 && speed > 0 && reserve >= 0)) {
                throw new IllegalArgumentException("a supervisor's rules need patience, progress, away and speed > 0 and tolerance, reserve >= 0"
                        + ", got " + patience + ", " + progress + ", " + away + ", " + tolerance + ", " + speed + ", " + reserve);
            }
        }

        /** What a person watching reach would go by: stuck for 0.5 s, 5 cm off course, or too little time for the way left. */
        public static Rules reach() {
            return new Rules(0.5, 0.005, 0.05, 0.02, 0.4, 0.6);
        }
    }

    private final Rules rules;
    private double closest, mark, markedAt, since;   // mark: the distance when progress last counted
    private double lastDistance;
    private boolean watching;

    public Supervisor(Rules rules) {
        this.rules = rules;
    }

    /** Starts watching at {@code time} with the tool {@code distance} from the goal (an episode's start, or the policy given the arm back). */
    public void watch(double time, double distance) {
        closest = distance;
        mark = distance;
        markedAt = time;
        since = time;
        lastDistance = distance;
        watching = true;
    }

    /** Stops judging (the person has the arm, or the episode is over) until the next {@link #watch}. */
    public void stop() {
        watching = false;
    }

    public boolean watching() {
        return watching;
    }

    /** The tool's distance to the goal at the last observation. */
    public double distance() {
        return lastDistance;
    }

    /** How long (s) the tool has not come closer, at {@code time}. */
    public double stuckFor(double time) {
        return time - markedAt;
    }

    /**
     * One observation: the tool {@code distance} from the goal at {@code time}, with {@code timeLeft}
     * s of the episode left. Returns why the person takes over now, or {@link Stray#NONE}.
     */
    public Stray observe(double time, double distance, double timeLeft) {
        lastDistance = distance;
        if (!watching) return Stray.NONE;
        closest = Math.min(closest, distance);
        if (distance < mark - rules.progress) {   // steady small steps add up to progress
            mark = distance;
            markedAt = time;
        }
        if (distance < rules.tolerance) return Stray.NONE;
        if (distance > closest + rules.away) return Stray.AWAY;
        // the clock is judged once the policy has had a moment: at the start a good policy is faster than the person
        if (time - since > rules.patience && timeLeft < rules.reserve + distance / rules.speed) return Stray.TIME;
        if (time - markedAt > rules.patience) return Stray.NO_PROGRESS;
        return Stray.NONE;
    }
}
