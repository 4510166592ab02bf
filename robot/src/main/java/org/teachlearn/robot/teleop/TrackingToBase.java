package org.teachlearn.robot.teleop;

import java.util.Arrays;

/**
 * Where the VR tracking space sits in the robot's base frame ({@code ~tracking_to_base}: x y z
 * qx qy qz qw, the tracking frame's pose in the base frame). Only its rotation matters to
 * teleoperation, which moves the tool by the controller's motion, never to its absolute place.
 * The default turns WebXR's y-up space (x right, y up, −z ahead of where the person first looked)
 * into a z-up base whose x points the same way ahead: base x = −z, base y = −x, base z = y. An
 * operator standing behind the arm, looking the way it faces, then moves the tool the way they move
 * their hand.
 */
public final class TrackingToBase {

    /** WebXR's local-floor space (y up, −z ahead) to a z-up base with x ahead: the quaternion of [[0,0,−1],[−1,0,0],[0,1,0]]. */
    private static final double[] WEBXR = {0, 0, 0, 0.5, -0.5, -0.5, 0.5};

    public static double[] webxrYUp() {
        return WEBXR.clone();
    }

    private final double[] rotation = new double[9];
    private final double[] translation = new double[3];

    private TrackingToBase(double[] values) {
        translation[0] = values[0];
        translation[1] = values[1];
        translation[2] = values[2];
        Rotation3.fromQuaternion(values[3], values[4], values[5], values[6], rotation);
    }

    /** From {@code [x, y, z, qx, qy, qz, qw]}; a wrong length, NaN or a quaternion far from unit length is refused with what to write. */
    public static TrackingToBase of(double[] v) {
        String values = Arrays.toString(v);
        if (v.length != 7) {
            throw new IllegalArgumentException("~tracking_to_base must be 7 numbers, x y z qx qy qz qw (the tracking frame in the base frame;"
                    + " default " + Arrays.toString(WEBXR) + ": WebXR's y-up space to a z-up base), got " + v.length + ": " + values);
        }
        for (int i = 0; i < 7; i++) {
            if (!Double.isFinite(v[i])) throw new IllegalArgumentException("~tracking_to_base " + values + " holds a non-finite number");
        }
        double n = Math.sqrt(v[3] * v[3] + v[4] * v[4] + v[5] * v[5] + v[6] * v[6]);
        if (Math.abs(n - 1) > 0.01) {
            throw new IllegalArgumentException("~tracking_to_base's quaternion " + Arrays.toString(Arrays.copyOfRange(v, 3, 7)) + " has length " + n
                    + ", not 1 (order: qx qy qz qw)");
        }
        return new TrackingToBase(v);
    }

    /** The tracking frame's orientation in the base frame, row-major 3x3 (do not modify). */
    public double[] rotation() {
        return rotation;
    }

    public double[] translation() {
        return translation.clone();
    }
}
