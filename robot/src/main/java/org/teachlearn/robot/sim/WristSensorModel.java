package org.teachlearn.robot.sim;

import java.util.Arrays;

/**
 * How the simulated wrist force/torque sensor reports. {@link #IDEAL}: bias-free and gravity-compensated,
 * only what the world applies to the hand (contacts, a person's push). Raw: as a real sensor, the wrench
 * the hand exerts on the sensor — the ideal reading plus the weight of everything beyond the sensor at
 * the current orientation (its links and the tool), plus a constant {@code bias} (fx, fy, fz in N, tx, ty,
 * tz in N m, in the sensor frame) and Gaussian noise of standard deviation {@code forceNoise} (N, per
 * axis) and {@code torqueNoise} (N m). The tool's own inertia (m a while the hand accelerates) is not in
 * either reading.
 */
public record WristSensorModel(boolean raw, double[] bias, double forceNoise, double torqueNoise) {

    public static final WristSensorModel IDEAL = new WristSensorModel(false, new double[6], 0, 0);

    public WristSensorModel {
        if (bias == null || bias.length != 6) {
            throw new IllegalArgumentException("the sensor bias is 6 numbers [fx, fy, fz, tx, ty, tz] (N, N m), got " + Arrays.toString(bias));
        }
        for (double b : bias) if (!Double.isFinite(b)) throw new IllegalArgumentException("the sensor bias " + Arrays.toString(bias) + " is not finite");
        if (!(forceNoise >= 0 && torqueNoise >= 0) || !Double.isFinite(forceNoise + torqueNoise)) {
            throw new IllegalArgumentException("sensor noise must be finite standard deviations of 0 or more, got "
                    + forceNoise + " N and " + torqueNoise + " N m");
        }
        bias = bias.clone();
    }

    /** A raw sensor with this bias and noise. */
    public static WristSensorModel raw(double[] bias, double forceNoise, double torqueNoise) {
        return new WristSensorModel(true, bias, forceNoise, torqueNoise);
    }

    @Override
    public double[] bias() {
        return bias.clone();
    }

    @Override
    public String toString() {
        return raw ? "raw (bias " + Arrays.toString(bias) + ", noise " + forceNoise + " N, " + torqueNoise + " N m)" : "ideal";
    }
}
