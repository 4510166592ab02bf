package org.teachlearn.learn.demo;

import java.util.Locale;
import java.util.SplittableRandom;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.data.GoalOfPose;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * A recorded demonstration → labelled samples at the policy's control period, whatever rate it
 * was recorded at: sample times t = t₀ + k·period from the first joint reading; the observation
 * at t is built by {@link PolicyLayout#observe} from the latest reading at or before t (each
 * reading sampled at most once: one lost in recording is not replaced by its predecessor twice)
 * and the goal of the latest task/state at or before that reading; the label is the command that
 * answered that reading, which the dataset maps into the policy's output through the layout's
 * action map (relative arm targets, absolute gripper opening).
 *
 * <p>Labels come from what was commanded, or — where nothing commanded the motion (drag teaching)
 * — from the motion itself: the joint positions one control period (or the motion lookahead)
 * after the reading, linear between the readings around that instant, as the position target (an
 * inverse-dynamics label, as in behavioural cloning from observation, Torabi et al. 2018), the
 * gripper's commanded opening where it was recorded, else its opening at that instant. Commands:
 * the expert/action answering the observed reading where there is one (the expert's or the
 * operator's label, even when the executed command had noise added), else the arm and gripper
 * commands in force at the reading (a command without a stamp is timed by the reading recorded
 * before it: the one it answers).
 *
 * <p>Motion labels are absolute position targets, so they stay right from a state a little off
 * the demonstrated path: with a {@link Perturbation} each such sample is added again with its
 * observed joint positions moved by Gaussian noise and the same target — a label that leads back
 * to the path. A person guiding the arm never shows how to recover from the policy's own errors;
 * these synthesised perturbations do (ChauffeurNet's perturbed trajectories, Bansal et al. 2018;
 * DART's recovery data, Laskey et al. 2017, without a person in the loop).
 *
 * <p>No sample crosses an episode: states that end an episode (done) have no action, a reading
 * from before its episode's first task/state is not used, and a motion label must lie in the same
 * episode. Times within 1 % of a period count as equal, so stamps rounded to the nanosecond never
 * slip a whole period.
 */
public final class DemoSampler {

    /** How to label: {@code auto} (motion for drag teaching and recordings without commands, else commands), or one of the two. */
    public enum Labels {
        AUTO, COMMANDS, MOTION;

        public static Labels named(String name) {
            for (Labels l : values()) if (l.name().toLowerCase(Locale.ROOT).equals(name)) return l;
            throw new IllegalArgumentException("--bag-labels must be auto, commands or motion, got '" + name + "'");
        }
    }

    /**
     * Samples added, what labelled them ({@code expert/action}, {@code commands}, {@code motion}, or
     * a mix), why none when none, and the episodes: seen, failed and skipped, and incomplete.
     */
    public record Result(int samples, String labelledBy, String whyNone, int episodes, int failed, int incomplete) {

        static Result none(String why) {
            return new Result(0, "", why, 0, 0, 0);
        }
    }

    /**
     * Each motion-labelled sample {@code copies} more times with the observed joint positions
     * moved by N(0, sigma²) rad each, the label unchanged; seeded.
     */
    public record Perturbation(int copies, double sigma, long seed) {

        public static final Perturbation NONE = new Perturbation(0, 0, 0);

        public Perturbation {
            if (copies < 0 || copies > 100) throw new IllegalArgumentException("--state-copies must be 0..100, got " + copies);
            if (!(sigma >= 0) || sigma > 1) throw new IllegalArgumentException("--state-noise must be 0..1 rad, got " + sigma);
        }
    }

    /**
     * Hindsight goals for tasks whose goal is where the hand is (reach): each motion-labelled
     * sample is added {@code goals} more times with the hand's position at a later reading of its
     * episode as the goal, and the path as if it had stopped there (targets no further than that
     * reading). Every demonstration then also shows how to reach the points it passed through
     * (hindsight relabelling for goal-conditioned imitation, Ghosh et al. 2019 — GCSL; Ding et al.
     * 2019), so 50 demonstrations cover the workspace far more densely than their 50 end points.
     */
    public record Hindsight(int goals, GoalOfPose goalOf) {

        public static final Hindsight NONE = new Hindsight(0, null);

        public Hindsight {
            if (goals < 0 || goals > 100) throw new IllegalArgumentException("--hindsight-goals must be 0..100, got " + goals);
            if (goals > 0 && goalOf == null) throw new IllegalArgumentException("hindsight goals need the goal of a pose");
        }
    }

    /**
     * Told, in time order, of every sample added (not of its perturbed copies or hindsight goals)
     * and of the first state that ends each usable episode: what {@link DemoTransitions} pairs into
     * the transitions of off-policy demonstration replay. The arrays are the sampler's own, valid
     * during the call.
     */
    public interface Trace {

        /** A new recording: the following calls' state indices are rows of {@code d.states()}. */
        void begin(Demonstration d);

        /**
         * Sample {@code index} (at t₀ + index · period) of the episode whose first task/state is
         * row {@code episode}: the task/state {@code state} in force, whether it is the reading's own
         * (stamped as the reading; not when the reading's task/state was lost and an earlier one is
         * in force), the observation and the label.
         */
        void sampled(long index, int episode, int state, boolean own, double[] obs, double[] label);

        /** The first state that ends the episode, observed at sample {@code index}; {@code own} as above. */
        void ended(long index, int episode, int state, boolean own, double[] obs);
    }

    /** More samples than a day of demonstration at 1 kHz: a clock gone wrong, not a recording. */
    static final long MAX_SAMPLES = 100_000_000L;

    /** Readings further apart than this many periods around a motion label mean readings were lost: no label there. */
    static final int MAX_GAP = 5;

    private final PolicyLayout layout;
    private final long period, tolerance, lookahead;
    private final int arm, grip, goalSize;
    private final double[] q, dq, goal, obs, moved;
    private double[] command, hindsightTarget;   // a label: one action, or a chunk of K (the dataset's width)
    private final double[] reached, hindsightGoal;
    private final Perturbation perturbation;
    private final Hindsight hindsight;
    private int hindsightEpisode, lastOfEpisode;   // the episode (its first state) whose last reading is cached
    private int pathEpisode = -1, pathLast;   // the episode (its first state) without a done state whose last reading is cached
    private double pathAhead;   // > 0: motion labels from the pose this far (rad) along the demonstrated path, not lookahead later
    private double gripperAhead;   // > 0: motion samples this close (rad) to where the gripper's command next changes take the new command
    private double pause;   // > 0: motion samples that move the arm less than this (rad) and are followed by more motion are left out
    private int pauseEpisode = -1, lastMove;   // the episode whose last moving reading is cached, and that reading
    private final SplittableRandom random;
    private Trace trace;
    private boolean executed;   // commands before expert/action
    private int endedEpisode, tracedEpisode;   // the episode whose end was traced, and the one of the last sample traced
    private long tracedIndex, tracedAt;

    public DemoSampler(PolicyLayout layout, double controlPeriod) {
        this(layout, controlPeriod, controlPeriod, Perturbation.NONE, Hindsight.NONE);
    }

    /**
     * With motion labels taken {@code motionLookahead} seconds after the reading instead of one
     * control period: a damped position controller needs its target that far ahead of the arm to
     * move it at the demonstrated speed (about Kd/Kp for a PD loop).
     */
    public DemoSampler(PolicyLayout layout, double controlPeriod, double motionLookahead, Perturbation perturbation, Hindsight hindsight) {
        if (!(controlPeriod > 0)) throw new IllegalArgumentException("the control period must be > 0, got " + controlPeriod);
        if (!(motionLookahead > 0) || !Double.isFinite(motionLookahead)) {
            throw new IllegalArgumentException("--motion-lookahead must be a time in s > 0, got " + motionLookahead);
        }
        this.lookahead = Math.round(motionLookahead * 1e9);
        this.layout = layout;
        this.period = Math.round(controlPeriod * 1e9);
        this.tolerance = period / 100;
        arm = layout.armJoints().length;
        grip = layout.gripperJoint() != null ? 1 : 0;
        goalSize = layout.goalSize();
        q = new double[arm];
        dq = new double[arm];
        goal = new double[goalSize];
        obs = new double[layout.observationSize()];
        command = new double[layout.actionSize()];
        moved = new double[arm];
        reached = new double[arm];
        hindsightGoal = new double[goalSize];
        hindsightTarget = new double[layout.actionSize()];
        this.perturbation = perturbation;
        this.hindsight = hindsight;
        if (hindsight.goals() > 0 && goalSize == 0) throw new IllegalArgumentException("hindsight goals for a task without a goal");
        random = new SplittableRandom(perturbation.seed());
    }

    /**
     * Leaves out the pauses of motion-labelled demonstrations: samples whose label moves no arm
     * joint by {@code rad} or more (and leaves the gripper's command as it is) while the arm moves
     * on later in the episode. A person waits before starting, and hesitates on the way; the
     * state does not say for how long (it depends on time, not on the state: a non-Markovian
     * demonstrator), so a cloned policy learns "wait" beside "go" for the same states, and can
     * come to rest anywhere. The rest at the end of a demonstration stays: it teaches stopping.
     */
    public DemoSampler trimPauses(double rad) {
        if (!(rad >= 0) || rad > 0.5) throw new IllegalArgumentException("--trim-pauses must be 0..0.5 rad, got " + rad);
        pause = rad;
        return this;
    }

    /**
     * Motion labels from the demonstrated pose {@code rad} further along the path (the first later
     * reading whose arm joints lie that far from the reading's, Euclidean over the joints) instead
     * of a fixed time later; within that distance of the episode's end (its done state), the pose
     * it ended in; never past a change of the gripper's command (the arm waits there for the
     * fingers). A person moves at a speed of their own that the state does not show (the simulated
     * one at 0.1–0.3 m/s, chosen per movement), and slows down into the goal: time-ahead labels
     * carry that speed as noise, and near the goal point only part of the way there, so a cloned
     * policy's small error there becomes a standstill short of the goal. Labels along the path
     * depend on where the person went, not how fast, and lead all the way to where they stopped.
     * 0 (the default) keeps the time lookahead.
     */
    public DemoSampler pathLookahead(double rad) {
        pathAhead = checkPathLookahead(rad);
        return this;
    }

    /** {@code rad} if it is a path lookahead {@link #pathLookahead} takes, else an error that says the range. */
    public static double checkPathLookahead(double rad) {
        if (!(rad >= 0) || rad > 2) throw new IllegalArgumentException("--path-lookahead must be 0..2 rad, got " + rad);
        return rad;
    }

    /**
     * The gripper's label for a motion-labelled sample whose arm lies within {@code rad}
     * (Euclidean over the arm joints) of the pose at which the gripper's command next changes in
     * its episode: that next command, not the one in force. A person presses the button once the
     * hand is there, and fingers move in a few milliseconds: without this, hardly a sample shows
     * fingers still open with the command to close (or closed with the command to open), and a
     * cloned policy waits at the cube, or over the target, for ever. With it, the few samples
     * around the press pose teach "here, close" (the scripted expert's funnel does the same: it
     * closes within 2 cm of the grasp). 0 (the default) labels the command in force.
     */
    public DemoSampler gripperLookahead(double rad) {
        gripperAhead = checkGripperLookahead(rad);
        return this;
    }

    /** {@code rad} if it is a gripper lookahead {@link #gripperLookahead} takes, else an error that says the range. */
    public static double checkGripperLookahead(double rad) {
        if (!(rad >= 0) || rad > 1) throw new IllegalArgumentException("--gripper-lookahead must be 0..1 rad, got " + rad);
        return rad;
    }

    /**
     * Labels from what the arm was commanded before expert/action (which otherwise comes first):
     * a transition's output must be the one that moved the arm, not the expert's clean label for a
     * command that had noise added (demonstration replay; behaviour cloning wants the label).
     */
    public DemoSampler executedCommands() {
        executed = true;
        return this;
    }

    /** Tells {@code t} of every sample and episode end from now on ({@link Trace}). */
    public DemoSampler tracing(Trace t) {
        trace = t;
        return this;
    }

    /** Whether {@code d} is labelled from its motion under {@code labels}. */
    public static boolean fromMotion(Demonstration d, Labels labels) {
        return switch (labels) {
            case MOTION -> true;
            case COMMANDS -> false;
            case AUTO -> (d.info() != null && Demonstration.DRAG_TEACH.equals(d.info().source()))
                    || (d.expertActions().size() == 0 && d.armCommands().size() == 0);
        };
    }

    /**
     * Adds the samples of {@code d} to {@code out}. Of the episodes its task/state shows, one that
     * ends in failure is left out unless {@code includeFailed}, and one that begins after another
     * ended and does not end in the recording (the next episode, caught as the recording stopped)
     * is left out.
     */
    public Result sample(Demonstration d, Labels labels, boolean includeFailed, Dataset out) {
        Timeline joints = d.joints(), states = d.states();
        if (trace != null) trace.begin(d);
        if (joints.size() == 0) return Result.none("no joint readings");
        boolean motion = fromMotion(d, labels);
        int width = layout.actionSize(), chunk = out.actDim() / width;
        if (chunk > 1 && !motion) return Result.none("chunks of " + chunk + " actions are labelled from the motion only (--bag-labels motion)");
        if (command.length != chunk * width) {
            command = new double[chunk * width];
            hindsightTarget = new double[chunk * width];
        }
        if (!motion && d.expertActions().size() == 0 && d.armCommands().size() == 0) {
            return Result.none("no commands or expert/action recorded to label from (--bag-labels commands)");
        }
        if (goalSize > 0 && states.size() == 0) {
            return Result.none("no task/state: the goal (" + goalSize + " values) is part of the observation");
        }
        if ((joints.last() - joints.first()) / period > MAX_SAMPLES) {
            return Result.none(String.format(Locale.ROOT, "its joint readings span %.0f s: are some stamped and others not?",
                    (joints.last() - joints.first()) / 1e9));
        }
        int[] episodeStart = episodeStarts(states);
        boolean[] usable = new boolean[states.size()];   // per episode's first state
        int[] doneState = new int[states.size()];   // per episode's first state: its first done state, or -1
        int episodes = 0, failed = 0, incomplete = 0;
        boolean anEpisodeEnded = false;
        for (int i = 0; i < states.size(); ) {
            int endOf = i;
            while (endOf + 1 < states.size() && episodeStart[endOf + 1] == i) endOf++;
            int done = -1;
            for (int k = i; k <= endOf && done < 0; k++) if (states.value(k, Demonstration.DONE) != 0) done = k;
            episodes++;
            doneState[i] = done;
            if (done >= 0 && states.value(done, Demonstration.SUCCESS) == 0 && !includeFailed) {
                failed++;
            } else if (done < 0 && anEpisodeEnded) {
                incomplete++;
            } else {
                usable[i] = true;
            }
            anEpisodeEnded |= done >= 0;
            i = endOf + 1;
        }
        int samples = 0, fromExpert = 0, fromCommands = 0, beforeState = 0, unlabelled = 0, lastReading = -1;
        hindsightEpisode = -1;
        pauseEpisode = -1;
        pathEpisode = -1;
        long first = joints.first(), end = joints.last();
        endedEpisode = tracedEpisode = -1;
        for (long t = first, index = -1; t <= end + tolerance; t += period) {
            index++;
            int j = joints.latest(t + tolerance), s = -1;
            if (j == lastReading) continue;   // no reading since the last sample (lost, or recorded slower): none sampled twice
            lastReading = j;
            long seen = joints.time(j);   // the reading observed; its label is what answered it
            if (states.size() > 0) {
                s = states.latest(seen + tolerance);
                if (s < 0 || seen < states.time(episodeStart[s]) - tolerance) {
                    beforeState++;   // no goal yet, or the reading is from before this episode began
                    continue;
                }
                if (episodeStart[s] != tracedEpisode) traceMissedEnd(joints, states, doneState);
                if (!usable[episodeStart[s]]) continue;
                if (states.value(s, Demonstration.DONE) != 0) {   // done: no action is expected
                    if (trace != null && episodeStart[s] != endedEpisode) {
                        endedEpisode = episodeStart[s];
                        observe(joints, j, states, s);
                        trace.ended(index, episodeStart[s], s, own(joints, j, states, s), obs);
                    }
                    continue;
                }
            }
            long later = seen + lookahead;   // the instant the motion label is taken at
            if (motion) {
                if (pathAhead > 0) {
                    int ahead = alongPath(d, joints, states, episodeStart, doneState, s, j);
                    // readings were lost on the way, or the episode's readings stop (the recording, or a
                    // reset without a done state) before the arm got that far
                    if (ahead == LOST_READINGS || ahead == NOT_THAT_FAR) continue;
                    later = joints.time(ahead);
                    joints.copy(ahead, 0, arm + grip, command, 0);
                } else {
                    // where the arm was one lookahead after the reading: between the readings around that
                    // instant (recording jitter must not turn a motion into a zero label)
                    int where = motionAt(joints, states, episodeStart, s, later, 0);
                    if (where == END) break;   // the recording ends first
                    if (where != MOVED) continue;   // readings were lost there, or it crosses a reset
                }
                double inForce = 0, soon = 0;   // the gripper's command at the reading, and its label (the next one, near a change)
                if (grip == 1) {
                    inForce = soon = command[arm] = gripperCommandOr(d, seen, command[arm]);
                    if (gripperAhead > 0) soon = command[arm] = gripperSoon(d, joints, states, episodeStart, s, j, inForce);
                }
                // a chunk's later actions: the motion one period after another; past the episode's end the last holds
                boolean held = false;   // once a later reading is missing (the end, a gap, a reset), the rest of the chunk holds
                for (int k = 1; k < chunk; k++) {
                    if (held || motionAt(joints, states, episodeStart, s, later + k * period, k * width) != MOVED) {
                        held = true;
                        System.arraycopy(command, (k - 1) * width, command, k * width, width);
                    } else if (grip == 1) {
                        // before a recording's first gripper command (drag_teach sends one only at a press) the
                        // gripper stays as labelled now: the opening measured further on may already be the
                        // fingers closing on the press the command for comes later
                        double before = d.gripperCommands().size() > 0 ? inForce : command[k * width + arm];
                        double g = gripperCommandOr(d, seen + k * period, before);
                        command[k * width + arm] = g == inForce ? soon : g;   // a change labelled early stays so for the later actions
                    }
                }
            } else {
                int e = d.expertActions().latest(seen + tolerance);
                boolean expertHere = e >= 0 && d.expertActions().time(e) >= seen - tolerance;
                if (executed && d.armCommands().targetAt(seen, tolerance, period, command, 0)) {
                    if (grip == 1) command[arm] = gripperCommandOr(d, seen, joints.value(j, arm));
                    fromCommands++;
                } else if (expertHere) {
                    d.expertActions().copy(e, 0, command.length, command, 0);
                    fromExpert++;
                } else if (!executed && d.armCommands().targetAt(seen, tolerance, period, command, 0)) {
                    if (grip == 1) command[arm] = gripperCommandOr(d, seen, joints.value(j, arm));
                    fromCommands++;
                } else {
                    unlabelled++;   // before the first command
                    continue;
                }
            }
            if (motion && pause > 0 && s >= 0 && pausing(joints, j)) {
                if (episodeStart[s] != pauseEpisode) {
                    pauseEpisode = episodeStart[s];
                    lastMove = lastMovingReading(joints, lastReadingOf(joints, states, episodeStart, pauseEpisode, j));
                }
                if (j < lastMove) continue;   // a pause the demonstration goes on from
            }
            double opening = read(joints, j, states, s);
            add(q, dq, opening, goal, command, motion, out);   // builds obs
            if (trace != null && s >= 0) {
                if (motion && perturbation.copies() > 0) layout.observe(q, dq, opening, goal, obs, 0);   // add's copies moved obs
                trace.sampled(index, episodeStart[s], s, own(joints, j, states, s), obs, command);
                tracedEpisode = episodeStart[s];
                tracedIndex = index;
                tracedAt = t;
            }
            samples++;
            if (motion && hindsight.goals() > 0 && s >= 0) {
                if (episodeStart[s] != hindsightEpisode) {
                    hindsightEpisode = episodeStart[s];
                    lastOfEpisode = lastReadingOf(joints, states, episodeStart, hindsightEpisode, j);
                }
                for (int g = 0; g < hindsight.goals() && lastOfEpisode > j; g++) {
                    int at = j + 1 + random.nextInt(lastOfEpisode - j);
                    joints.copy(at, 0, arm, reached, 0);
                    hindsight.goalOf().goal(reached, hindsightGoal);
                    System.arraycopy(command, 0, hindsightTarget, 0, command.length);
                    for (int k = 0; k < chunk; k++) {   // stopped there
                        if (joints.time(at) <= later + k * period) System.arraycopy(reached, 0, hindsightTarget, k * width, arm);
                    }
                    add(q, dq, opening, hindsightGoal, hindsightTarget, true, out);
                }
            }
        }
        traceMissedEnd(joints, states, doneState);
        String by = motion ? "motion" : fromCommands == 0 ? "expert/action" : fromExpert == 0 ? "commands" : "expert/action+commands";
        String why = samples > 0 ? null : failed + incomplete == episodes && episodes > 0 ? "no successful episode"
                : beforeState > 0 && unlabelled == 0 ? "no joint reading within an episode's task/state"
                : unlabelled > 0 ? "no command in force at any sample" : "no state before the end of an episode";
        return new Result(samples, by, why, episodes, failed, incomplete);
    }

    /**
     * The end of the episode last traced when no sample time fell on its done state (it lasts one
     * reading, and samples come every period): told as ended one period after the last sample, with
     * the done state's reading, so a terminal transition is not lost to the sampling grid; not when
     * the done state lies more than a period after that sample.
     */
    private void traceMissedEnd(Timeline joints, Timeline states, int[] doneState) {
        if (trace == null || tracedEpisode < 0 || tracedEpisode == endedEpisode || doneState[tracedEpisode] < 0) {
            tracedEpisode = -1;
            return;
        }
        int done = doneState[tracedEpisode], j = joints.latest(states.time(done) + tolerance);
        endedEpisode = tracedEpisode;
        tracedEpisode = -1;
        if (j < 0 || states.time(done) > tracedAt + period + tolerance) return;   // samples were left out before it: no transition of one period
        observe(joints, j, states, done);
        trace.ended(tracedIndex + 1, endedEpisode, done, own(joints, j, states, done), obs);
    }

    /** Whether task/state {@code s} is stamped as reading {@code j} (within 1 % of a period). */
    private boolean own(Timeline joints, int j, Timeline states, int s) {
        return Math.abs(states.time(s) - joints.time(j)) <= tolerance;
    }

    /** Reading {@code j} and the goal of task/state {@code s} into q, dq and goal; returns the gripper's opening. */
    private double read(Timeline joints, int j, Timeline states, int s) {
        joints.copy(j, 0, arm, q, 0);
        joints.copy(j, arm + grip, arm, dq, 0);
        if (goalSize > 0) states.copy(s, Demonstration.GOAL, goalSize, goal, 0);
        return grip == 1 ? joints.value(j, arm) : 0;
    }

    /** As {@link #read}, and the observation built from them into obs. */
    private void observe(Timeline joints, int j, Timeline states, int s) {
        layout.observe(q, dq, read(joints, j, states, s), goal, obs, 0);
    }

    /** One sample, and its perturbed copies when it is labelled from motion. */
    private void add(double[] q, double[] dq, double opening, double[] goal, double[] label, boolean motion, Dataset out) {
        layout.observe(q, dq, opening, goal, obs, 0);
        out.addChunk(obs, 0, label, 0);
        if (!motion) return;
        for (int c = 0; c < perturbation.copies(); c++) {
            for (int a = 0; a < arm; a++) moved[a] = q[a] + perturbation.sigma() * gaussian();
            layout.observe(moved, dq, opening, goal, obs, 0);
            out.addChunk(obs, 0, label, 0);
        }
    }

    private static final int MOVED = 0, END = 1, LOST = 2;

    /**
     * Where the arm was at {@code later} (between the readings around that instant: recording
     * jitter must not turn a motion into a zero label), into {@code command} from {@code offset}:
     * {@link #MOVED}, or {@link #END} when the recording ends first, or {@link #LOST} when readings
     * were lost there or a reset lies between.
     */
    private int motionAt(Timeline joints, Timeline states, int[] episodeStart, int s, long later, int offset) {
        int j2 = joints.latest(later), j3 = j2 + 1;
        if (joints.time(j2) == later || (j3 == joints.size() && later - joints.time(j2) <= tolerance)) j3 = j2;
        if (j3 == joints.size()) return END;
        if (joints.time(j3) - joints.time(j2) > MAX_GAP * period) return LOST;
        if (s >= 0 && episodeStart[states.latest(joints.time(j3) + tolerance)] != episodeStart[s]) return LOST;
        double w = j3 == j2 ? 0 : (double) (later - joints.time(j2)) / (joints.time(j3) - joints.time(j2));
        for (int a = 0; a < arm + grip; a++) command[offset + a] = joints.value(j2, a) + w * (joints.value(j3, a) - joints.value(j2, a));
        return MOVED;
    }

    private static final int LOST_READINGS = -1, NOT_THAT_FAR = -2;

    /**
     * The reading {@link #pathAhead} along the path from reading {@code j} (state {@code s}): the
     * first one whose arm joints lie that far from j's; where the episode ends (its done state) or
     * the gripper's command changes first, the reading there; {@link #NOT_THAT_FAR} when the
     * recording (or an episode that does not end in it) stops first; {@link #LOST_READINGS} when
     * readings were lost on the way.
     */
    private int alongPath(Demonstration d, Timeline joints, Timeline states, int[] episodeStart, int[] doneState, int s, int j) {
        int last = joints.size() - 1;
        boolean ends = false;   // whether `last` is where the episode ends
        if (s >= 0) {
            int done = doneState[episodeStart[s]];
            if (done >= 0) {
                last = Math.max(j, joints.latest(states.time(done) + tolerance));
                ends = true;
            } else {
                if (pathEpisode != episodeStart[s]) {   // once per episode: scanning for it per sample is quadratic
                    pathEpisode = episodeStart[s];
                    pathLast = lastReadingOf(joints, states, episodeStart, pathEpisode, j);
                }
                last = pathLast;
            }
        }
        if (grip == 1) {
            Timeline g = d.gripperCommands();
            long seen = joints.time(j);
            int now = g.latest(seen + tolerance);
            for (int r = now + 1; r < g.size() && g.time(r) <= joints.time(last); r++) {
                if (now < 0 || g.value(r, 0) != g.value(now, 0)) {
                    last = Math.max(j, joints.latest(g.time(r)));
                    ends = true;
                    break;
                }
            }
        }
        double far = pathAhead * pathAhead;
        for (int k = j + 1; k <= last; k++) {
            if (joints.time(k) - joints.time(k - 1) > MAX_GAP * period) return LOST_READINGS;
            double squared = 0;
            for (int a = 0; a < arm; a++) {
                double e = joints.value(k, a) - joints.value(j, a);
                squared += e * e;
            }
            if (squared >= far) return k;
        }
        return ends ? last : NOT_THAT_FAR;
    }

    /**
     * The command the gripper gets next in this episode when reading {@code j}'s arm lies within
     * {@link #gripperAhead} of the pose at the reading that change answers, else {@code current}.
     */
    private double gripperSoon(Demonstration d, Timeline joints, Timeline states, int[] episodeStart, int s, int j, double current) {
        Timeline g = d.gripperCommands();
        for (int r = g.latest(joints.time(j) + tolerance) + 1; r < g.size(); r++) {
            double next = g.value(r, 0);
            if (Math.abs(next - current) < 1e-9) continue;   // the same command again
            int k = Math.max(j, joints.latest(g.time(r)));
            if (s >= 0 && episodeStart[states.latest(joints.time(k) + tolerance)] != episodeStart[s]) return current;   // another episode's
            double squared = 0;
            for (int a = 0; a < arm; a++) {
                double e = joints.value(k, a) - joints.value(j, a);
                squared += e * e;
            }
            return squared < gripperAhead * gripperAhead ? next : current;
        }
        return current;
    }

    /** Whether the motion label in {@code command} leaves reading {@code j} where it is (arm within {@link #pause}, gripper command unchanged). */
    private boolean pausing(Timeline joints, int j) {
        for (int a = 0; a < arm; a++) if (Math.abs(command[a] - joints.value(j, a)) >= pause) return false;
        return grip == 0 || Math.abs(command[arm] - joints.value(j, arm)) < 1e-3;
    }

    /** The last reading before {@code end} from which the arm still moves by {@link #pause} or more before {@code end}: the final rest starts after it. */
    private int lastMovingReading(Timeline joints, int end) {
        int k = end;
        while (k > 0) {
            boolean still = true;
            for (int a = 0; a < arm && still; a++) still = Math.abs(joints.value(k - 1, a) - joints.value(end, a)) < pause;
            if (!still) return k - 1;
            k--;
        }
        return -1;
    }

    /** The last joint reading, from {@code from} on, that lies in the episode whose first state is {@code episode}. */
    private int lastReadingOf(Timeline joints, Timeline states, int[] episodeStart, int episode, int from) {
        int last = from;
        while (last + 1 < joints.size()) {
            int st = states.latest(joints.time(last + 1) + tolerance);
            if (st < 0 || episodeStart[st] != episode) break;
            last++;
        }
        return last;
    }

    /** A standard normal draw (Box–Muller; SplittableRandom has no nextGaussian on Java 17). */
    private double gaussian() {
        double u = 1 - random.nextDouble(), v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** The gripper command in force at {@code t} (opening in m), else {@code observed}. */
    private double gripperCommandOr(Demonstration d, long t, double observed) {
        int g = d.gripperCommands().latest(t + tolerance);
        return g >= 0 ? d.gripperCommands().value(g, 0) : observed;
    }

    /** For each task/state, the index of the first state of its episode (a run of equal episode numbers). */
    private static int[] episodeStarts(Timeline states) {
        int[] start = new int[states.size()];
        for (int i = 0; i < start.length; i++) {
            start[i] = i > 0 && states.value(i, Demonstration.EPISODE) == states.value(i - 1, Demonstration.EPISODE) ? start[i - 1] : i;
        }
        return start;
    }

    /** A note when readings came slower than the control period: samples then repeat readings. */
    public String rateNote(Demonstration d) {
        long every = d.joints().medianInterval();
        if (every <= period * 3 / 2) return null;
        return String.format(Locale.ROOT, "joint_states came every %.1f ms, slower than the control period (%.1f ms): samples repeat readings "
                + "(record faster, or train with --control-period %.3f)", every / 1e6, period / 1e6, every / 1e9);
    }
}
