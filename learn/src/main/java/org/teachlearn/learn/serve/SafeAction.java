package org.teachlearn.learn.serve;

import org.teachlearn.learn.Rng;
import org.teachlearn.learn.policy.DiagonalGaussian;
import org.teachlearn.learn.policy.ObservationHistory;
import org.teachlearn.robot.control.CommandLimits;
import org.teachlearn.robot.urdf.Joint;

/**
 * The policy tick from observation to a command that may leave the node (docs/nodes.md §8), in the
 * order it happens: the model (or a result computed ahead on the same observation and model), the
 * action chunk's next step, sampling with the model's log σ, the finite check, the clamp to the
 * URDF limits, the step limit from the last command sent, the gripper's decision (the nearer of
 * open and closed, for a model whose {@code gripper_command} is binary) and clamp, and the
 * log-probability of the sampled action. Plain Java, no ROS: the policy server wires it, a test
 * drives it. Allocation-free per tick (only a new model's chunk length resizes the chunk buffers).
 *
 * <p>Two actions come out, as Stable-Baselines3 keeps them: {@link #sampled()} is what the policy
 * chose (the experience's {@code action}, whose log-density is {@link #logProb()}), and
 * {@link #command()} is what is sent, clamped and step-limited (the experience's
 * {@code executed_action}).
 */
public final class SafeAction {

    public enum Outcome {
        /** {@link #command()} is safe to send. */
        COMMAND,
        /** The model failed ({@link #failure()} says how): hold. */
        MODEL_FAILED,
        /** The model gave a NaN or infinite action: send the last safe command, or hold if there is none. */
        NOT_FINITE
    }

    /** A result computed ahead of the tick (lockstep speculation); taken only for exactly this model and observation. */
    public interface Precomputed {
        boolean take(OnnxPolicy model, double[] obs, double[] out);
    }

    private final CommandLimits limits;
    private final Joint gripper;
    private final int arm, act;
    private final double[] maxStep, lastSent, sampled, mean, command, unclamped;
    private final boolean stochastic, ensemble;
    private final double ensembleDecay;
    private final Rng rng;
    private ActionChunks chunks;
    private ObservationHistory history;   // a history model's last observations (null until one runs)
    private OnnxPolicy historyModel;
    private double[] stacked;
    private double[] chunk = new double[0];
    private boolean haveSent, meanOnly;
    private double logProb = Double.NaN;
    private int clampedJoint = -1, steppedJoint = -1;
    private Exception failure;

    /**
     * @param limits   the arm joints' position limits, in the action's order
     * @param gripper  the gripper joint (last action value), or null
     * @param maxStep  per arm joint, the most a target may move in one tick (rad)
     * @param rng      for sampling when {@code stochastic}
     */
    public SafeAction(CommandLimits limits, Joint gripper, double[] maxStep, boolean stochastic, Rng rng, boolean ensemble,
            double ensembleDecay) {
        this.limits = limits;
        this.gripper = gripper;
        this.arm = maxStep.length;
        this.act = arm + (gripper == null ? 0 : 1);
        this.maxStep = maxStep.clone();
        this.stochastic = stochastic;
        this.rng = rng;
        this.ensemble = ensemble;
        this.ensembleDecay = ensembleDecay;
        lastSent = new double[arm];
        sampled = new double[act];
        mean = new double[act];
        command = new double[act];
        unclamped = new double[act];
    }

    /**
     * One tick: {@code model} on {@code obs} (or {@code ahead}'s result for them), from the arm
     * measured at {@code measured} (arm joints first; the step limit starts there after a
     * {@link #restart}). On {@link Outcome#COMMAND}, call {@link #sent} once the command is out.
     */
    public Outcome compute(OnnxPolicy model, double[] obs, double[] measured, Precomputed ahead) {
        clampedJoint = steppedJoint = -1;
        double[] logStd;
        try {
            if (chunks == null || chunks.length() != model.chunk()) {
                chunks = new ActionChunks(model.chunk(), act, ensemble, ensembleDecay);   // a new model's chunk length
                chunk = new double[model.chunk() * act];
            }
            if (model.history() > 1) {   // every tick's observation is kept; a new model's history starts afresh
                if (history == null || historyModel != model) {
                    history = new ObservationHistory(model.info().obsDim(), model.history(), model.historyStride());
                    stacked = new double[history.width()];
                    historyModel = model;
                }
                history.push(obs, 0);
            }
            if (chunks.needsQuery()) {
                if (model.history() > 1) {
                    history.stacked(stacked, 0);   // the model ran ahead on the present alone: not for a history model
                    model.act(stacked, chunk);
                } else if (ahead == null || !ahead.take(model, obs, chunk)) {
                    model.act(obs, chunk);
                }
                chunks.put(chunk);
            }
            chunks.next(mean);
            logStd = model.logStd();
        } catch (Exception e) {
            failure = e;
            if (chunks != null) chunks.reset();   // null when the first model's chunk length could not be read
            return Outcome.MODEL_FAILED;
        }
        boolean sample = stochastic && !meanOnly;
        if (sample) DiagonalGaussian.sample(mean, 0, logStd, act, rng, sampled);
        else System.arraycopy(mean, 0, sampled, 0, act);
        if (!CommandLimits.finite(sampled, act)) {
            chunks.reset();
            return Outcome.NOT_FINITE;
        }
        System.arraycopy(sampled, 0, command, 0, act);
        System.arraycopy(sampled, 0, unclamped, 0, act);
        clampedJoint = limits.clamp(command);
        if (!haveSent) System.arraycopy(measured, 0, lastSent, 0, arm);
        steppedJoint = limits.limitStep(command, lastSent, maxStep);
        limits.clamp(command);   // a step from a pose measured beyond a limit must still end inside it
        if (gripper != null) {
            // a two-valued gripper decides after the ensemble: an average of votes is no command
            PolicyInfo info = model.info();
            command[arm] = gripper.clampPosition(info.gripperCommand().apply(command[arm], info.low()[arm], info.high()[arm]));
        }
        logProb = sample ? DiagonalGaussian.logProb(sampled, mean, 0, logStd, act) : Double.NaN;
        return Outcome.COMMAND;
    }

    /**
     * A stochastic policy takes its mean action while {@code on} (a deterministic evaluation); its
     * log-probability is then NaN, as a deterministic policy's is.
     */
    public void meanOnly(boolean on) {
        meanOnly = on;
    }

    /** Notes that {@code armTargets} went out (a policy command or a hold): the next step limit counts from them. */
    public void sent(double[] armTargets) {
        if (armTargets != lastSent) System.arraycopy(armTargets, 0, lastSent, 0, arm);
        haveSent = true;
    }

    /** A held arm or a new episode: no stale plan is resumed, and the step limit counts from the next measured pose. */
    public void restart() {
        if (chunks != null) chunks.reset();
        if (history != null) history.reset();
        haveSent = false;
    }

    /** A hold: no stale plan is resumed, no observation from before it is seen as recent; the hold's targets are reported through {@link #sent}. */
    public void held() {
        if (chunks != null) chunks.reset();
        if (history != null) history.reset();
    }

    /** The command to send: arm targets then the gripper opening (valid after {@link Outcome#COMMAND}). */
    public double[] command() {
        return command;
    }

    /** The action the policy chose (its mean, or a sample), before any limit. */
    public double[] sampled() {
        return sampled;
    }

    /** log π(sampled | obs) under the model's Gaussian; NaN when not stochastic. */
    public double logProb() {
        return logProb;
    }

    /** The last arm targets sent; meaningful when {@link #hasSent()}. */
    public double[] lastSent() {
        return lastSent;
    }

    public boolean hasSent() {
        return haveSent;
    }

    /** The first joint whose target was clamped this tick, or −1; {@link #describeClamp} says how. */
    public int clampedJoint() {
        return clampedJoint;
    }

    public String describeClamp() {
        return "target for " + limits.describe(clampedJoint, unclamped[clampedJoint]) + ": clamped";
    }

    /** The first joint whose target was step-limited this tick, or −1. */
    public int steppedJoint() {
        return steppedJoint;
    }

    public String describeStep() {
        return "target for " + limits.joint(steppedJoint).name() + " moves more than " + maxStep[steppedJoint] + " rad in one tick: limited";
    }

    public Exception failure() {
        return failure;
    }

    public String describeNotFinite() {
        return "the model gave a non-finite action " + java.util.Arrays.toString(sampled);
    }
}
