package org.teachlearn.nodes.teach;

import java.io.IOException;
import org.teachlearn.robot.teach.DragSettings;
import org.teachlearn.robot.teach.SettingsRamp;
import org.teachlearn.ros.dynreconf.ReconfigureServer;
import org.teachlearn.ros.dynreconf.ReconfigureSpec;
import org.teachlearn.ros.dynreconf.ReconfigureValues;
import org.teachlearn.ros.node.Node;
import org.teachlearn.ros.node.Parameters;

/**
 * drag_teach's tunables ({@link DragSettings#PARAMETERS}) as the node's private parameters and as
 * dynamic_reconfigure parameters: start values from {@code ~NAME} (and {@code ~selected_axes}),
 * changes through {@code ~set_parameters} ({@code rosrun dynamic_reconfigure dynparam set
 * /drag_teach damping_x 40}, rqt_reconfigure) handed to the {@link SettingsRamp}, which moves the
 * live values to them without a jump. The one place where the settings meet ROS.
 */
final class ParametersOfDrag {

    private ParametersOfDrag() {
    }

    /** The dynamic_reconfigure description of every tunable. */
    static ReconfigureSpec spec() {
        ReconfigureSpec spec = new ReconfigureSpec();
        for (DragSettings.Parameter p : DragSettings.PARAMETERS) {
            String text = p.description() + (p.unit().isEmpty() ? "" : ", " + p.unit());
            if (p.bool()) spec.addBool(p.name(), text, p.defaultValue() != 0);
            else spec.addDouble(p.name(), text, p.defaultValue(), p.min(), p.max());
        }
        return spec;
    }

    /**
     * The start settings: {@code ~selected_axes} (e.g. "x y z": orientation locked) written as the
     * {@code ~select_*} parameters, then every {@code ~NAME} that is set. A value outside its range is
     * a configuration error that names the range.
     */
    static DragSettings read(Parameters p, DragSettings defaults) {
        DragSettings s = defaults;
        if (p.has("~selected_axes")) {
            s = s.withSelectedAxes(p.getString("~selected_axes", ""));
            for (String axis : new String[] {"x", "y", "z", "rx", "ry", "rz"}) {
                if (!p.has("~select_" + axis)) p.set("~select_" + axis, s.get("select_" + axis) != 0);
            }
        }
        for (DragSettings.Parameter d : DragSettings.PARAMETERS) {
            String key = "~" + d.name();
            if (!p.has(key)) continue;
            double v = d.bool() ? (p.getBool(key, false) ? 1 : 0) : p.getDouble(key, d.defaultValue());
            s = s.with(d.name(), v);
        }
        return s;
    }

    /** Serves the tunables over dynamic_reconfigure; every change applied ramps in from the next tick. */
    static ReconfigureServer follow(Node node, SettingsRamp ramp) throws IOException {
        return ReconfigureServer.start(node, spec(), (requested, previous) -> {
            DragSettings next = settingsOf(requested);
            ramp.set(next);
            node.log().info("drag_teach: parameters changed (" + String.join(", ", requested.changedFrom(previous)) + "): ramping over "
                    + next.rampTime() + " s");
            return requested;
        });
    }

    static DragSettings settingsOf(ReconfigureValues v) {
        DragSettings s = DragSettings.DEFAULTS;
        for (DragSettings.Parameter d : DragSettings.PARAMETERS) {
            s = s.with(d.name(), d.bool() ? (v.getBool(d.name()) ? 1 : 0) : v.getDouble(d.name()));
        }
        return s;
    }
}
