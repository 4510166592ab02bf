package org.teachlearn.learn.train;

import java.io.PrintStream;
import org.teachlearn.learn.data.Dataset;
import org.teachlearn.learn.policy.ActionMap;
import org.teachlearn.learn.policy.GripperCommand;
import org.teachlearn.learn.policy.PolicyLayout;

/**
 * {@code --gripper-command auto|binary|continuous} for behaviour cloning: auto is binary when the
 * demonstrated gripper commands are the gripper fully open and fully closed and nothing between (a
 * button's two commands: drag_teach's, the scripted expert's; vr_teleop's analog trigger only when
 * squeezed fully or not at all), else continuous. The answer is written back into the options, so
 * the checkpoint, {@code eval} and the ONNX model's {@code gripper_command} agree.
 */
final class GripperChoice {

    // Within 1 % of the range counts as that end: before the first press a recording has no gripper
    // command, and its samples take the measured opening (0.039998 m for an open teach_arm gripper).
    private static final double AT_END = 0.01;

    private GripperChoice() {
    }

    /** The run's choice from its (possibly resolved) options: what {@code eval} and every controller use. */
    static GripperCommand of(Options o) {
        String v = o.has("gripper-command") ? o.get("gripper-command") : "continuous";
        return v.equals("auto") ? GripperCommand.CONTINUOUS : GripperCommand.ofMetadata(v);
    }

    /** Resolves {@code auto} from the labels in {@code data} (K per state for chunks), says what it chose, and keeps it in the options. */
    static GripperCommand resolve(Options o, PolicyLayout layout, Dataset data, PrintStream log) {
        String asked = o.get("gripper-command");
        if (!asked.equals("auto") && !asked.equals("binary") && !asked.equals("continuous")) {
            throw new IllegalArgumentException("--gripper-command must be auto, binary or continuous, got '" + asked + "'");
        }
        if (layout.gripperJoint() == null) {
            o.set("gripper-command", "continuous");
            return GripperCommand.CONTINUOUS;
        }
        GripperCommand chosen = asked.equals("auto") ? (twoValued(layout.actions(), data) ? GripperCommand.BINARY : GripperCommand.CONTINUOUS)
                : GripperCommand.ofMetadata(asked);
        o.set("gripper-command", chosen.toString());
        if (asked.equals("auto") && chosen == GripperCommand.BINARY) {
            log.println("gripper: binary (the demonstrations command it fully open or fully closed, nothing between; the policy sends "
                    + "the nearer of the two, --gripper-command continuous sends its output as it is)");
        }
        return chosen;
    }

    /**
     * Whether the gripper labels in {@code data} are its lowest and its highest command (within 1 %
     * of its range), both, and nothing between (a gripper held open throughout, as in reach, has no
     * decision to make).
     */
    static boolean twoValued(ActionMap map, Dataset data) {
        int g = map.size() - 1, width = data.actDim(), n = map.size();
        double closed = (map.low()[g] - map.offset()[g]) / map.scale()[g], open = (map.high()[g] - map.offset()[g]) / map.scale()[g];
        double near = AT_END * (open - closed);
        double[] t = data.targets();
        boolean sawClosed = false, sawOpen = false;
        for (int i = 0; i < data.size(); i++) {
            for (int k = g; k < width; k += n) {
                double u = t[i * width + k];
                boolean isClosed = Math.abs(u - closed) <= near, isOpen = Math.abs(u - open) <= near;
                if (!isClosed && !isOpen) return false;
                sawClosed |= isClosed;
                sawOpen |= isOpen;
            }
        }
        return sawClosed && sawOpen;
    }
}
