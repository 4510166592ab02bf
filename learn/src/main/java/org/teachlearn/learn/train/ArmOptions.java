package org.teachlearn.learn.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.teachlearn.robot.arm.ArmLayout;
import org.teachlearn.robot.arm.ArmSpec;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * The arm options of {@code train}: the same keys as the nodes' parameters (docs/nodes.md §1),
 * spelt as options: {@code --arm-joints a,b,c} ({@code arm_controller/joints}), {@code
 * --gripper-joints} ("none" for no gripper), {@code --base-link}, {@code --tip-link}, {@code
 * --ft-sensor-link} ("none"), {@code --rest-positions 0,-0.8,…}, {@code --srdf FILE}, {@code
 * --group-state}, {@code --gripper-closed-position}, {@code --gripper-open-position}, {@code
 * --gripper-open-width}. Empty: found from the URDF and the SRDF next to it.
 */
final class ArmOptions {

    static final List<String> KEYS = List.of("urdf", "arm-joints", "gripper-joints", "base-link", "tip-link", "ft-sensor-link",
            "rest-positions", "srdf", "group-state", "gripper-closed-position", "gripper-open-position", "gripper-open-width");

    private ArmOptions() {
    }

    /** Every arm option, empty (a checkpoint written before they existed reads them as empty too). */
    static void addDefaults(Map<String, String> defaults) {
        for (String k : KEYS) defaults.put(k, "");
    }

    static ArmLayout layout(Options o, RobotModel model, Path urdf) throws IOException {
        ArmSpec spec = ArmSpec.NONE.withKeys(k -> "--" + k.replace('_', '-'));
        if (o.has("arm-joints")) spec = spec.withArmJoints(names(o.get("arm-joints")));
        if (o.has("gripper-joints")) spec = spec.withGripperJoints(o.get("gripper-joints").equals("none") ? List.of() : names(o.get("gripper-joints")));
        spec = spec.withLinks(o.has("base-link") ? o.get("base-link") : null, o.has("tip-link") ? o.get("tip-link") : null);
        if (o.has("ft-sensor-link")) spec = spec.withSensorLink(o.get("ft-sensor-link").equals("none") ? "" : o.get("ft-sensor-link"));
        if (o.has("rest-positions")) spec = spec.withRestPositions(numbers(o, "rest-positions"));
        String state = o.has("group-state") ? o.get("group-state") : null;
        Path srdf = o.has("srdf") ? Path.of(o.get("srdf")) : ArmSpec.srdfNextTo(urdf);
        if (o.has("srdf") && !Files.exists(srdf)) throw new IllegalArgumentException("--srdf: no file " + srdf.toAbsolutePath());
        if (Files.exists(srdf)) spec = spec.withSrdf(Files.readString(srdf), srdf.toString(), state);
        if (o.has("gripper-closed-position") || o.has("gripper-open-position")) {
            spec = spec.withGripperCalibration(number(o, "gripper-closed-position"), number(o, "gripper-open-position"),
                    number(o, "gripper-open-width"));
        }
        return ArmLayout.resolve(model, spec, urdf.toString());
    }

    private static List<String> names(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static double[] numbers(Options o, String key) {
        try {
            return Arrays.stream(o.get(key).split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " takes numbers separated by commas, got '" + o.get(key) + "'");
        }
    }

    private static double number(Options o, String key) {
        return o.has(key) ? o.number(key) : Double.NaN;
    }
}
