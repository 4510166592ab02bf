package org.teachlearn.robot.teleop;

import org.ejml.data.DMatrixRMaj;
import org.teachlearn.robot.control.CommandLimits;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.teach.DampedJacobianInverse;
import org.teachlearn.robot.teach.DragSettings;
import org.teachlearn.robot.teach.MotionLimits;

/**
 * One teleoperation tick, controller pose in → joint command out, in the order it happens
 * (docs/nodes.md, vr_teleop): the clutch (engaged on a press with a trusted pose, re-anchored on
 * every press) → the controller's motion since clutch-down rotated into the base frame
 * ({@link TrackingToBase}) and scaled → the tool's target: its pose at clutch-down moved by that
 * (and turned, with {@code rotation}) → clamped into the workspace box → the twist that closes on
 * it at {@code gain}, capped at the hand's speed limits → workspace slow-down
 * ({@link MotionLimits#workspace}) → {@link DampedJacobianInverse} (slows near singularities, rest
 * posture in the null space) → joint velocity, acceleration and position limits
 * ({@link MotionLimits}) → integrated → the project's clamp and step limit ({@link CommandLimits}).
 * The target may jump (a fast hand, a re-grip); the command never does: it moves at most at the
 * limited speeds toward it.
 *
 * <p>Tracking loss — a stale pose ({@code poseTimeout} since one arrived), or one {@link PoseGuard}
 * refuses — disengages and holds until the clutch is released and pressed again; so does a
 * release (deadman). Holding keeps the last command sent (position) or sends zeros (velocity).
 * Plain Java, no ROS; nothing allocates after construction. Not thread-safe: callers serialise.
 */
public final class TeleopController {

    /** Where the clutch stands after a tick. */
    public enum State {
        /** Clutch released: holding. */
        IDLE,
        /** Clutch held, tracking trusted: the tool follows the controller. */
        ENGAGED,
        /** Tracking was lost while the clutch was held: holding until it is released and pressed again. */
        LOST
    }

    private final KinematicChain chain;
    private final ControlMode command;
    private final int n;
    private final DragSettings limitsSettings;
    private final TeleopSettings settings;
    private final double[] toBase;
    private final PoseGuard guard;
    private final DampedJacobianInverse inverse;
    private final MotionLimits limits;
    private final CommandLimits commandLimits;
    private final double[] rest, velocityLimit, qCmd, qd, lastSent, maxStep, held, unclamped;
    private final double openWidth;
    private final double[] incoming = new double[7];
    private final DMatrixRMaj jacobian;
    private final double[] pose = new double[7], anchor = new double[7];
    private final double[] fk = new double[16], toolAnchor = new double[16];
    private final double[] anchorRot = new double[9], nowRot = new double[9], delta = new double[9], deltaBase = new double[9];
    private final double[] tmp = new double[9], targetRot = new double[9], cmdRot = new double[9];
    private final double[] move = new double[3], moveBase = new double[3], target = new double[3];
    private final double[] twist = new double[6], tcp = new double[3];
    private State state = State.IDLE;
    private boolean clutchWas, engageAsked, havePose, sentAny, holding = true;
    private boolean yielded;   // the node sent nothing while idle: lastSent is not what the arm was last told
    private long poseArrival;
    private int lastVerdict = PoseGuard.OK;
    private String lossKind = "";
    private boolean lostThisTick;
    private int clampedJoint = -1, steppedJoint = -1;
    private double opening;

    /**
     * @param chain          base → tool centre point
     * @param command        the arm controller's interface: position or velocity
     * @param rest           the rest posture the null space pulls toward, chain order
     * @param limitsSettings the limits shared with drag teaching
     * @param openWidth      the gripper's opening (m per finger) with the trigger released
     */
    public TeleopController(KinematicChain chain, ControlMode command, double[] rest, DragSettings limitsSettings, TeleopSettings settings,
            TrackingToBase trackingToBase, double openWidth) {
        if (command == ControlMode.EFFORT) {
            throw new IllegalArgumentException("vr_teleop commands positions or velocities; this arm's controller takes efforts: give the arm"
                    + " a position controller (position_controllers/JointGroupPositionController or a JointTrajectoryController)");
        }
        this.chain = chain;
        this.command = command;
        this.settings = settings;
        this.limitsSettings = limitsSettings;
        this.openWidth = openWidth;
        opening = openWidth;
        n = chain.dof();
        toBase = trackingToBase.rotation().clone();
        guard = new PoseGuard(settings.maxPoseJump(), settings.maxDistance());
        inverse = new DampedJacobianInverse(n);
        double[] lo = new double[n], hi = new double[n];
        velocityLimit = new double[n];
        java.util.List<org.teachlearn.robot.urdf.Joint> joints = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            lo[i] = chain.lower(i);
            hi[i] = chain.upper(i);
            velocityLimit[i] = chain.velocityLimit(i);
            joints.add(chain.joint(i));
        }
        limits = new MotionLimits(lo, hi, velocityLimit);
        commandLimits = new CommandLimits(joints, command);
        this.rest = rest.clone();
        qCmd = new double[n];
        qd = new double[n];
        lastSent = new double[n];
        maxStep = new double[n];
        held = new double[n];
        unclamped = new double[n];
        jacobian = new DMatrixRMaj(6, n);
    }

    // --- inputs (from the callbacks) ---

    /**
     * A controller pose, x y z qx qy qz qw in the tracking frame, arrived at {@code arrivalNanos}
     * (System.nanoTime()). Returns its {@link PoseGuard} verdict; a refused pose while engaged loses
     * tracking (the tick holds).
     */
    public int pose(double x, double y, double z, double qx, double qy, double qz, double qw, long arrivalNanos) {
        incoming[0] = x;
        incoming[1] = y;
        incoming[2] = z;
        incoming[3] = qx;
        incoming[4] = qy;
        incoming[5] = qz;
        incoming[6] = qw;
        int verdict = guard.judge(incoming);
        lastVerdict = verdict;
        if (verdict != PoseGuard.OK) {
            havePose = false;
            if (state == State.ENGAGED) lose("refused");
            return verdict;
        }
        System.arraycopy(incoming, 0, pose, 0, 7);
        poseArrival = arrivalNanos;
        havePose = true;
        return verdict;
    }

    /** The clutch ({@code pressed}) and the trigger (0 released … 1 squeezed) of one vr/joy message. */
    public void buttons(boolean pressed, double trigger) {
        if (pressed && !clutchWas) engageAsked = true;           // re-anchored on every press
        if (!pressed) {
            engageAsked = false;
            if (state != State.IDLE) state = State.IDLE;        // deadman: let go, the arm holds
        }
        clutchWas = pressed;
        if (Double.isFinite(trigger)) opening = openWidth * (1 - Math.max(0, Math.min(1, trigger)));
    }

    /** Drops the engagement (a demonstration ended, a stale joint reading): holding until the clutch is pressed again. */
    public void disengage() {
        engageAsked = false;
        if (state == State.ENGAGED) state = clutchWas ? State.LOST : State.IDLE;
    }

    private void lose(String kind) {
        lossKind = kind;
        lostThisTick = true;
        state = State.LOST;
        engageAsked = false;
    }

    // --- the tick ---

    /**
     * One tick at the arm measured at {@code q}, {@code dt} s after the last, at {@code nowNanos}
     * (System.nanoTime()). Engaged: the command into {@code out} and true. Otherwise the hold into
     * {@code out} and false.
     */
    public boolean tick(double[] q, double dt, long nowNanos, double[] out) {
        clampedJoint = steppedJoint = -1;
        if (state == State.ENGAGED && nowNanos - poseArrival > (long) (settings.poseTimeout() * 1e9)) {
            guard.forget();
            lose("stale");
        }
        if (engageAsked && havePose && nowNanos - poseArrival <= (long) (settings.poseTimeout() * 1e9)) engage(q);
        if (state == State.ENGAGED && command == ControlMode.POSITION && moved(q)) lose("moved");
        if (state != State.ENGAGED) {
            hold(q, out);
            return false;
        }
        follow(q, dt);
        if (!CommandLimits.finite(qCmd, n) || !CommandLimits.finite(qd, n)) {
            lose("not finite");
            hold(q, out);
            return false;
        }
        if (command == ControlMode.POSITION) {
            System.arraycopy(qCmd, 0, unclamped, 0, n);
            clampedJoint = commandLimits.clamp(qCmd);
            steppedJoint = commandLimits.limitStep(qCmd, lastSent, maxStep);
            System.arraycopy(qCmd, 0, out, 0, n);
        } else {
            System.arraycopy(qd, 0, out, 0, n);
            System.arraycopy(out, 0, unclamped, 0, n);
            clampedJoint = commandLimits.clamp(out);
        }
        System.arraycopy(out, 0, lastSent, 0, n);
        sentAny = true;
        holding = false;
        return true;
    }

    /** Clutch-down: the controller's pose and the tool's pose now are the anchors the motion is measured from. */
    private void engage(double[] q) {
        engageAsked = false;
        // from the last command while it still stands (no step back to where the arm lags); from the arm when something else
        // moved it since (another source commanded it, a simulator reset it): never back to a stale target
        boolean stands = command == ControlMode.POSITION && sentAny && !yielded && stands(q, lastSent);
        System.arraycopy(stands ? lastSent : q, 0, qCmd, 0, n);
        if (!stands) System.arraycopy(q, 0, lastSent, 0, n);
        chain.forward(qCmd, toolAnchor);
        System.arraycopy(pose, 0, anchor, 0, 7);
        Rotation3.fromQuaternion(anchor[3], anchor[4], anchor[5], anchor[6], anchorRot);
        limits.stop();
        yielded = false;
        state = State.ENGAGED;
    }

    /** The node sent nothing while idle (another source may have moved the arm): the next engagement starts from the measured arm. */
    public void yielded() {
        yielded = true;
    }

    /**
     * While idle, another source (a policy) sent these position targets (chain order): the next
     * engagement starts from them while they stand near the arm, so the command goes on from where
     * it was, without a step back to where the arm lags.
     */
    public void othersCommand(double[] targets) {
        if (state == State.ENGAGED || command != ControlMode.POSITION) return;
        System.arraycopy(targets, 0, lastSent, 0, n);
        sentAny = true;
        yielded = false;
        holding = false;
    }

    private void follow(double[] q, double dt) {
        DragSettings s = limitsSettings;
        // the controller's motion since clutch-down, in the base frame, scaled
        move[0] = pose[0] - anchor[0];
        move[1] = pose[1] - anchor[1];
        move[2] = pose[2] - anchor[2];
        Rotation3.rotate(toBase, move, moveBase);
        for (int a = 0; a < 3; a++) {
            double t = toolAnchor[4 * a + 3] + settings.scale() * moveBase[a];
            target[a] = Math.max(s.workspaceMin(a), Math.min(s.workspaceMax(a), t));
        }
        Rotation3.ofTransform(toolAnchor, tmp);
        if (settings.rotation()) {
            // the controller's turn since clutch-down, R_now R_anchorᵀ, seen from the base: B (R_now R_anchorᵀ) Bᵀ
            Rotation3.fromQuaternion(pose[3], pose[4], pose[5], pose[6], nowRot);
            Rotation3.multiplyTransposed(nowRot, anchorRot, delta);
            Rotation3.multiply(toBase, delta, deltaBase);
            Rotation3.multiplyTransposed(deltaBase, toBase, delta);
            Rotation3.multiply(delta, tmp, targetRot);
        } else {
            System.arraycopy(tmp, 0, targetRot, 0, 9);
        }
        chain.forward(qCmd, fk);
        Rotation3.ofTransform(fk, cmdRot);
        tcp[0] = fk[3];
        tcp[1] = fk[7];
        tcp[2] = fk[11];
        for (int a = 0; a < 3; a++) twist[a] = settings.gain() * (target[a] - tcp[a]);
        // ½ Σ c_now × c_target over the rotations' columns: the axis × sin(angle) from the command to the target
        double ox = 0, oy = 0, oz = 0;
        for (int c = 0; c < 3; c++) {
            double ax = cmdRot[c], ay = cmdRot[3 + c], az = cmdRot[6 + c];
            double bx = targetRot[c], by = targetRot[3 + c], bz = targetRot[6 + c];
            ox += 0.5 * (ay * bz - az * by);
            oy += 0.5 * (az * bx - ax * bz);
            oz += 0.5 * (ax * by - ay * bx);
        }
        twist[3] = settings.gain() * ox;
        twist[4] = settings.gain() * oy;
        twist[5] = settings.gain() * oz;
        cap(0, s.maxLinearSpeed());
        cap(3, s.maxAngularSpeed());
        MotionLimits.workspace(tcp, s, twist);
        chain.jacobian(qCmd, jacobian);
        inverse.solve(jacobian, twist, qCmd, rest, s.postureGain(), s, qd);
        limits.joints(qCmd, qd, dt, s);
        for (int i = 0; i < n; i++) {
            double next = qCmd[i] + qd[i] * dt;
            // never further ahead of the measured arm than its controllers lag at the speed it moves
            if (command == ControlMode.POSITION) {
                double leash = s.maxTrackingError() + s.jointVelocityScale() * velocityLimit[i] * s.trackingLag();
                next = Math.max(q[i] - leash, Math.min(q[i] + leash, next));
            }
            qd[i] = (next - qCmd[i]) / dt;
            qCmd[i] = next;
            maxStep[i] = velocityLimit[i] * dt;
        }
    }

    /** The measured arm is far from the command (a simulator reset it, a protective stop moved it): following on would jump. */
    private boolean moved(double[] q) {
        for (int i = 0; i < n; i++) if (Math.abs(q[i] - qCmd[i]) > MOVED) return true;
        return false;
    }

    /** rad between the command and the measured arm that only an outside cause explains (the leash keeps them within ~0.05). */
    static final double MOVED = 0.3;

    /** Whether position targets {@code target} are where the measured arm {@code q} can be (within its controllers' lag). */
    private boolean stands(double[] q, double[] target) {
        double near = limitsSettings.maxTrackingError() + 0.03 + limitsSettings.jointVelocityScale() * 0.5 * limitsSettings.trackingLag();
        for (int i = 0; i < n; i++) if (Math.abs(q[i] - target[i]) > near) return false;
        return true;
    }

    /** Scales the 3-vector at {@code twist[from..]} down to length {@code max}, keeping its direction. */
    private void cap(int from, double max) {
        double len = Math.sqrt(twist[from] * twist[from] + twist[from + 1] * twist[from + 1] + twist[from + 2] * twist[from + 2]);
        if (len > max) {
            double k = max / len;
            twist[from] *= k;
            twist[from + 1] *= k;
            twist[from + 2] *= k;
        }
    }

    /** The hold into {@code out}: the last command while it stands (position), the measured arm before any, zeros (velocity). */
    public void hold(double[] q, double[] out) {
        if (command == ControlMode.VELOCITY) {
            java.util.Arrays.fill(held, 0);
        } else if (!holding || !stands(q, held)) {
            // the last command while it stands; the measured arm before any, or once something else moved the arm (a reset)
            System.arraycopy(sentAny && !yielded && stands(q, lastSent) ? lastSent : q, 0, held, 0, n);
        }
        holding = true;
        System.arraycopy(held, 0, out, 0, n);
        if (command == ControlMode.POSITION) {
            System.arraycopy(held, 0, lastSent, 0, n);
            sentAny = true;
        }
    }

    // --- what happened ---

    public State state() {
        return state;
    }

    /** The clutch was pressed and the next tick engages (given a fresh trusted pose). */
    public boolean engagePending() {
        return engageAsked && havePose;
    }

    /** Whether tracking was lost since the last call (and clears it): the node logs it once. */
    public boolean takeLoss() {
        boolean l = lostThisTick;
        lostThisTick = false;
        return l;
    }

    /** Why tracking was lost last: the refused pose, or its age. */
    public String describeLoss() {
        return switch (lossKind) {
            case "refused" -> guard.describe(lastVerdict);
            case "stale" -> "no vr/controller_pose for over ~pose_timeout (" + settings.poseTimeout() + " s)";
            case "moved" -> "the arm is over " + MOVED + " rad from the command: something else moved it (a reset, a protective stop)";
            default -> "the command came out NaN or infinite";
        };
    }

    /** The verdict on the last pose. */
    public PoseGuard guard() {
        return guard;
    }

    /** The gripper opening the trigger asks for (m per finger). */
    public double gripperOpening() {
        return opening;
    }

    public DampedJacobianInverse inverse() {
        return inverse;
    }

    /** The tool's target of the last engaged tick (base frame, m; do not modify). */
    public double[] target() {
        return target;
    }

    public int clampedJoint() {
        return clampedJoint;
    }

    public int steppedJoint() {
        return steppedJoint;
    }

    public String describeClamp() {
        return commandLimits.describe(clampedJoint, unclamped[clampedJoint]) + ": clamped";
    }

    public String describeStep() {
        return "target for " + commandLimits.joint(steppedJoint).name() + " moved more than " + maxStep[steppedJoint] + " in one tick: limited";
    }

    public int dof() {
        return n;
    }

    public ControlMode commandMode() {
        return command;
    }
}
