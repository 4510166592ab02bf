package org.teachlearn.robot.teach;

import org.ejml.data.DMatrixRMaj;
import org.teachlearn.robot.control.CommandLimits;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.control.HoldCommand;
import org.teachlearn.robot.dynamics.Dynamics;
import org.teachlearn.robot.kinematics.KinematicChain;

/**
 * One drag-teaching tick, reading in → command out, in the order it happens (docs/nodes.md,
 * drag_teach). Admittance, for position- (or velocity-) controlled arms with a wrist sensor: the
 * settings ramp ({@link SettingsRamp}) → plausibility of the reading → {@link WrenchConditioning}
 * → {@link Admittance} → workspace limits → {@link DampedJacobianInverse} with the rest posture in
 * the null space → joint limits ({@link MotionLimits}) → integrate the commanded positions →
 * the project's safety pipeline ({@link CommandLimits}: finite, clamp, step limit). Gravity, for
 * torque-controlled arms: the locked axes' spring (Jᵀ of a spring to where the lock began)
 * → {@link GravityDrag} → the same pipeline with effort limits. Anything
 * wrong holds through {@link HoldCommand}, and the hold is latched: the arm stays where it was
 * when the hold began, and a later tick goes on from there (never from a stale plan, never with a
 * jump). Plain Java, no ROS; a tick allocates nothing. Not thread-safe: callers serialise.
 */
public final class DragController {

    public enum Mode {
        ADMITTANCE, GRAVITY;

        public static Mode named(String name) {
            return switch (name) {
                case "admittance" -> ADMITTANCE;
                case "gravity" -> GRAVITY;
                default -> throw new IllegalArgumentException("~mode must be admittance (position- or velocity-controlled arm with a wrist"
                        + " force/torque sensor) or gravity (effort-controlled arm), got '" + name + "'");
            };
        }
    }

    /** What a tick did. */
    public enum Outcome {
        /** A command computed from the reading is in {@code out}. */
        COMMAND,
        /** The wrench was not finite or absurdly large: holding ({@link #describeWrench} says what came). */
        BAD_WRENCH,
        /** The computation gave a non-finite command (it never leaves): holding. */
        NOT_FINITE,
        /**
         * Admittance before the first tare: holding while the start-up tare waits for a steady
         * window of readings with nobody touching the arm ({@link #describeTare} says why not yet).
         */
        WAITING_FOR_TARE
    }

    private final Mode mode;
    private final ControlMode command;
    private final KinematicChain chain, sensorChain;
    private final int n;
    private final SettingsRamp ramp;
    private final WrenchConditioning conditioning;
    private final Admittance admittance = new Admittance();
    private final DampedJacobianInverse inverse;
    private final MotionLimits limits;
    private final GravityDrag gravity;
    private final CommandLimits commandLimits;
    private final HoldCommand holdCommand;
    private final double[] rest, velocityLimit;
    private final double[] qCmd, qd, lastSent, maxStep, held, toolTorque, unclamped;
    private final double[] sensorPose = new double[16], tcpPose = new double[16], cmdPose = new double[16], restPose = new double[16];
    private final double[] wrench = new double[6], twist = new double[6], error = new double[6], carried = new double[6];
    private final double[] lastRaw = new double[6], tcp = new double[3], qMeasured, qdMeasured;
    private final double[] lockPose = new double[16], lockTorque, holdDamping;
    private boolean anchored;   // gravity mode: lockPose is where the locked axes hold the hand
    private final DMatrixRMaj jacobian;
    private boolean started, holding, sentAny, tared;
    private long resyncs;
    private String tareRefusal = "no readings yet";
    private int clampedJoint = -1, steppedJoint = -1;

    /**
     * @param chain       base → tool centre point
     * @param sensorChain base → the sensor's frame (admittance), same joints; null in gravity mode
     * @param dynamics    the arm's dynamics (gravity mode, and the hold of an effort-controlled arm); may be null otherwise
     * @param toolChain   base → the link the tool hangs from (gravity mode: {@code tool_com} is in its frame); null otherwise
     * @param sensorLoad  what the sensor carries beyond it by the URDF ({@link SensorLoad#of}; {@link SensorLoad#NONE} for a
     *                    sensor that reports without it)
     * @param rest        the rest posture the null space pulls toward, chain order
     * @param steadySamples readings a tare judges (about 0.25 s of them)
     */
    public DragController(Mode mode, ControlMode command, KinematicChain chain, KinematicChain sensorChain, KinematicChain toolChain,
            Dynamics dynamics, SensorLoad sensorLoad, double[] rest, DragSettings settings, int steadySamples) {
        this.mode = mode;
        this.command = command;
        this.chain = chain;
        this.sensorChain = sensorChain;
        n = chain.dof();
        if (mode == Mode.GRAVITY && command != ControlMode.EFFORT) {
            throw new IllegalArgumentException("~mode:=gravity needs an effort-controlled arm (an effort_controllers/JointGroupEffortController);"
                    + " for a " + command.name().toLowerCase() + "-controlled arm use ~mode:=admittance with a wrist force/torque sensor");
        }
        if (mode == Mode.ADMITTANCE && command == ControlMode.EFFORT) {
            throw new IllegalArgumentException("~mode:=admittance commands positions or velocities; this arm's controller takes efforts:"
                    + " use ~mode:=gravity, or give the arm a position controller");
        }
        if (mode == Mode.ADMITTANCE && sensorChain == null) {
            throw new IllegalArgumentException("~mode:=admittance needs a wrist force/torque sensor: set ~ft_sensor_link to the link"
                    + " right after it (the frame of ft_sensor/wrench)");
        }
        ramp = new SettingsRamp(settings);
        conditioning = new WrenchConditioning(steadySamples, sensorLoad);
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
        gravity = mode == Mode.GRAVITY ? new GravityDrag(dynamics, toolChain) : null;
        commandLimits = new CommandLimits(joints, command);
        holdDamping = new double[n];
        java.util.Arrays.fill(holdDamping, HOLD_DAMPING);
        holdCommand = new HoldCommand(command, dynamics, command == ControlMode.EFFORT ? holdDamping : null);
        this.rest = rest.clone();
        qCmd = new double[n];
        qd = new double[n];
        lastSent = new double[n];
        maxStep = new double[n];
        held = new double[n];
        toolTorque = new double[n];
        unclamped = new double[n];
        qMeasured = new double[n];
        qdMeasured = new double[n];
        lockTorque = new double[n];
        jacobian = new DMatrixRMaj(6, n);
    }

    public Mode mode() {
        return mode;
    }

    public ControlMode commandMode() {
        return command;
    }

    /** The settings: {@code settings().set(new)} ramps to new values from the next tick. */
    public SettingsRamp settings() {
        return ramp;
    }

    /**
     * One tick from the arm measured at {@code q}, {@code qdMeas} and (admittance) the sensor's
     * raw reading {@code raw[6]} (force then torque in its frame), {@code dt} seconds after the
     * last; the command (one value per joint, the controller's mode) into {@code out}.
     */
    public Outcome tick(double[] q, double[] qdMeas, double[] raw, double dt, double[] out) {
        System.arraycopy(q, 0, qMeasured, 0, n);
        System.arraycopy(qdMeas, 0, qdMeasured, 0, n);
        clampedJoint = steppedJoint = -1;
        ramp.advance(dt);
        DragSettings s = ramp.live();
        if (mode == Mode.ADMITTANCE) {
            System.arraycopy(raw, 0, lastRaw, 0, 6);
            if (!WrenchConditioning.plausible(raw)) {
                hold(q, qdMeas, out);
                return Outcome.BAD_WRENCH;
            }
            if (!tared) {
                // the sensor's bias is unknown until the first tare: acting on it would move the arm by itself
                conditioning.observe(raw);
                if (conditioning.windowFull()) tareRefusal = tareFrom(q, qdMeas);
                if (tareRefusal != null) {
                    hold(q, qdMeas, out);
                    return Outcome.WAITING_FOR_TARE;
                }
            }
        }
        if (started && !holding && sentAny && command == ControlMode.POSITION && movedElsewhere(q, qdMeas, s)) {
            // a simulator reset, another controller, a brake released by hand: commanding the old pose
            // would drag the arm back to it; start again from where it is, as after a hold
            System.arraycopy(q, 0, lastSent, 0, n);
            holding = true;
            resyncs++;
        }
        if (!started || holding) resume(q);
        Outcome o = mode == Mode.ADMITTANCE ? admittance(q, raw, dt, s, out) : gravity(q, qdMeas, dt, s, out);
        if (o != Outcome.COMMAND) {
            hold(q, qdMeas, out);
            return o;
        }
        System.arraycopy(out, 0, lastSent, 0, n);
        sentAny = true;
        return o;
    }

    /** Whether the measured arm is further from the last position command than this node's commands can leave it. */
    private boolean movedElsewhere(double[] q, double[] qd, DragSettings s) {
        for (int i = 0; i < n; i++) {
            if (Math.abs(q[i] - lastSent[i]) > s.resyncError() + Math.abs(qd[i]) * s.trackingLag()) return true;
        }
        return false;
    }

    /** How often the arm was found where this node had not sent it and the command started again from there. */
    public long resyncs() {
        return resyncs;
    }

    /** Back from a hold, or the first tick: the commanded pose starts where the arm is commanded (or measured) now. */
    private void resume(double[] q) {
        System.arraycopy(started && sentAny && command == ControlMode.POSITION ? lastSent : q, 0, qCmd, 0, n);
        if (!started) {
            chain.forward(q, restPose);   // the stiffness's rest pose: where teaching began
            if (command == ControlMode.POSITION) System.arraycopy(q, 0, lastSent, 0, n);
        }
        admittance.stop();
        limits.stop();
        anchored = false;   // a lock holds from where the arm is now
        conditioning.restart();
        if (gravity != null) {
            if (sentAny) gravity.sentHold(lastSent);
            else gravity.restart();
        }
        started = true;
        holding = false;
    }

    private Outcome admittance(double[] q, double[] raw, double dt, DragSettings s, double[] out) {
        sensorChain.forward(q, sensorPose);
        chain.forward(q, tcpPose);
        tcp[0] = tcpPose[3];
        tcp[1] = tcpPose[7];
        tcp[2] = tcpPose[11];
        conditioning.update(raw, sensorPose, tcp, dt, s, wrench);
        chain.forward(qCmd, cmdPose);
        poseError(s);
        admittance.update(wrench, error, dt, s, twist);
        tcp[0] = cmdPose[3];
        tcp[1] = cmdPose[7];
        tcp[2] = cmdPose[11];
        MotionLimits.workspace(tcp, s, twist);
        chain.jacobian(qCmd, jacobian);
        double lin = Math.sqrt(twist[0] * twist[0] + twist[1] * twist[1] + twist[2] * twist[2]);
        double ang = Math.sqrt(twist[3] * twist[3] + twist[4] * twist[4] + twist[5] * twist[5]);
        // the posture only moves the elbow while the hand is guided: nobody touching, nothing moves
        double activity = Math.min(1, lin / 0.05 + ang / 0.25);
        inverse.solve(jacobian, twist, qCmd, rest, s.postureGain() * activity, s, qd);
        limits.joints(qCmd, qd, dt, s);
        for (int i = 0; i < n; i++) {
            double next = qCmd[i] + qd[i] * dt;
            // the leash: never further ahead of the measured arm than its controllers lag at the speed it moves
            double leash = s.maxTrackingError() + Math.abs(qdMeasured[i]) * s.trackingLag();
            if (command == ControlMode.POSITION) next = Math.max(q[i] - leash, Math.min(q[i] + leash, next));
            qd[i] = (next - qCmd[i]) / dt;
            qCmd[i] = next;
            maxStep[i] = velocityLimit[i] * dt;
        }
        double[] d = jacobian.data;
        for (int r = 0; r < 6; r++) {
            double sum = 0;
            for (int c = 0; c < n; c++) sum += d[r * n + c] * qd[c];
            carried[r] = sum;
        }
        admittance.carriedOut(carried);
        if (!CommandLimits.finite(qCmd, n) || !CommandLimits.finite(qd, n)) return Outcome.NOT_FINITE;
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
        return Outcome.COMMAND;
    }

    /** The commanded pose's offset from the rest pose (m, rad), for the stiffness; zeros when no axis has one. */
    private void poseError(DragSettings s) {
        boolean any = false;
        for (int a = 0; a < 6; a++) any |= s.stiffness(a) > 0;
        if (!any) {
            java.util.Arrays.fill(error, 0);
            return;
        }
        offset(restPose, cmdPose, error);
    }

    /** Pose {@code to}'s offset from pose {@code from} (4x4 row-major): position (m), then a small rotation (rad), base frame. */
    private static void offset(double[] from, double[] to, double[] out) {
        out[0] = to[3] - from[3];
        out[1] = to[7] - from[7];
        out[2] = to[11] - from[11];
        double ox = 0, oy = 0, oz = 0;
        for (int c = 0; c < 3; c++) {   // ½ Σ r_from × r_to over the rotations' columns: the rotation from one to the other
            double ax = from[c], ay = from[4 + c], az = from[8 + c];
            double bx = to[c], by = to[4 + c], bz = to[8 + c];
            ox += 0.5 * (ay * bz - az * by);
            oy += 0.5 * (az * bx - ax * bz);
            oz += 0.5 * (ax * by - ay * bx);
        }
        out[3] = ox;
        out[4] = oy;
        out[5] = oz;
    }

    /** Beyond this the lock lets go and holds from where the hand is (m, rad): see {@link #lock}. */
    static final double LOCK_SLIP_LINEAR = 0.05, LOCK_SLIP_ANGULAR = 0.3;

    /** The tick (s) at which the largest lock_stiffness_* were found stable on teach_arm. */
    static final double LOCK_TICK = 0.01;

    /** An effort-controlled arm's hold damps each joint by at least this (N m s/rad), within the stable bound. */
    static final double HOLD_DAMPING = 2.0;

    /**
     * Gravity mode's locked axes ({@code select_*} below 1, e.g. {@code ~selected_axes:="x y z"}):
     * the torques Jᵀ·w of a spring's wrench w = −(1 − select)·K·e per axis at the tool centre
     * point, e the offset from where the lock began (start-up, after a hold, when an axis became
     * locked); into {@link #lockTorque}, false when no axis is locked. No damping of its own: the
     * joints' damping (at most what a sampled damper keeps stable, {@link GravityDrag#damping})
     * settles it, where a Cartesian damper would add to it on the wrist past that bound. A hand pushed
     * (or reset) further than {@link #LOCK_SLIP_LINEAR} / {@link #LOCK_SLIP_ANGULAR} along a
     * locked axis is held from where it is: pulling it back would be a jump.
     */
    private boolean lock(double[] q, DragSettings s) {
        boolean any = false;
        for (int a = 0; a < 6; a++) any |= s.selected(a) < 1;
        if (!any) {
            anchored = false;
            return false;
        }
        chain.forward(q, tcpPose);
        if (anchored) {
            offset(lockPose, tcpPose, error);
            for (int a = 0; a < 6 && anchored; a++) {
                anchored = s.selected(a) == 1 || Math.abs(error[a]) <= (a < 3 ? LOCK_SLIP_LINEAR : LOCK_SLIP_ANGULAR);
            }
        }
        if (!anchored) {
            System.arraycopy(tcpPose, 0, lockPose, 0, 16);
            java.util.Arrays.fill(error, 0);
            anchored = true;
        }
        chain.jacobian(q, jacobian);
        double[] d = jacobian.data;
        // the ranges of lock_stiffness_* are what the shipped arm keeps stable at 100 Hz: slower ticks get softer springs
        double dt = gravity.tick(), slower = Math.min(1, LOCK_TICK * LOCK_TICK / (dt * dt));
        for (int r = 0; r < 6; r++) {
            twist[r] = -(1 - s.selected(r)) * s.lockStiffness(r) * slower * error[r];
        }
        for (int c = 0; c < n; c++) {
            double t = 0, stiffness = 0;   // the spring's torque on joint c, and its stiffness about it (the diagonal of Jᵀ K J)
            for (int r = 0; r < 6; r++) {
                t += d[r * n + c] * twist[r];
                stiffness += d[r * n + c] * d[r * n + c] * (1 - s.selected(r)) * s.lockStiffness(r) * slower;
            }
            // softer where the joint is too light for the spring at this tick rate (it would ring and grow)
            double stable = gravity.stableStiffness(c);
            lockTorque[c] = stiffness > stable ? t * stable / stiffness : t;
        }
        return true;
    }

    private Outcome gravity(double[] q, double[] qdMeas, double dt, DragSettings s, double[] out) {
        gravity.prepare(q, dt);
        gravity.finish(q, qdMeas, dt, s, lock(q, s) ? lockTorque : null, out);
        if (!CommandLimits.finite(out, n)) return Outcome.NOT_FINITE;
        System.arraycopy(out, 0, unclamped, 0, n);
        clampedJoint = commandLimits.clamp(out);
        return Outcome.COMMAND;
    }

    /**
     * Holds the arm (a stale or bad reading, shutdown): position controllers keep the targets of
     * the moment the hold began (the last command sent, or the measured pose before any), velocity
     * controllers get zeros, effort controllers gravity (the tool's included) minus damping at the
     * measured state. The command goes into {@code out}.
     */
    public void hold(double[] q, double[] qdMeas, double[] out) {
        if (command == ControlMode.EFFORT) {
            // the hold's damping (at least 2 N m s/rad) within what a sampled damper keeps stable, as when floating
            gravity.prepare(q, 0);
            for (int i = 0; i < n; i++) holdDamping[i] = gravity.holdDamping(i, ramp.live());
            holdCommand.fill(q, qdMeas, holdDamping, out);
            gravity.toolGravity(q, ramp.live(), toolTorque);
            for (int i = 0; i < n; i++) out[i] += toolTorque[i];
            commandLimits.clamp(out);
        } else {
            if (!holding) {
                if (command == ControlMode.POSITION && sentAny) System.arraycopy(lastSent, 0, held, 0, n);
                else holdCommand.fill(q, qdMeas, held);
            }
            System.arraycopy(held, 0, out, 0, n);
        }
        holding = true;
        System.arraycopy(out, 0, lastSent, 0, n);
        sentAny = true;
    }

    /**
     * Zeroes the sensor from the recent readings (see {@link WrenchConditioning#tare}); null when
     * done, else why it was refused. Uses the arm as last measured by a tick.
     */
    public String tare(double maxForceSpread, double maxTorqueSpread, double maxHandSpeed) {
        if (mode != Mode.ADMITTANCE) return "refused: ~mode:=gravity reads no force/torque sensor";
        if (!started && !conditioning.windowFull()) return "refused: no joint_states and ft_sensor/wrench yet";
        this.maxForceSpread = maxForceSpread;
        this.maxTorqueSpread = maxTorqueSpread;
        this.maxHandSpeed = maxHandSpeed;
        String refused = tareFrom(qMeasured, qdMeasured);
        if (refused == null) tared = true;
        return refused;
    }

    /** The steadiness a tare requires: force and torque spread over the window (N, N m), and the hand's speed (m/s). */
    private double maxForceSpread = 0.5, maxTorqueSpread = 0.05, maxHandSpeed = 0.01;

    /** Sets the steadiness the start-up tare and {@link #tare} require. */
    public void tareSteadiness(double maxForceSpread, double maxTorqueSpread, double maxHandSpeed) {
        this.maxForceSpread = maxForceSpread;
        this.maxTorqueSpread = maxTorqueSpread;
        this.maxHandSpeed = maxHandSpeed;
    }

    private String tareFrom(double[] q, double[] qdMeas) {
        sensorChain.forward(q, sensorPose);
        chain.jacobian(q, jacobian);
        double[] d = jacobian.data;
        double speed = 0;
        for (int r = 0; r < 3; r++) {
            double sum = 0;
            for (int c = 0; c < n; c++) sum += d[r * n + c] * qdMeas[c];
            speed += sum * sum;
        }
        String refused = conditioning.tare(sensorPose, ramp.live(), maxForceSpread, maxTorqueSpread, Math.sqrt(speed), maxHandSpeed);
        if (refused == null) tared = true;
        return refused;
    }

    /** Whether the sensor has been tared (admittance moves nothing before). */
    public boolean tared() {
        return tared;
    }

    /** Why the start-up tare has not happened yet. */
    public String describeTare() {
        return "waiting to tare ft_sensor/wrench before moving: " + tareRefusal;
    }

    public DampedJacobianInverse inverse() {
        return inverse;
    }

    public WrenchConditioning conditioning() {
        return conditioning;
    }

    /** The first joint clamped to its URDF limits by the last tick, or −1 ({@link #describeClamp}). */
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

    /** Text for the reading a {@link Outcome#BAD_WRENCH} refused. */
    public String describeWrench() {
        return "ft_sensor/wrench " + java.util.Arrays.toString(lastRaw) + " is not a hand's wrench (NaN, infinite, or over "
                + WrenchConditioning.ABSURD_FORCE + " N / " + WrenchConditioning.ABSURD_TORQUE + " N m)";
    }
}
