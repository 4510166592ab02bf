package org.teachlearn.nodes.teleop;

import java.util.List;
import org.teachlearn.robot.teach.DragSettings;
import org.teachlearn.robot.teleop.TeleopSettings;
import org.teachlearn.robot.teleop.TrackingToBase;
import org.teachlearn.ros.node.Parameters;

/**
 * vr_teleop's parameters: its own ({@link TeleopSettings}, {@code ~tracking_to_base}, the Joy
 * layout) and the limits it shares with drag_teach, under the same names and with the same ranges
 * ({@link #SHARED}: {@code ~max_linear_speed}, {@code ~joint_velocity_scale}, {@code ~workspace_min_x} …).
 * The one place where vr_teleop's settings meet ROS.
 */
final class ParametersOfTeleop {

    /** drag_teach's tunables that mean the same in teleoperation (docs/nodes.md §11 lists their ranges). */
    static final List<String> SHARED = List.of("max_linear_speed", "max_angular_speed", "joint_velocity_scale", "max_joint_acceleration",
            "joint_limit_margin", "max_tracking_error", "tracking_lag", "posture_gain", "singularity_threshold", "dls_damping",
            "singularity_speed_floor", "workspace_min_x", "workspace_min_y", "workspace_min_z", "workspace_max_x", "workspace_max_y",
            "workspace_max_z", "workspace_margin");

    /** The Joy layout (indices into vr/joy's buttons and axes; −1: none). */
    record JoyLayout(int clutch, int trigger, int success, int failure) {
        JoyLayout {
            if (clutch < 0) throw new IllegalArgumentException("~clutch_button must be a button index >= 0, got " + clutch);
        }
    }

    private ParametersOfTeleop() {
    }

    /** Teleoperation moves faster than a hand-guided arm and keeps a tighter leash by default. */
    static final DragSettings TELEOP_DEFAULTS = DragSettings.DEFAULTS.with("max_linear_speed", 0.6).with("max_angular_speed", 1.5)
            .with("max_joint_acceleration", 20).with("posture_gain", 0.3);

    static DragSettings limits(Parameters p) {
        DragSettings s = TELEOP_DEFAULTS;
        for (String name : SHARED) {
            if (p.has("~" + name)) s = s.with(name, p.getDouble("~" + name, s.get(name)));
        }
        return s;
    }

    static TeleopSettings settings(Parameters p) {
        TeleopSettings d = TeleopSettings.DEFAULTS;
        return new TeleopSettings(p.getDouble("~scale", d.scale()), p.getBool("~rotation", d.rotation()), p.getDouble("~gain", d.gain()),
                p.getDouble("~pose_timeout", d.poseTimeout()), p.getDouble("~max_pose_jump", d.maxPoseJump()),
                p.getDouble("~max_tracking_distance", d.maxDistance()));
    }

    static TrackingToBase trackingToBase(Parameters p) {
        return TrackingToBase.of(p.getDoubles("~tracking_to_base", TrackingToBase.webxrYUp()));
    }

    /** WebXR's xr-standard gamepad as vr_web publishes it: squeeze (grip) = button 1, A = 4, B = 5; the trigger's value = axis 4. */
    static JoyLayout joy(Parameters p) {
        return new JoyLayout(p.getInt("~clutch_button", 0), p.getInt("~trigger_axis", 0), p.getInt("~success_button", 1),
                p.getInt("~failure_button", 2));   // vr_web's layout (docs/nodes.md §17)
    }
}
