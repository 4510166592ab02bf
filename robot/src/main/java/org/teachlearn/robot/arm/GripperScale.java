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

    /** The joint position for an opening of {@code width} metres per finger. */
    public double toJoint(double width) {
        return closedPosition + (openPosition - closedPosition) * width / openWidth;
    }

    /** Each finger's opening in metres at joint position {@code q}. */
    public double toWidth(double q) {
        return (q - closedPosition) / (openPosition - closedPosition) * openWidth;
    }
}
