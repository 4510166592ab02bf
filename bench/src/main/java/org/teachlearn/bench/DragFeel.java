package org.teachlearn.bench;

import java.nio.file.Path;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.control.ControlMode;
import org.teachlearn.robot.dynamics.Dynamics;
import org.teachlearn.robot.kinematics.KinematicChain;
import org.teachlearn.robot.sim.ArmWorld;
import org.teachlearn.robot.sim.FreeTask;
import org.teachlearn.robot.sim.Simulation;
import org.teachlearn.robot.sim.WristSensorModel;
import org.teachlearn.robot.teach.DragController;
import org.teachlearn.robot.teach.DragSettings;
import org.teachlearn.robot.teach.SensorLoad;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.UrdfParser;

/**
 * How drag teaching feels on the built-in simulator, in process: the simulated teach_arm (position
 * controllers for admittance, effort controllers for gravity mode) carrying a tool on the hand, a
 * person's hand as a force (and torque) on the hand link held in world axes, and the simulator's
 * raw wrist sensor (what a real one reads: the push, the weight of the hand, fingers and tool at
 * the current orientation, a constant bias, seeded noise). drag_teach's controller
 * ({@link DragController}, told of the tool, the hand's links from the URDF) closes the loop at
 * 100 Hz with default parameters. Used by {@link DragBench} and its short test.
 */
public final class DragFeel {

    /** The control rate (Hz) of the arm and drag_teach: sim_arm's default. */
    public static final double RATE = 100, DT = 1 / RATE;
    static final String HAND = "hand";
    static final double[] BIAS = {2.0, -1.5, 3.0, 0.10, -0.05, 0.02};
    static final double NOISE_FORCE = 0.05, NOISE_TORQUE = 0.003;

    private final DragController.Mode mode;
    private final Simulation sim;
    private final DragController drag;
    private final KinematicChain chain;
    private final double[] toolCom = {0, 0, 0.08};
    private final double[] q, qd, raw = new double[6], cmd, pose = new double[16], tcp = new double[16];
    private final double[] push = new double[3], twist = new double[3];
    private double time;
    private boolean heldFromNow;   // ringing(): drag_teach's hold every tick instead of its tick

    /** A fresh arm at its rest pose with a tool of {@code toolMass} kg (compensated: drag_teach is told of it), optionally a table. */
    public DragFeel(DragController.Mode mode, double toolMass, boolean table, long seed) throws Exception {
        this(mode, toolMass, table, seed, DragSettings.DEFAULTS);
    }

    public DragFeel(DragController.Mode mode, double toolMass, boolean table, long seed, DragSettings settings) throws Exception {
        this(mode, toolMass, toolMass, table, seed, settings);
    }

    /** A tool of {@code toolMass} kg of which drag_teach is told {@code toldMass} kg. */
    public DragFeel(DragController.Mode mode, double toolMass, double toldMass, boolean table, long seed, DragSettings settings)
            throws Exception {
        this.mode = mode;
        RobotModel model = UrdfParser.parse(root().resolve("urdf/teach_arm.urdf"));
        ArmLayout layout = ArmLayout.TEACH_ARM;
        ControlMode control = mode == DragController.Mode.GRAVITY ? ControlMode.EFFORT : ControlMode.POSITION;
        ArmWorld.Settings physics = (table ? ArmWorld.Settings.WITH_OBJECTS : ArmWorld.Settings.ARM_ONLY).withTool(toolMass, toolCom);
        sim = new Simulation(model, layout, physics, Simulation.Settings.defaults(control).withStartNoise(0).withControlPeriod(DT), new FreeTask());
        sim.world().setWristSensorModel(WristSensorModel.raw(BIAS, NOISE_FORCE, NOISE_TORQUE));
        sim.reset(seed);
        sim.world().seedSensorNoise(seed);
        if (table) sim.world().placeCube(1.0, 0.5, 0.025, 0);   // out of the way
        chain = layout.chain(model);
        KinematicChain sensor = new KinematicChain(model, layout.baseLink(), layout.sensorLink());
        DragSettings s = settings.with("tool_mass", toldMass).with("tool_com_z", toolCom[2]);
        drag = new DragController(mode, control, chain, sensor, sensor, new Dynamics(model, chain), SensorLoad.of(model, layout.sensorLink()), layout.restPose(), s, (int) (0.25 * RATE));
        drag.settings().settle();
        int n = chain.dof();
        q = new double[n];
        qd = new double[n];
        cmd = new double[n];
    }

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return here.resolve("urdf").toFile().isDirectory() ? here : here.getParent();
    }

    public DragController controller() {
        return drag;
    }

    public Simulation sim() {
        return sim;
    }

    /** The person's force on the hand, world axes (N), from the next step on. */
    public void push(double fx, double fy, double fz) {
        push[0] = fx;
        push[1] = fy;
        push[2] = fz;
    }

    /** The person's torque on the hand, world axes (N m), from the next step on. */
    public void turn(double tx, double ty, double tz) {
        twist[0] = tx;
        twist[1] = ty;
        twist[2] = tz;
    }

    /** The tool centre point now (x y z, base frame) into {@code out[3]}. */
    public void tcp(double[] out) {
        sim.tcpPose(tcp);
        out[0] = tcp[3];
        out[1] = tcp[7];
        out[2] = tcp[11];
    }

    public double time() {
        return time;
    }

    /** One control period: read, tick drag_teach, apply its command, integrate. */
    public void step() {
        sim.armPositions(q);
        sim.armVelocities(qd);
        sim.world().sensedWrench(raw);
        if (heldFromNow) drag.hold(q, qd, cmd);
        else drag.tick(q, qd, raw, DT, cmd);
        applyHandAndTool();
        sim.step(cmd, Double.NaN);
        time += DT;
    }

    /** Runs {@code seconds} of steps. */
    public void run(double seconds) {
        int steps = (int) Math.round(seconds * RATE);
        for (int i = 0; i < steps; i++) step();
    }

    /** Lets drag_teach tare at start-up, nobody touching, for {@code settle} seconds; throws if it has not. */
    public void tare(double settle) {
        run(settle);
        if (mode == DragController.Mode.ADMITTANCE && !drag.tared()) throw new IllegalStateException(drag.describeTare());
    }

    /** The push as a wrench on the hand link, in its frame (the simulator holds link-frame wrenches). */
    private void applyHandAndTool() {
        sim.world().linkPose(HAND, pose);
        // world → link: Rᵀ w
        double fx = pose[0] * push[0] + pose[4] * push[1] + pose[8] * push[2];
        double fy = pose[1] * push[0] + pose[5] * push[1] + pose[9] * push[2];
        double fz = pose[2] * push[0] + pose[6] * push[1] + pose[10] * push[2];
        double tx = pose[0] * twist[0] + pose[4] * twist[1] + pose[8] * twist[2];
        double ty = pose[1] * twist[0] + pose[5] * twist[1] + pose[9] * twist[2];
        double tz = pose[2] * twist[0] + pose[6] * twist[1] + pose[10] * twist[2];
        sim.world().setExternalWrench(HAND, fx, fy, fz, tx, ty, tz);
    }

    // --- the measurements ---

    /**
     * A person guiding the hand along +y at {@code speed} m/s, as a hand does: a spring–damper pull
     * (300 N/m, 40 N s/m, capped at 30 N) toward a point moving at that speed (after a 0.3 s
     * smooth start). Returns {mean force magnitude (N), mean speed along y (m/s)} over the last
     * {@code window} s of {@code seconds}: the steady force that moves the hand at that speed.
     */
    public static double[] guide(DragController.Mode mode, double speed, double seconds, double window) throws Exception {
        return guide(mode, speed, seconds, window, DragSettings.DEFAULTS);
    }

    public static double[] guide(DragController.Mode mode, double speed, double seconds, double window, DragSettings settings) throws Exception {
        DragFeel f = new DragFeel(mode, 0, false, 1, settings);
        f.tare(0.3);
        double[] p0 = new double[3], p = new double[3], prev = new double[3];
        f.tcp(p0);
        f.tcp(prev);
        double t0 = f.time(), force = 0, startY = 0, ramp = 0.3;
        int counted = 0, steps = (int) Math.round(seconds * RATE), from = steps - (int) Math.round(window * RATE);
        for (int i = 0; i < steps; i++) {
            double t = f.time() - t0;
            // the target's y: accelerates smoothly over the first 0.3 s, then moves at speed
            double y = t < ramp ? speed * t * t * t / (ramp * ramp) * (1 - t / (2 * ramp)) : speed * (t - ramp / 2);
            double vy = t < ramp ? speed * (3 * t * t / (ramp * ramp) - 2 * t * t * t / (ramp * ramp * ramp)) : speed;
            f.tcp(p);
            double fx = 300 * (p0[0] - p[0]) - 40 * (p[0] - prev[0]) / DT;
            double fy = 300 * (p0[1] + y - p[1]) + 40 * (vy - (p[1] - prev[1]) / DT);
            double fz = 300 * (p0[2] - p[2]) - 40 * (p[2] - prev[2]) / DT;
            double m = Math.sqrt(fx * fx + fy * fy + fz * fz);
            if (m > 30) {
                fx *= 30 / m;
                fy *= 30 / m;
                fz *= 30 / m;
                m = 30;
            }
            f.push(fx, fy, fz);
            System.arraycopy(p, 0, prev, 0, 3);
            if (i == from) startY = p[1];
            if (i >= from) {
                force += m;
                counted++;
            }
            f.step();
        }
        f.tcp(p);
        return new double[] {force / counted, (p[1] - startY) / (counted * DT)};
    }

    /**
     * Drift with nobody touching: after the start-up tare a person turns the hand (1 N m about the
     * base's x axis for 0.6 s: the tool's weight now loads the sensor differently) and lets go;
     * 1.5 s later, the largest distance (m) the hand wanders over {@code seconds}. The tool weighs
     * {@code toolMass} kg, of which drag_teach is told {@code toldMass} (0: uncompensated).
     * Returns {drift (m), how far the hand turned (rad)}.
     */
    public static double[] drift(DragController.Mode mode, double toolMass, double toldMass, double seconds) throws Exception {
        return drift(mode, toolMass, toldMass, seconds, DragSettings.DEFAULTS);
    }

    public static double[] drift(DragController.Mode mode, double toolMass, double toldMass, double seconds, DragSettings settings) throws Exception {
        DragFeel f = new DragFeel(mode, toolMass, toldMass, false, 2, settings);
        f.tare(0.3);
        double[] r0 = new double[16], r1 = new double[16];
        f.sim().tcpPose(r0);
        f.turn(1.0, 0, 0);
        f.run(0.6);
        f.turn(0, 0, 0);
        f.run(1.5);
        f.sim().tcpPose(r1);
        double turned = angle(r0, r1);
        double[] start = new double[3], now = new double[3];
        f.tcp(start);
        double worst = 0;
        int steps = (int) Math.round(seconds * RATE);
        for (int i = 0; i < steps; i++) {
            f.step();
            f.tcp(now);
            worst = Math.max(worst, Math.sqrt(sq(now[0] - start[0]) + sq(now[1] - start[1]) + sq(now[2] - start[2])));
        }
        return new double[] {worst, turned};
    }

    /**
     * Pushed into the table: the hand pushed down with {@code force} N until it lands on the table
     * top (the sensor feels the table push back by more than 2 N), then held pushed. Returns {time
     * of contact (s), oscillation amplitude of the hand's height (m): half the peak-to-peak about
     * its linear trend over {@code window} s from 0.5 s after contact, the height's overall change
     * over that window (m)}.
     */
    public static double[] tablePush(DragController.Mode mode, double force, double window, DragSettings settings) throws Exception {
        DragFeel f = new DragFeel(mode, 0, true, 3, settings);
        f.tare(0.3);
        f.push(0, 0, -force);
        double[] p = new double[3], w = new double[6], pose = new double[16];
        double contact = Double.NaN;
        for (int i = 0; i < 30 * RATE && Double.isNaN(contact); i++) {
            f.step();
            f.sim().world().sensedWrench(w);
            f.sim().world().linkPose(HAND, pose);
            double up = pose[8] * w[0] + pose[9] * w[1] + pose[10] * w[2];   // world z of the sensed force
            if (up > -force + 2) contact = f.time();
        }
        if (Double.isNaN(contact)) throw new IllegalStateException("the hand never reached the table");
        f.run(0.5);
        int k = (int) Math.round(window * RATE);
        double[] z = new double[k];
        for (int i = 0; i < k; i++) {
            f.step();
            f.tcp(p);
            z[i] = p[2];
        }
        // least-squares line through z, then the residual's peak-to-peak
        double mt = (k - 1) / 2.0, mz = 0;
        for (double v : z) mz += v / k;
        double num = 0, den = 0;
        for (int i = 0; i < k; i++) {
            num += (i - mt) * (z[i] - mz);
            den += (i - mt) * (i - mt);
        }
        double slope = num / den, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            double r = z[i] - (mz + slope * (i - mt));
            lo = Math.min(lo, r);
            hi = Math.max(hi, r);
        }
        return new double[] {contact, (hi - lo) / 2, z[k - 1] - z[0]};
    }

    /**
     * Gravity mode, the hand at rest pushed along +y with {@code force} N for {@code seconds}, then
     * let go for 0.5 s: {how far it turned (rad), how far it moved (m)}.
     */
    public static double[] push(DragSettings settings, double force, double seconds) throws Exception {
        DragFeel f = new DragFeel(DragController.Mode.GRAVITY, 0, false, 1, settings);
        f.run(0.3);
        double[] r0 = new double[16], r = new double[16];
        f.sim().tcpPose(r0);
        f.push(0, force, 0);
        f.run(seconds);
        f.push(0, 0, 0);
        f.run(0.5);
        f.sim().tcpPose(r);
        return new double[] {angle(r0, r), Math.sqrt(sq(r[3] - r0[3]) + sq(r[7] - r0[7]) + sq(r[11] - r0[11]))};
    }

    /**
     * Gravity mode with a 0.5 kg tool: a 1 N m twist for 0.6 s, let go; 1 s later the joints'
     * speeds, root mean square over joints and the next second (rad/s): zero but for a slow
     * drift when the loop is stable, the speed of a ringing joint when it is not.
     */
    public static double ringing(DragSettings settings) throws Exception {
        return ringing(settings, false);
    }

    /** As {@link #ringing(DragSettings)}, with drag_teach holding the arm (every tick a hold) from the moment the twist ends when {@code held}. */
    public static double ringing(DragSettings settings, boolean held) throws Exception {
        DragFeel f = new DragFeel(DragController.Mode.GRAVITY, 0.5, 0.5, false, 2, settings);
        f.run(0.3);
        f.turn(1.0, 0, 0);
        f.run(0.6);
        f.turn(0, 0, 0);
        f.heldFromNow = held;
        f.run(1.0);
        int steps = (int) RATE;
        double sum = 0;
        for (int i = 0; i < steps; i++) {
            f.step();
            f.sim().armVelocities(f.qd);
            for (double v : f.qd) sum += v * v;
        }
        return Math.sqrt(sum / (steps * f.qd.length));
    }

    /** The angle (rad) of the rotation between two poses (4x4 row-major). */
    static double angle(double[] a, double[] b) {
        double trace = a[0] * b[0] + a[4] * b[4] + a[8] * b[8] + a[1] * b[1] + a[5] * b[5] + a[9] * b[9] + a[2] * b[2] + a[6] * b[6] + a[10] * b[10];
        return Math.acos(Math.max(-1, Math.min(1, (trace - 1) / 2)));
    }

    private static double sq(double x) {
        return x * x;
    }
}
