package org.teachlearn.robot.kinematics;

import java.util.SplittableRandom;

/**
 * The arm's mirror image: for an arm built symmetric about the vertical plane through its base
 * axis and the base frame's x axis (the plane y = {@link #y}), the joint positions with some
 * joints' signs flipped ({@link #flips}), and the last joint turned by {@link #lastOffset}, put
 * the hand where the mirror image of the original pose puts it: its position and approach axis
 * mirrored, and its fingers' line too — a parallel gripper is its own mirror image, and looks the
 * same turned half a turn about its approach axis, so the last joint may also take its position ±
 * π. On teach_arm (Franka's kinematics) the joints about vertical-ish axes flip (1, 3, 5, 7) and
 * the last one turns a quarter turn (the hand sits 45° turned on the flange). Found by trying
 * every combination of signs on random poses, so any arm whose kinematics are mirror-symmetric
 * this way is found, and no other; the links' masses need not be (a position-controlled arm
 * follows its targets alike).
 */
public record ArmMirror(double y, boolean[] flips, double lastOffset) {

    /** Poses every combination is tried on, and how far apart the hand's poses may be (m, and rotation entries). */
    static final int POSES = 6;
    static final double TOLERANCE = 1e-6;   // a URDF's rounded numbers (π/2 as 1.570796327) put mirror images some 1e-9 m apart
    /** Arms with more joints than this are not searched (2^n combinations). */
    static final int MAX_JOINTS = 12;

    /** The mirror of {@code chain} about the plane through {@code axis}, or null (and why in {@code why[0]}) when its kinematics are not symmetric. */
    public static ArmMirror of(KinematicChain chain, BaseAxis axis, String[] why) {
        int n = chain.dof();
        if (n > MAX_JOINTS) return none(why, n + " joints: too many sign combinations to try");
        for (int j = 0; j < n; j++) {
            if (chain.joint(j).isPrismatic()) return none(why, "joint '" + chain.jointNames()[j] + "' is prismatic");
        }
        SplittableRandom random = new SplittableRandom(17);
        double[][] poses = new double[POSES][n];
        for (double[] q : poses) for (int j = 0; j < n; j++) q[j] = Math.PI * (2 * random.nextDouble() - 1);
        double[] original = new double[16], image = new double[16], flipped = new double[n];
        for (int mask = 0; mask < 1 << n; mask++) {
            boolean[] flips = new boolean[n];
            for (int j = 0; j < n; j++) flips[j] = (mask >> j & 1) == 1;
            double[] offsets = null;
            boolean all = true;
            for (int p = 0; p < POSES && all; p++) {
                image(poses[p], flips, 0, flipped);
                chain.forward(poses[p], original);
                chain.forward(flipped, image);
                all = sameHandPlace(original, image, axis.y());
                // the last joint's turn that brings the fingers' line to its mirror image, ± (the joint's axis may point either way)
                if (all && p == 0) offsets = new double[] {0, fingerAngle(original, image), -fingerAngle(original, image)};
            }
            if (!all) continue;
            for (double offset : offsets) {
                boolean fingers = true;
                for (int p = 0; p < POSES && fingers; p++) {
                    image(poses[p], flips, offset, flipped);
                    chain.forward(poses[p], original);
                    chain.forward(flipped, image);
                    fingers = sameHandPlace(original, image, axis.y()) && Math.abs(Math.sin(fingerAngle(original, image))) <= TOLERANCE;
                }
                if (fingers) return new ArmMirror(axis.y(), flips, Math.IEEEremainder(offset, Math.PI));
            }
        }
        return none(why, "no choice of joint signs mirrors the hand's pose about the plane through the base axis and x");
    }

    private static void image(double[] q, boolean[] flips, double lastOffset, double[] out) {
        for (int j = 0; j < q.length; j++) out[j] = flips[j] ? -q[j] : q[j];
        out[q.length - 1] += lastOffset;
    }

    /** Whether pose b (row-major 4x4) has a's position and approach axis (z) mirrored, y reflected about y0. */
    private static boolean sameHandPlace(double[] a, double[] b, double y0) {
        return Math.abs(b[3] - a[3]) <= TOLERANCE && Math.abs(b[7] - (2 * y0 - a[7])) <= TOLERANCE && Math.abs(b[11] - a[11]) <= TOLERANCE
                && Math.abs(b[2] - a[2]) <= TOLERANCE && Math.abs(b[6] + a[6]) <= TOLERANCE && Math.abs(b[10] - a[10]) <= TOLERANCE;
    }

    /** The angle about b's approach axis from b's finger line (its y axis) to the mirror image of a's. */
    private static double fingerAngle(double[] a, double[] b) {
        double tx = a[1], ty = -a[5], tz = a[9];   // a's y axis mirrored
        double yx = b[1], yy = b[5], yz = b[9], zx = b[2], zy = b[6], zz = b[10];
        double cross = (yy * tz - yz * ty) * zx + (yz * tx - yx * tz) * zy + (yx * ty - yy * tx) * zz;
        return Math.atan2(cross, yx * tx + yy * ty + yz * tz);
    }

    private static ArmMirror none(String[] why, String reason) {
        if (why != null) why[0] = reason;
        return null;
    }

    /** The sign joint {@code j} takes in the mirror image: −1 where it flips. */
    public double sign(int j) {
        return flips[j] ? -1 : 1;
    }

    /** Joint {@code j}'s position in the mirror image of a pose where it is at {@code q}: flipped, and for the last one turned; the last may also take it ± π. */
    public double image(int j, double q) {
        return sign(j) * q + (j == flips.length - 1 ? lastOffset : 0);
    }
}
