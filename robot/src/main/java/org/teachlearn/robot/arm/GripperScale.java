package org.teachlearn.robot.arm;

import org.teachlearn.robot.urdf.Joint;

/**
 * How a gripper's driven joint maps to what policies, experts and tasks speak: each finger's
 * opening in metres. A prismatic finger joint is its own opening (shifted by its lower limit); a
 * revolute one (a Robotiq-style knuckle) maps linearly through two calibration points, the joint
 * position when closed and when open, and the opening at the open one.
 */
public record GripperScale(double closedPosition, double openPosition, double openWidth) {

    public GripperScale {
        if (!Double.isFinite(closedPosition) || !Double.isFinite(openPosition) || closedPosition == openPosition) {
            throw new IllegalArgumentException("gripper calibration: closed " + closedPosition + " and open " + openPosition
                    + " must be two different finite joint positions");
        }
        if (!(openWidth > 0) || !Double.isFinite(openWidth)) {
            throw new IllegalArgumentException("gripper calibration: the open width " + openWidth + " m must be above 0");
        }
    }

    /** A prismatic finger: opening = position − lower limit, open at the upper limit. */
    public static GripperScale prismatic(Joint finger) {
        return new GripperScale(finger.lower(), finger.upper(), finger.upper() - finger.lower());
    }

    /** Each finger's opening of a revolute gripper at its open position when not given: an 85 mm stroke (Robotiq 2F-85). */
    public static final double DEFAULT_OPEN_WIDTH = 0.0425;

    /**
     * The scale of gripper joint {@code g}: a prismatic finger's own, unless {@code spec} calibrates
     * it; a revolute or continuous one needs the calibration (an error names the keys otherwise).
     */
    public static GripperScale forJoint(Joint g, ArmSpec spec, String urdf) {
        boolean calibrated = !Double.isNaN(spec.gripperClosed()) || !Double.isNaN(spec.gripperOpen());
        if (!calibrated && g.isPrismatic()) return prismatic(g);
        if (Double.isNaN(spec.gripperClosed()) || Double.isNaN(spec.gripperOpen())) {
            throw new IllegalArgumentException("gripper joint '" + g.name() + "' of " + urdf + " is " + g.type().name().toLowerCase()
                    + ": set " + spec.key("gripper_closed_position") + " and " + spec.key("gripper_open_position")
                    + " (its positions when closed and open; optional " + spec.key("gripper_open_width") + ", each finger's opening in m when open, default "
                    + DEFAULT_OPEN_WIDTH + ")");
        }
        for (double q : new double[] {spec.gripperClosed(), spec.gripperOpen()}) {
            if (q < g.lower() - 1e-9 || q > g.upper() + 1e-9) {
                throw new IllegalArgumentException(spec.key("gripper_closed_position") + "/" + spec.key("gripper_open_position") + " " + q
                        + " is outside joint '" + g.name() + "''s limits [" + g.lower() + ", " + g.upper() + "] in " + urdf);
            }
        }
        double width = Double.isNaN(spec.gripperOpenWidth()) ? DEFAULT_OPEN_WIDTH : spec.gripperOpenWidth();
        return new GripperScale(spec.gripperClosed(), spec.gripperOpen(), width);
    }

    /** Whether a position is its own opening (a prismatic finger from 0): no conversion needed. */
    public boolean isIdentity() {
        return closedPosition == 0 && openPosition == openWidth;
    }

    /** {@code g} as an opening in metres: same joint, limits [0, open width] (what the policy's gripper value is clamped to). */
    public Joint asOpening(Joint g) {
        return new Joint(g.name(), Joint.Type.PRISMATIC, g.parent(), g.child(), g.origin(), g.axis(), 0, openWidth, g.effort(), g.velocity(),
                g.damping(), g.friction(), null);
    }

    /** The joint position for an opening of {@code width} metres per finger. */
    public double toJoint(double width) {
        return closedPosition + (openPosition - closedPosition) * width / openWidth;
    }

    /** Each finger's opening in metres at joint position {@code q}. */
    public double toWidth(double q) {
        return (q - closedPosition) / (openPosition - closedPosition) * openWidth;
    }
}
