package org.teachlearn.robot.teach;

/**
 * From a wrist force/torque sensor's raw reading to the wrench the person's hand applies, in the
 * base frame about the tool centre point: minus the sensor's bias (found by {@link #tare}), minus
 * the weight at the sensor's current orientation of what hangs beyond it: its links by the URDF
 * ({@link SensorLoad}) and the tool ({@code tool_mass} at {@code tool_com}),
 * through a first-order low-pass filter, then a deadband whose output grows from zero with zero
 * slope (a quadratic onset), so crossing it never kicks the arm. Tool weight left in the reading
 * is what makes admittance arms drift; a deadband with a step is what makes them feel sticky.
 * Preallocated; nothing is allocated per reading.
 */
public final class WrenchConditioning {

    public static final double GRAVITY = 9.81;

    /** A reading beyond this (N, or N m for torques) is not a hand: a broken sensor, a unit error, a crash. */
    public static final double ABSURD_FORCE = 10_000, ABSURD_TORQUE = 1_000;

    private final double[] bias = new double[6];
    private final double[] filtered = new double[6];
    private final double[] tool = new double[6];
    private final double[] mean = new double[6], lo = new double[6], hi = new double[6];
    private boolean primed;

    // the last raw readings, for the steadiness check of a tare
    private final double[][] recent;
    private int recentCount, recentNext;

    private final SensorLoad links;
    private final double[] load = new double[4];

    /**
     * @param steadySamples how many recent readings a tare judges and averages (e.g. 0.25 s of them)
     * @param links         what hangs beyond the sensor by the URDF (the gripper); {@code tool_mass} comes on top
     */
    public WrenchConditioning(int steadySamples, SensorLoad links) {
        recent = new double[Math.max(2, steadySamples)][6];
        this.links = links;
    }

    /** Whether a raw reading is something a sensor could report: finite and not absurdly large. */
    public static boolean plausible(double[] raw) {
        for (int i = 0; i < 6; i++) {
            if (!Double.isFinite(raw[i]) || Math.abs(raw[i]) > (i < 3 ? ABSURD_FORCE : ABSURD_TORQUE)) return false;
        }
        return true;
    }

    /**
     * One reading: {@code raw} (force then torque, sensor frame, about its origin), the sensor
     * frame's pose {@code sensorPose} (row-major 4x4 in the base frame, measured), the tool centre
     * point {@code tcp} (x y z in the base frame), {@code dt} since the last reading. Writes the
     * hand's wrench (base frame, about the tool centre point, after the deadband) into {@code out[6]}.
     */
    public void update(double[] raw, double[] sensorPose, double[] tcp, double dt, DragSettings s, double[] out) {
        observe(raw);
        loadWrench(sensorPose, s, tool);
        double alpha = s.filterCutoff() > 0 ? 1 - Math.exp(-2 * Math.PI * s.filterCutoff() * dt) : 1;
        for (int i = 0; i < 6; i++) {
            double c = raw[i] - bias[i] - tool[i];
            filtered[i] = primed ? filtered[i] + alpha * (c - filtered[i]) : c;
        }
        primed = true;
        double[] r = sensorPose;
        double fx = r[0] * filtered[0] + r[1] * filtered[1] + r[2] * filtered[2];
        double fy = r[4] * filtered[0] + r[5] * filtered[1] + r[6] * filtered[2];
        double fz = r[8] * filtered[0] + r[9] * filtered[1] + r[10] * filtered[2];
        double tx = r[0] * filtered[3] + r[1] * filtered[4] + r[2] * filtered[5];
        double ty = r[4] * filtered[3] + r[5] * filtered[4] + r[6] * filtered[5];
        double tz = r[8] * filtered[3] + r[9] * filtered[4] + r[10] * filtered[5];
        // about the tool centre point: τ_tcp = τ_sensor + (p_sensor − p_tcp) × F
        double dx = r[3] - tcp[0], dy = r[7] - tcp[1], dz = r[11] - tcp[2];
        tx += dy * fz - dz * fy;
        ty += dz * fx - dx * fz;
        tz += dx * fy - dy * fx;
        double fs = shaped(Math.sqrt(fx * fx + fy * fy + fz * fz), s.deadbandForce(), s.onsetForce());
        double ts = shaped(Math.sqrt(tx * tx + ty * ty + tz * tz), s.deadbandTorque(), s.onsetTorque());
        out[0] = fx * fs;
        out[1] = fy * fs;
        out[2] = fz * fs;
        out[3] = tx * ts;
        out[4] = ty * ts;
        out[5] = tz * ts;
    }

    /**
     * The deadband as a gain on a vector of magnitude {@code m}: 0 below {@code band}; then the
     * output magnitude (m − band)² / (2 onset) up to band + onset; then m − band − onset / 2. The
     * output and its slope are continuous everywhere. Returns output magnitude / m.
     */
    public static double shaped(double m, double band, double onset) {
        if (m <= band || m == 0) return 0;
        double over = m - band;
        double out = over < onset ? over * over / (2 * onset) : over - onset / 2;
        return out / m;
    }

    /** The weight of the links beyond the sensor and the tool, in the sensor frame, at {@code sensorPose}'s orientation. */
    public void loadWrench(double[] sensorPose, DragSettings s, double[] out) {
        links.plus(s.toolMass(), s.toolComX(), s.toolComY(), s.toolComZ(), load);
        weight(sensorPose, load[0], load[1], load[2], load[3], out);
    }

    /** The tool's weight alone (no links), as {@link #loadWrench} computes it. */
    public static void toolWrench(double[] sensorPose, DragSettings s, double[] out) {
        weight(sensorPose, s.toolMass(), s.toolComX(), s.toolComY(), s.toolComZ(), out);
    }

    /** The weight of {@code mass} at (cx, cy, cz) in the sensor frame: force, then its torque about the sensor origin. */
    static void weight(double[] sensorPose, double mass, double cx, double cy, double cz, double[] out) {
        double w = -mass * GRAVITY;   // along base z
        // the sensor frame's axes are the rotation's columns: gravity in the sensor frame is Rᵀ (0, 0, w)
        double fx = sensorPose[8] * w, fy = sensorPose[9] * w, fz = sensorPose[10] * w;
        out[0] = fx;
        out[1] = fy;
        out[2] = fz;
        out[3] = cy * fz - cz * fy;
        out[4] = cz * fx - cx * fz;
        out[5] = cx * fy - cy * fx;
    }

    /** Notes a raw reading for the next {@link #tare} without using it ({@link #update} notes its own). */
    public void observe(double[] raw) {
        System.arraycopy(raw, 0, recent[recentNext], 0, 6);
        recentNext = (recentNext + 1) % recent.length;
        if (recentCount < recent.length) recentCount++;
    }

    /**
     * Zeroes the sensor: the bias becomes the mean of the recent raw readings less the tool's
     * weight at {@code sensorPose}. Refused (returns why, and nothing changes) unless a full
     * window of readings is in and they are steady — spread within {@code maxForceSpread} N and
     * {@code maxTorqueSpread} N m on every axis — and the hand is not being moved
     * ({@code handSpeed} m/s, measured, under {@code maxHandSpeed}): someone touching the arm
     * would be tared away. Returns null when done.
     */
    public String tare(double[] sensorPose, DragSettings s, double maxForceSpread, double maxTorqueSpread, double handSpeed,
            double maxHandSpeed) {
        if (recentCount < recent.length) {
            return "not enough readings yet (" + recentCount + " of " + recent.length + "): is ft_sensor/wrench coming in? Try again in a moment";
        }
        java.util.Arrays.fill(mean, 0);
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (double[] r : recent) {
            for (int i = 0; i < 6; i++) {
                mean[i] += r[i] / recent.length;
                lo[i] = Math.min(lo[i], r[i]);
                hi[i] = Math.max(hi[i], r[i]);
            }
        }
        for (int i = 0; i < 6; i++) {
            double spread = hi[i] - lo[i], max = i < 3 ? maxForceSpread : maxTorqueSpread;
            if (spread > max) {
                return String.format("refused: the wrench is not steady (%s varied by %.3f %s over the last %d readings, more than %.3f):"
                        + " someone is touching the arm. Let go of it and call ft_sensor/tare again", i < 3 ? "force " + "xyz".charAt(i)
                        : "torque " + "xyz".charAt(i - 3), spread, i < 3 ? "N" : "N m", recent.length, max);
            }
        }
        if (handSpeed > maxHandSpeed) {
            return String.format("refused: the hand is moving (%.3f m/s): someone is guiding the arm. Let go of it and call"
                    + " ft_sensor/tare again", handSpeed);
        }
        loadWrench(sensorPose, s, tool);
        for (int i = 0; i < 6; i++) {
            double old = bias[i];
            bias[i] = mean[i] - tool[i];
            filtered[i] -= bias[i] - old;   // the filter's state follows at once, not through its lag
        }
        return null;
    }

    /** Whether a full window of readings for a tare is in. */
    public boolean windowFull() {
        return recentCount == recent.length;
    }

    /** The bias removed from every reading (force then torque, sensor frame). */
    public double[] bias() {
        return bias.clone();
    }

    /** Forgets the filter's state (after a hold): the next reading starts it. The bias stays. */
    public void restart() {
        primed = false;
    }
}
