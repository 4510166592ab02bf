package org.teachlearn.nodes.sim;

import java.util.Arrays;
import org.teachlearn.robot.sim.ArmWorld;
import org.teachlearn.robot.sim.WristSensorModel;
import org.teachlearn.ros.node.Parameters;

/**
 * sim_arm's wrist sensor and tool from its parameters: {@code ~tool_mass} (kg) and {@code ~tool_com}
 * ([x, y, z] m in the sensor frame), a tool the simulated arm carries; {@code ~ft_sensor_raw} (false:
 * the ideal, compensated reading), and for a raw sensor {@code ~ft_sensor_bias} ([fx, fy, fz, tx, ty, tz]
 * N, N m) and {@code ~ft_sensor_noise} ([force N, torque N m], standard deviations).
 */
record WristSensorParams(double toolMass, double[] toolCom, WristSensorModel model) {

    static WristSensorParams read(Parameters p, boolean hasSensor) {
        double toolMass = p.getDouble("~tool_mass", 0.0);
        double[] toolCom = p.getDoubles("~tool_com", new double[3]);
        if (toolCom.length != 3) throw new IllegalArgumentException("~tool_com is " + Arrays.toString(toolCom) + ": give [x, y, z] in m, in the sensor frame");
        boolean raw = p.getBool("~ft_sensor_raw", false);
        double[] bias = p.getDoubles("~ft_sensor_bias", new double[6]);
        if (bias.length != 6) throw new IllegalArgumentException("~ft_sensor_bias is " + Arrays.toString(bias) + ": give [fx, fy, fz, tx, ty, tz] in N and N m");
        double[] noise = p.getDoubles("~ft_sensor_noise", new double[2]);
        if (noise.length != 2) throw new IllegalArgumentException("~ft_sensor_noise is " + Arrays.toString(noise) + ": give [force, torque] standard deviations in N and N m");
        if ((raw || toolMass > 0) && !hasSensor) {
            throw new IllegalArgumentException((raw ? "~ft_sensor_raw" : "~tool_mass") + " needs a wrist sensor: set ~ft_sensor_link to the link after it");
        }
        WristSensorModel model = raw ? WristSensorModel.raw(bias, noise[0], noise[1]) : WristSensorModel.IDEAL;
        ArmWorld.Settings.ARM_ONLY.withTool(toolMass, toolCom);   // the same checks the simulation makes, before anything starts
        return new WristSensorParams(toolMass, toolCom, model);
    }

    /** Bias or noise set for an ideal sensor do nothing: worth a warning. */
    boolean ignoresRawSettings(Parameters p) {
        return !model.raw() && (p.has("~ft_sensor_bias") || p.has("~ft_sensor_noise"));
    }
}
