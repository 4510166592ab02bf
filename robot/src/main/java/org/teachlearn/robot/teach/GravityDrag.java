package org.teachlearn.robot.teach;

import org.ejml.data.DMatrixRMaj;
import org.teachlearn.robot.dynamics.Dynamics;
import org.teachlearn.robot.kinematics.KinematicChain;

/**
 * Drag teaching on a torque-controlled arm ({@code ~mode:=gravity}): the torques that make the arm
 * float — its own gravity from the URDF (recursive Newton–Euler) plus the tool's
 * ({@code tool_mass} at {@code tool_com}) — minus a viscous damping of each joint's speed, plus an
 * optional Coulomb friction compensation in the direction of motion (smoothed through zero), plus
 * what the caller adds (the spring of locked axes); near a
 * position limit a soft spring inside {@code joint_limit_margin} pushes back, and beyond
 * {@code joint_velocity_scale} × the URDF velocity extra damping brakes. The result is clamped to
 * {@code effort_scale} × the URDF effort limits and changes at most {@code max_torque_rate} per
 * second. The hand then moves the arm directly; no sensor is needed. Allocation-free.
 */
public final class GravityDrag {

    private final Dynamics dynamics;
    private final KinematicChain toolChain;
    private final int n;
    private final double[] lower, upper, effort, velocity;
    private final double[] gravity, previous, toolPose = new double[16];
    private final double[] inertia, unit, still, probed;   // the mass matrix's diagonal, refreshed one joint per tick
    private final DMatrixRMaj jacobian;
    private boolean havePrevious;
    private int refresh;   // the joint whose inertia the next tick refreshes
    private boolean inertiaKnown;   // every joint's inertia computed once (the first tick computes them all)
    private double lastDt = 0.01;

    /**
     * At most this fraction of the damping a sampled damper can take: a torque −D·q̇ computed from
     * one reading and held until the next changes the joint's speed by −D·dt/I of itself per tick,
     * so beyond D = 2·I/dt the speed flips sign and grows every tick (a wrist of 0.004 kg m² at
     * 100 Hz: 0.8 N m s/rad, against the 3 of the default joint_damping: it rang at ±1.3 rad/s).
     * At 0.3 · I/dt the speed falls by 30 % a tick, and a hand pressed on the table settles within
     * 0.74 mm (at 0.5: 0.99 mm, the 1 mm target's edge; `DragBenchTest`).
     */
    static final double STABLE_DAMPING = 0.3;

    /**
     * @param toolChain the chain from the base to the link the tool hangs from ({@code tool_com} is in its frame), same joints as {@code dynamics}
     */
    public GravityDrag(Dynamics dynamics, KinematicChain toolChain) {
        this.dynamics = dynamics;
        this.toolChain = toolChain;
        n = dynamics.dof();
        lower = new double[n];
        upper = new double[n];
        effort = new double[n];
        velocity = new double[n];
        for (int i = 0; i < n; i++) {
            lower[i] = toolChain.lower(i);
            upper[i] = toolChain.upper(i);
            effort[i] = toolChain.effortLimit(i);
            velocity[i] = toolChain.velocityLimit(i);
        }
        gravity = new double[n];
        previous = new double[n];
        inertia = new double[n];
        unit = new double[n];
        still = new double[n];
        probed = new double[n];
        java.util.Arrays.fill(inertia, Double.NaN);
        jacobian = new DMatrixRMaj(6, n);
    }

    /**
     * A tick's first half: the arm's gravity at {@code q}, {@code dt} after the last (0: unknown,
     * the last one holds), and one joint's inertia, for {@link #damping}, {@link #holdDamping} and
     * {@link #stableStiffness} before {@link #finish} puts the torques together (the same q).
     */
    public void prepare(double[] q, double dt) {
        dynamics.gravity(q, gravity);
        refreshInertia(q);
        if (dt > 0) lastDt = dt;
    }

    /**
     * A tick's second half, after {@link #prepare}: the torques for the arm measured at {@code q},
     * {@code qd}, into {@code tau[n]}; {@code extra} (null: none) is added before the limits (the
     * locked axes' spring).
     */
    public void finish(double[] q, double[] qd, double dt, DragSettings s, double[] extra, double[] tau) {
        toolGravity(q, s, tau);
        double margin = s.jointLimitMargin(), fs = s.frictionSpeed();
        for (int i = 0; i < n; i++) {
            double t = gravity[i] + tau[i] - damping(i, s) * qd[i];
            if (extra != null) t += extra[i];
            if (s.friction() > 0) t += s.friction() * Math.tanh(qd[i] / fs);
            // a soft wall inside the margin, growing from zero (no step when it is entered)
            double inLow = margin - (q[i] - lower[i]), inHigh = margin - (upper[i] - q[i]);
            if (inLow > 0) t += s.limitStiffness() * inLow;
            if (inHigh > 0) t -= s.limitStiffness() * inHigh;
            double vmax = s.jointVelocityScale() * velocity[i], over = Math.abs(qd[i]) - vmax;
            if (over > 0) t -= Math.copySign(10 * Math.max(s.jointDamping(), 1) * over, qd[i]);
            double emax = s.effortScale() * effort[i];
            t = Math.max(-emax, Math.min(emax, t));
            if (havePrevious) {
                double dmax = s.maxTorqueRate() * dt;
                t = Math.max(previous[i] - dmax, Math.min(previous[i] + dmax, t));
            }
            tau[i] = t;
            previous[i] = t;
        }
        havePrevious = true;
    }

    /**
     * The damping joint {@code i} gets: {@code joint_damping}, at most {@link #STABLE_DAMPING} ×
     * its inertia (the URDF's, which leaves out motors and tool: a lower bound) over the tick.
     */
    public double damping(int i, DragSettings s) {
        return Math.min(s.jointDamping(), stableDamping(i));
    }

    /** A hold's damping of joint {@code i}: {@link DragController#HOLD_DAMPING} or joint_damping if more, bounded as {@link #damping}. */
    public double holdDamping(int i, DragSettings s) {
        return Math.min(Math.max(DragController.HOLD_DAMPING, s.jointDamping()), stableDamping(i));
    }

    private double stableDamping(int i) {
        return STABLE_DAMPING * inertia[i] / lastDt;
    }

    /** The tick (s) the bounds are for: the last {@code dt} given to {@link #prepare}. */
    public double tick() {
        return lastDt;
    }

    /**
     * The most stiffness (N m/rad) a spring on joint {@code i} may add: {@link #STABLE_STIFFNESS} ×
     * its inertia over the tick squared. A spring sampled once a tick lags by half of it, which
     * feeds energy in; with ω·dt ≤ 0.5 the joints' damping takes it out again.
     */
    public double stableStiffness(int i) {
        return STABLE_STIFFNESS * inertia[i] / (lastDt * lastDt);
    }

    static final double STABLE_STIFFNESS = 0.25;

    /**
     * One joint's diagonal of the mass matrix at {@code q} per call (all of them until each is
     * known): M e_i = τ(q, 0, e_i) − g(q). A pose that gives no finite value keeps the last one.
     */
    private void refreshInertia(double[] q) {
        int from = inertiaKnown ? refresh : 0, to = inertiaKnown ? refresh + 1 : n;
        boolean known = true;
        for (int i = from; i < to; i++) {
            unit[i] = 1;
            dynamics.inverse(q, still, unit, probed);
            unit[i] = 0;
            double m = probed[i] - gravity[i];
            if (Double.isFinite(m)) inertia[i] = m;
            known &= Double.isFinite(inertia[i]);
        }
        if (!inertiaKnown) inertiaKnown = known;
        refresh = to >= n ? 0 : to;
    }

    /** The torques that carry the tool's weight at {@code q}: Jᵀ of its centre of mass times (0, 0, −m g), into {@code out}. */
    public void toolGravity(double[] q, DragSettings s, double[] out) {
        double m = s.toolMass();
        if (m == 0) {
            java.util.Arrays.fill(out, 0, n, 0);
            return;
        }
        toolChain.forward(q, toolPose);
        toolChain.jacobian(q, jacobian);
        double[] t = toolPose;
        double cx = s.toolComX(), cy = s.toolComY(), cz = s.toolComZ();
        // the centre of mass relative to the tool link's origin, in the base frame
        double rx = t[0] * cx + t[1] * cy + t[2] * cz, ry = t[4] * cx + t[5] * cy + t[6] * cz, rz = t[8] * cx + t[9] * cy + t[10] * cz;
        double fz = m * WrenchConditioning.GRAVITY;   // the torque that holds it up pushes up
        // moment of (0, 0, fz) at r: (ry fz, −rx fz, 0)
        double mx = ry * fz, my = -rx * fz;
        double[] d = jacobian.data;
        for (int c = 0; c < n; c++) out[c] = d[2 * n + c] * fz + d[3 * n + c] * mx + d[4 * n + c] * my;
    }

    /** The torque rate limit starts again from the next command (after a hold). */
    public void restart() {
        havePrevious = false;
    }

    /** The last torques sent, for a restart from them. */
    public void sentHold(double[] tau) {
        System.arraycopy(tau, 0, previous, 0, n);
        havePrevious = true;
    }
}
