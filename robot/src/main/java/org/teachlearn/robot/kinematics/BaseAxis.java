package org.teachlearn.robot.kinematics;

import org.teachlearn.robot.urdf.Joint;

/**
 * The vertical axis an arm turns about at its base: where its first joint is a revolute (or
 * continuous) joint about the base frame's z axis, reached from the base through fixed joints only,
 * as on most arms (UR, Franka, Kinova, teach_arm). Turning that joint by δ turns everything the arm
 * reaches by {@code sign}·δ about the vertical line through ({@link #x}, {@link #y}): a state of
 * the arm, the table and the objects on it, turned together, is as valid as the one it came from.
 * The base frame's z axis is taken as up (the URDF convention; the simulator's gravity).
 */
public record BaseAxis(double x, double y, double sign) {

    /** How far from vertical the joint's axis may be (in cos): the axis of a URDF written with rounded numbers. */
    static final double VERTICAL = 1 - 1e-9;

    /** The axis of {@code chain}, or null (and why in {@code why[0]} if given) when its first joint does not turn about a vertical axis. */
    public static BaseAxis of(KinematicChain chain, String[] why) {
        double[] pose = Transforms.identity(new double[16]), origin = new double[16], product = new double[16];
        for (int i = 0; i < chain.pathLength(); i++) {
            chain.origin(i, origin);
            Transforms.multiply(pose, origin, product);
            System.arraycopy(product, 0, pose, 0, 16);
            if (chain.coordinate(i) < 0) continue;   // a fixed joint before the first movable one
            Joint first = chain.joint(chain.coordinate(i));
            if (first.type() != Joint.Type.REVOLUTE && first.type() != Joint.Type.CONTINUOUS) {
                return none(why, "its first joint '" + first.name() + "' is " + first.type().name().toLowerCase(java.util.Locale.ROOT) + ", not revolute");
            }
            double[] a = first.axis();
            // the axis in the base frame: the joint frame's rotation applied to the axis (row-major 4x4)
            double az = pose[8] * a[0] + pose[9] * a[1] + pose[10] * a[2];
            if (Math.abs(az) < VERTICAL) {
                return none(why, String.format(java.util.Locale.ROOT, "its first joint '%s' turns about an axis %.3f from vertical",
                        first.name(), Math.acos(Math.min(1, Math.abs(az)))));
            }
            return new BaseAxis(pose[3], pose[7], Math.signum(az));
        }
        return none(why, "it has no movable joint");
    }

    private static BaseAxis none(String[] why, String reason) {
        if (why != null) why[0] = reason;
        return null;
    }

    /** Turns the point (x, y) at {@code xy[at]}, {@code xy[at + 1]} by {@code angle} (rad, counter-clockwise seen from above) about this axis. */
    public void turn(double[] xy, int at, double angle) {
        double c = Math.cos(angle), s = Math.sin(angle);
        double dx = xy[at] - x, dy = xy[at + 1] - y;
        xy[at] = x + c * dx - s * dy;
        xy[at + 1] = y + s * dx + c * dy;
    }
}
