package org.teachlearn.robot.teach;

import org.teachlearn.robot.dynamics.MassProperties;
import org.teachlearn.robot.kinematics.Transforms;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * What hangs beyond a wrist sensor according to the URDF: the sensor link and every link below it
 * (the gripper, its fingers at their zero position), as one mass and centre of mass in the sensor
 * link's frame. A real sensor feels that weight, turning with the wrist, on top of any tool
 * ({@code tool_mass}); a tare only removes it at the orientation of the tare.
 *
 * @param com x y z in the sensor link's frame (m)
 */
public record SensorLoad(double mass, double[] com) {

    public static final SensorLoad NONE = new SensorLoad(0, new double[3]);

    public static SensorLoad of(RobotModel model, String sensorLink) {
        MassProperties m = new MassProperties();
        add(model, sensorLink, Transforms.identity(new double[16]), m);
        double[] c = new double[3];
        m.centreOfMass(c);
        return new SensorLoad(m.mass(), c);
    }

    private static void add(RobotModel model, String link, double[] frame, MassProperties m) {
        m.add(model.link(link).inertial(), frame);
        for (Joint j : model.joints().values()) {
            if (!j.parent().equals(link)) continue;
            double[] o = new double[16], child = new double[16];
            j.origin().toMatrix(o);
            Transforms.multiply(frame, o, child);
            add(model, j.child(), child, m);
        }
    }

    /** This load with a tool of {@code toolMass} kg at {@code toolCom} (sensor frame) added: {mass, com x, y, z}. */
    public void plus(double toolMass, double cx, double cy, double cz, double[] out) {
        double total = mass + toolMass;
        out[0] = total;
        if (total == 0) {
            out[1] = out[2] = out[3] = 0;
            return;
        }
        out[1] = (mass * com[0] + toolMass * cx) / total;
        out[2] = (mass * com[1] + toolMass * cy) / total;
        out[3] = (mass * com[2] + toolMass * cz) / total;
    }
}
