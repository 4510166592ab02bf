package org.teachlearn.robot.teleop;

/**
 * Whether a controller pose from the headset can be trusted (tracking loss shows up as NaN, zero
 * poses, jumps and poses far off; ALVR and vuer report poses snapping to zero): the position and
 * quaternion finite, the quaternion of unit length, not the all-zero pose a lost tracker sends, no
 * further than {@code maxDistance} from the tracking origin, and no further than {@code maxJump}
 * from the pose before. Allocation-free; {@link #describe} builds text only for a log line.
 */
public final class PoseGuard {

    public static final int OK = 0;
    public static final int NOT_FINITE = 1;
    public static final int NOT_UNIT = 2;
    public static final int ZERO = 3;
    public static final int FAR = 4;
    public static final int JUMP = 5;

    /** How far a quaternion's length may be from 1 (browsers send float32 quaternions normalised to ~1e-7). */
    static final double UNIT_TOLERANCE = 0.01;

    private final double maxJump, maxDistance;
    private final double[] last = new double[7], seen = new double[7];
    private boolean haveLast;
    private double jumped;

    /** @param maxJump metres between two consecutive poses ({@code ~max_pose_jump}); @param maxDistance metres from the tracking origin */
    public PoseGuard(double maxJump, double maxDistance) {
        if (!(maxJump > 0)) throw new IllegalArgumentException("~max_pose_jump must be > 0 m, got " + maxJump);
        if (!(maxDistance > 0)) throw new IllegalArgumentException("~max_tracking_distance must be > 0 m, got " + maxDistance);
        this.maxJump = maxJump;
        this.maxDistance = maxDistance;
    }

    /** Judges pose {@code p} = x y z qx qy qz qw (tracking frame); remembers it for the next jump check when finite. */
    public int judge(double[] p) {
        System.arraycopy(p, 0, seen, 0, 7);
        for (int i = 0; i < 7; i++) if (!Double.isFinite(p[i])) return NOT_FINITE;
        double qn = Math.sqrt(p[3] * p[3] + p[4] * p[4] + p[5] * p[5] + p[6] * p[6]);
        boolean zeroPosition = p[0] == 0 && p[1] == 0 && p[2] == 0;
        if (qn == 0 || (zeroPosition && p[3] == 0 && p[4] == 0 && p[5] == 0 && Math.abs(p[6]) == 1)) {
            forget();
            return ZERO;
        }
        if (Math.abs(qn - 1) > UNIT_TOLERANCE) return NOT_UNIT;
        double d = Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
        if (d > maxDistance) return FAR;
        boolean jump = false;
        if (haveLast) {
            double dx = p[0] - last[0], dy = p[1] - last[1], dz = p[2] - last[2];
            jumped = Math.sqrt(dx * dx + dy * dy + dz * dz);
            jump = jumped > maxJump;
        }
        // a jump is remembered too: the pose after a real relocation is judged from where tracking now is
        System.arraycopy(p, 0, last, 0, 7);
        haveLast = true;
        return jump ? JUMP : OK;
    }

    /** Forgets the last pose (a dropout): the next one is not judged a jump from before it. */
    public void forget() {
        haveLast = false;
    }

    /** Why {@code verdict} refused the last pose judged. */
    public String describe(int verdict) {
        String pose = String.format(java.util.Locale.ROOT, "position (%.3f, %.3f, %.3f) quaternion (%.3f, %.3f, %.3f, %.3f)",
                seen[0], seen[1], seen[2], seen[3], seen[4], seen[5], seen[6]);
        return switch (verdict) {
            case NOT_FINITE -> "vr/controller_pose is NaN or infinite: " + pose;
            case NOT_UNIT -> "vr/controller_pose's quaternion is not of unit length: " + pose;
            case ZERO -> "vr/controller_pose is the zero pose a lost tracker sends: " + pose;
            case FAR -> String.format(java.util.Locale.ROOT, "vr/controller_pose is %.1f m from the tracking origin (over ~max_tracking_distance %.1f m): %s",
                    Math.sqrt(seen[0] * seen[0] + seen[1] * seen[1] + seen[2] * seen[2]), maxDistance, pose);
            case JUMP -> String.format(java.util.Locale.ROOT, "vr/controller_pose jumped %.3f m since the pose before (over ~max_pose_jump %.3f m): %s",
                    jumped, maxJump, pose);
            default -> "vr/controller_pose is fine: " + pose;
        };
    }
}
