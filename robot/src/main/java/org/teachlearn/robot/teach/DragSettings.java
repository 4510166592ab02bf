package org.teachlearn.robot.teach;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every run-time tunable of drag teaching, in one typed, immutable record of values: the names,
 * defaults, units and ranges that {@code ~parameters}, dynamic_reconfigure's descriptions and the
 * docs show come from {@link #PARAMETERS}. Values live in one flat array so that
 * {@link SettingsRamp} can move every one of them from an old setting to a new one without a
 * jump; the stages read them through the accessors below, which allocate nothing.
 *
 * <p>Per-axis values are indexed 0–5 for x, y, z, rx, ry, rz of the base frame at the tool centre point.
 */
public final class DragSettings {

    /** One tunable: its parameter name, default, range, unit and what it does. {@code bool} tunables are 0 or 1. */
    public record Parameter(String name, int index, double defaultValue, double min, double max, String unit, boolean bool,
            String description) { }

    private static final List<Parameter> LIST = new ArrayList<>();
    private static final Map<String, Parameter> BY_NAME = new LinkedHashMap<>();
    static final String[] AXES = {"x", "y", "z", "rx", "ry", "rz"};

    private static int add(String name, double def, double min, double max, String unit, String description) {
        return add(name, def, min, max, unit, false, description);
    }

    private static int add(String name, double def, double min, double max, String unit, boolean bool, String description) {
        Parameter p = new Parameter(name, LIST.size(), def, min, max, unit, bool, description);
        LIST.add(p);
        BY_NAME.put(name, p);
        return p.index();
    }

    /** Six consecutive tunables, one per axis; the first index. */
    private static int perAxis(String prefix, double linear, double angular, double max, String linearUnit, String angularUnit,
            boolean bool, String description) {
        int first = LIST.size();
        for (int a = 0; a < 6; a++) {
            add(prefix + AXES[a], a < 3 ? linear : angular, 0, bool ? 1 : max, a < 3 ? linearUnit : angularUnit, bool,
                    description + " (" + AXES[a] + ")");
        }
        return first;
    }

    // --- wrench conditioning (admittance) ---
    static final int TOOL_MASS = add("tool_mass", 0, 0, 50, "kg", "mass of the tool beyond the sensor, removed at every orientation");
    static final int TOOL_COM_X = add("tool_com_x", 0, -1, 1, "m", "the tool's centre of mass in the sensor frame (x)");
    static final int TOOL_COM_Y = add("tool_com_y", 0, -1, 1, "m", "the tool's centre of mass in the sensor frame (y)");
    static final int TOOL_COM_Z = add("tool_com_z", 0, -1, 1, "m", "the tool's centre of mass in the sensor frame (z)");
    static final int FILTER_CUTOFF = add("filter_cutoff", 20, 0.1, 1000, "Hz", "first-order low-pass cut-off of the wrench");
    static final int DEADBAND_FORCE = add("deadband_force", 1.0, 0, 50, "N", "forces below this move nothing (sensor noise, a hand resting)");
    static final int DEADBAND_TORQUE = add("deadband_torque", 0.1, 0, 5, "N m", "torques below this move nothing");
    static final int ONSET_FORCE = add("deadband_onset_force", 1.0, 0.01, 50, "N",
            "width over which the force past the deadband grows from 0 to full slope (a smooth onset, no step)");
    static final int ONSET_TORQUE = add("deadband_onset_torque", 0.1, 0.001, 5, "N m", "width of the torque's smooth onset");
    // --- admittance ---
    static final int MASS = perAxis("mass_", 1.5, 0.03, 1000, "kg", "kg m^2", false, "virtual mass");
    static final int DAMPING = perAxis("damping_", 25, 1.0, 10000, "N s/m", "N m s/rad", false, "virtual damping");
    static final int STIFFNESS = perAxis("stiffness_", 0, 0, 10000, "N/m", "N m/rad", false, "virtual spring to the rest pose (0: none)");
    static final int SELECT = perAxis("select_", 1, 1, 1, "", "", true, "the hand moves along this axis (0 locks it)");
    static final int MAX_LINEAR_SPEED = add("max_linear_speed", 0.5, 0.001, 5, "m/s", "the hand's speed limit");
    static final int MAX_ANGULAR_SPEED = add("max_angular_speed", 1.0, 0.001, 10, "rad/s", "the hand's turning-rate limit");
    // --- joints ---
    static final int VELOCITY_SCALE = add("joint_velocity_scale", 0.5, 0.01, 1, "", "fraction of the URDF velocity limits the joints may use");
    static final int JOINT_ACCELERATION = add("max_joint_acceleration", 10, 0.1, 1000, "rad/s^2", "the joints' acceleration limit");
    static final int JOINT_MARGIN = add("joint_limit_margin", 0.15, 0.01, 1, "rad",
            "joints slow down linearly over this distance before a position limit and stop at it");
    static final int LEASH = add("max_tracking_error", 0.02, 0.001, 1, "rad",
            "commanded positions stay within this (plus the lag of the current speed) of the measured ones: pushed against"
            + " something stiff, the command does not run ahead and store a spring's energy that would throw the hand back");
    static final int LEASH_TIME = add("tracking_lag", 0.05, 0, 1, "s", "the lag of the position controllers allowed for on top of max_tracking_error");
    static final int RESYNC = add("resync_error", 0.08, 0.01, 3, "rad",
            "the measured arm further than this (plus the lag of the current speed) from the last position command was moved by"
            + " something else (a simulator reset, another controller): the command starts again where the arm is, never pulls it back");
    static final int POSTURE_GAIN = add("posture_gain", 0.5, 0, 10, "1/s", "null-space pull toward the rest posture while the hand moves");
    static final int SINGULAR_VALUE = add("singularity_threshold", 0.06, 0.001, 1, "",
            "smallest singular value of the Jacobian below which damping and slow-down start");
    static final int DLS_DAMPING = add("dls_damping", 0.05, 0, 1, "", "largest damping of the Jacobian inverse, reached at a singularity");
    static final int SINGULAR_SPEED = add("singularity_speed_floor", 0.2, 0, 1, "", "speed factor left at a singularity (so the hand can leave it)");
    // --- workspace (base frame, tool centre point) ---
    static final int WORKSPACE_MIN_X = add("workspace_min_x", -2, -10, 10, "m", "workspace box, lower x");
    static final int WORKSPACE_MIN_Y = add("workspace_min_y", -2, -10, 10, "m", "workspace box, lower y");
    static final int WORKSPACE_MIN_Z = add("workspace_min_z", -0.5, -10, 10, "m", "workspace box, lower z");
    static final int WORKSPACE_MAX_X = add("workspace_max_x", 2, -10, 10, "m", "workspace box, upper x");
    static final int WORKSPACE_MAX_Y = add("workspace_max_y", 2, -10, 10, "m", "workspace box, upper y");
    static final int WORKSPACE_MAX_Z = add("workspace_max_z", 2.5, -10, 10, "m", "workspace box, upper z");
    static final int WORKSPACE_MARGIN = add("workspace_margin", 0.05, 0.001, 1, "m", "the hand slows down over this distance before a face of the box");
    // --- gravity mode ---
    static final int JOINT_DAMPING = add("joint_damping", 3.0, 0, 100, "N m s/rad", "viscous damping per joint (gravity mode)");
    static final int FRICTION = add("friction_compensation", 0, 0, 20, "N m", "Coulomb friction fed forward in the direction of motion (gravity mode)");
    static final int FRICTION_SPEED = add("friction_speed", 0.05, 0.001, 1, "rad/s", "speed at which the friction compensation reaches full size");
    static final int EFFORT_SCALE = add("effort_scale", 1.0, 0.01, 1, "", "fraction of the URDF effort limits the torques may use (gravity mode)");
    static final int TORQUE_RATE = add("max_torque_rate", 200, 1, 100000, "N m/s", "how fast a joint torque may change (gravity mode)");
    static final int LIMIT_STIFFNESS = add("limit_stiffness", 30, 0, 10000, "N m/rad",
            "gravity mode: a soft spring pushing back inside the joint limit margin");
    static final int LOCK_STIFFNESS_LINEAR = add("lock_stiffness_linear", 1000, 0, 2000, "N/m",
            "gravity mode: a spring holding a locked position axis (select_x/y/z 0) where the lock began (at most what keeps teach_arm"
            + " stable at 100 Hz; softer at slower ticks)");
    static final int LOCK_STIFFNESS_ANGULAR = add("lock_stiffness_angular", 20, 0, 40, "N m/rad",
            "gravity mode: a spring holding a locked turning axis (select_rx/ry/rz 0), e.g. the hand's orientation with ~selected_axes \"x y z\"");
    static final int RAMP_TIME = add("ramp_time", 0.5, 0, 10, "s", "a changed parameter moves from old to new value over this time");

    /** Every tunable, in index order. */
    public static final List<Parameter> PARAMETERS = Collections.unmodifiableList(LIST);
    public static final int COUNT = LIST.size();

    /** The defaults. */
    public static final DragSettings DEFAULTS = new DragSettings(defaults());

    final double[] v;

    private DragSettings(double[] values) {
        this.v = values;
    }

    private static double[] defaults() {
        double[] d = new double[LIST.size()];
        for (Parameter p : LIST) d[p.index()] = p.defaultValue();
        return d;
    }

    /** The tunable called {@code name}, or null. */
    public static Parameter parameter(String name) {
        return BY_NAME.get(name);
    }

    /** A copy with {@code name} set to {@code value}; an unknown name or a value outside its range is refused with the range. */
    public DragSettings with(String name, double value) {
        Parameter p = BY_NAME.get(name);
        if (p == null) throw new IllegalArgumentException("no drag_teach parameter '" + name + "' (they are: " + String.join(", ", BY_NAME.keySet()) + ")");
        if (!(value >= p.min() && value <= p.max())) {
            throw new IllegalArgumentException(name + " must lie in [" + p.min() + ", " + p.max() + "] " + p.unit() + ", got " + value);
        }
        if (p.bool() && value != 0 && value != 1) throw new IllegalArgumentException(name + " is true or false (1 or 0), got " + value);
        double[] c = v.clone();
        c[p.index()] = value;
        return new DragSettings(c);
    }

    /** The value of {@code name}. */
    public double get(String name) {
        Parameter p = BY_NAME.get(name);
        if (p == null) throw new IllegalArgumentException("no drag_teach parameter '" + name + "'");
        return v[p.index()];
    }

    /**
     * {@code ~selected_axes}, e.g. {@code "x y z"} to lock orientation: the listed axes move, the rest are locked;
     * {@code "all"} or {@code ""} selects all six.
     */
    public DragSettings withSelectedAxes(String axes) {
        String t = axes.trim();
        if (t.isEmpty() || t.equals("all")) t = String.join(" ", AXES);
        List<String> listed = Arrays.asList(t.split("[\\s,]+"));
        for (String a : listed) {
            if (!Arrays.asList(AXES).contains(a)) {
                throw new IllegalArgumentException("~selected_axes: '" + a + "' is not an axis (axes: x y z rx ry rz, e.g. \"x y z\" locks orientation)");
            }
        }
        DragSettings s = this;
        for (String a : AXES) s = s.with("select_" + a, listed.contains(a) ? 1 : 0);
        return s;
    }

    // --- typed reads (allocation-free) ---

    public double toolMass() { return v[TOOL_MASS]; }
    public double toolComX() { return v[TOOL_COM_X]; }
    public double toolComY() { return v[TOOL_COM_Y]; }
    public double toolComZ() { return v[TOOL_COM_Z]; }
    public double filterCutoff() { return v[FILTER_CUTOFF]; }
    public double deadbandForce() { return v[DEADBAND_FORCE]; }
    public double deadbandTorque() { return v[DEADBAND_TORQUE]; }
    public double onsetForce() { return v[ONSET_FORCE]; }
    public double onsetTorque() { return v[ONSET_TORQUE]; }
    public double mass(int axis) { return v[MASS + axis]; }
    public double damping(int axis) { return v[DAMPING + axis]; }
    public double stiffness(int axis) { return v[STIFFNESS + axis]; }
    /** 1 for a selected axis, 0 for a locked one, in between while a change ramps. */
    public double selected(int axis) { return v[SELECT + axis]; }
    public double maxLinearSpeed() { return v[MAX_LINEAR_SPEED]; }
    public double maxAngularSpeed() { return v[MAX_ANGULAR_SPEED]; }
    public double jointVelocityScale() { return v[VELOCITY_SCALE]; }
    public double maxJointAcceleration() { return v[JOINT_ACCELERATION]; }
    public double jointLimitMargin() { return v[JOINT_MARGIN]; }
    public double postureGain() { return v[POSTURE_GAIN]; }
    public double maxTrackingError() { return v[LEASH]; }
    public double trackingLag() { return v[LEASH_TIME]; }
    public double resyncError() { return v[RESYNC]; }
    public double singularityThreshold() { return v[SINGULAR_VALUE]; }
    public double dlsDamping() { return v[DLS_DAMPING]; }
    public double singularitySpeedFloor() { return v[SINGULAR_SPEED]; }
    public double workspaceMin(int axis) { return v[WORKSPACE_MIN_X + axis]; }
    public double workspaceMax(int axis) { return v[WORKSPACE_MAX_X + axis]; }
    public double workspaceMargin() { return v[WORKSPACE_MARGIN]; }
    public double jointDamping() { return v[JOINT_DAMPING]; }
    public double friction() { return v[FRICTION]; }
    public double frictionSpeed() { return v[FRICTION_SPEED]; }
    public double effortScale() { return v[EFFORT_SCALE]; }
    public double maxTorqueRate() { return v[TORQUE_RATE]; }
    public double limitStiffness() { return v[LIMIT_STIFFNESS]; }
    /** Gravity mode's spring holding a locked axis (N/m for x y z, N m/rad for rx ry rz). */
    public double lockStiffness(int axis) { return v[axis < 3 ? LOCK_STIFFNESS_LINEAR : LOCK_STIFFNESS_ANGULAR]; }
    public double rampTime() { return v[RAMP_TIME]; }

    /** A mutable copy for {@link SettingsRamp}'s live values. */
    DragSettings live() {
        return new DragSettings(v.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DragSettings s && Arrays.equals(v, s.v);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(v);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("DragSettings{");
        for (Parameter p : LIST) if (v[p.index()] != p.defaultValue()) b.append(p.name()).append('=').append(v[p.index()]).append(' ');
        return b.append('}').toString();
    }
}
