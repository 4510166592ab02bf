package org.teachlearn.robot.teleop;

/**
 * vr_teleop's own settings (the limits it shares with drag teaching come from
 * {@link org.teachlearn.robot.teach.DragSettings}: speeds, joint velocity scale, singularity
 * damping and slow-down, joint limit margin, workspace box, posture gain).
 *
 * @param scale          tool motion per metre of controller motion ({@code ~scale})
 * @param rotation       whether the tool's orientation follows the controller's ({@code ~rotation})
 * @param gain           1/s: how fast the commanded tool closes on the controller's target (the servo's
 *                       proportional gain; the lag is about 1/gain)
 * @param poseTimeout    s: a pose older than this, by arrival, is tracking lost ({@code ~pose_timeout})
 * @param maxPoseJump    m between two consecutive poses ({@code ~max_pose_jump})
 * @param maxDistance    m from the tracking origin ({@code ~max_tracking_distance})
 */
public record TeleopSettings(double scale, boolean rotation, double gain, double poseTimeout, double maxPoseJump, double maxDistance) {

    public static final TeleopSettings DEFAULTS = new TeleopSettings(1.0, true, 20.0, 0.1, 0.1, 5.0);

    public TeleopSettings {
        if (!(scale > 0 && scale <= 10)) throw new IllegalArgumentException("~scale must lie in (0, 10], got " + scale);
        if (!(gain > 0 && gain <= 1000)) throw new IllegalArgumentException("~gain must lie in (0, 1000] 1/s, got " + gain);
        if (!(poseTimeout > 0)) throw new IllegalArgumentException("~pose_timeout must be > 0 s, got " + poseTimeout);
        if (!(maxPoseJump > 0)) throw new IllegalArgumentException("~max_pose_jump must be > 0 m, got " + maxPoseJump);
        if (!(maxDistance > 0)) throw new IllegalArgumentException("~max_tracking_distance must be > 0 m, got " + maxDistance);
    }
}
