package org.teachlearn.robot.sim;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ode4j.math.DVector3C;
import org.ode4j.ode.DJoint;

/**
 * The wrist force/torque sensor: adds up what acts on the links beyond it (contact forces from
 * ODE's feedback, external wrenches), so it costs the solver nothing. Ideal ({@link WristSensorModel#IDEAL}),
 * it reports what a bias- and gravity-compensated sensor does: anything but gravity and the tool's
 * own inertia. Raw, it reports the wrench the hand exerts on the sensor as a real sensor does: the
 * same plus the weight of the links beyond it and the tool, a bias and seeded noise. Preallocated;
 * nothing allocated per step or reading.
 */
final class WristSensor {

    private final LinkTree tree;
    private final ToolContacts contacts;
    private final double[] contactWrench = new double[6];
    private final double[] sensorPose = new double[16], linkPose = new double[16];
    private final double toolMass;
    private final double[] toolCom;          // in the sensor link's frame
    private final double[] weight = new double[6];
    private WristSensorModel model = WristSensorModel.IDEAL;
    private final double[] bias = new double[6];     // the model's, copied: the record hands out copies only
    private SplittableRandom noise = new SplittableRandom(0);

    /** Gravity (m/s², along −z of the world), as {@link ArmWorld} sets it. */
    static final double GRAVITY = 9.81;

    WristSensor(LinkTree tree, int contactCapacity, double toolMass, double[] toolCom) {
        this.tree = tree;
        contacts = new ToolContacts(contactCapacity);
        this.toolMass = toolMass;
        this.toolCom = toolCom == null ? new double[3] : toolCom.clone();
    }

    /** Between steps, on the stepping thread. */
    void setModel(WristSensorModel m) {
        if (m.raw() && !present()) throw new IllegalArgumentException("a raw wrist sensor needs a sensor link (~ft_sensor_link)");
        System.arraycopy(m.bias(), 0, bias, 0, 6);
        model = m;
    }

    WristSensorModel model() {
        return model;
    }

    /** Noise from its own stream: drawing it changes none of the episode's other random draws. */
    void seedNoise(long seed) {
        noise = new SplittableRandom(seed ^ NOISE_STREAM);
    }

    private static final long NOISE_STREAM = 0x6e6f697365L;   // "noise"

    boolean present() {
        return tree.sensorLink >= 0;
    }

    /** Forgets the last step's contacts, before collision detection. */
    void beginStep() {
        contacts.beginStep();
    }

    /** A contact joint between the tool (body {@code toolSide} of the joint) and something else, at {@code at}. */
    void touch(DJoint contact, int toolSide, DVector3C at) {
        contacts.record(contact, toolSide, at);
    }

    /** Whether the tool touched anything in this step. */
    boolean touching() {
        return contacts.any();
    }

    /** Adds this step's contact forces, after the solve. */
    void endStep(ArmBodies bodies, boolean quickStep) {
        if (!present()) return;
        bodies.linkPose(tree.sensorLink, sensorPose);
        contacts.accumulate(quickStep, sensorPose[3], sensorPose[7], sensorPose[11]);
    }

    /** Starts a new averaging window for the contact part of the reading (once per control period). */
    void restart() {
        contacts.restart();
    }

    /**
     * Force then torque, in the sensor link's frame, about its origin, into {@code out[6]};
     * contacts averaged since {@link #restart}. Zeros when there is no sensor.
     */
    void read(ArmBodies bodies, ExternalWrenches external, double[] out) {
        Arrays.fill(out, 0, 6, 0);
        if (!present()) return;
        double[] t = sensorPose, l = linkPose;
        bodies.linkPose(tree.sensorLink, t);
        double px = t[3], py = t[7], pz = t[11];
        contacts.mean(contactWrench);
        double fx = contactWrench[0], fy = contactWrench[1], fz = contactWrench[2];
        double tx = contactWrench[3], ty = contactWrench[4], tz = contactWrench[5];
        double[] ef = external.force, et = external.torque;
        for (int li = 0; li < external.held.length; li++) {
            if (!external.held[li] || !tree.onTool[li]) continue;
            bodies.linkPose(li, l);
            double ex = ef[3 * li], ey = ef[3 * li + 1], ez = ef[3 * li + 2];
            double wx = l[0] * ex + l[1] * ey + l[2] * ez, wy = l[4] * ex + l[5] * ey + l[6] * ez,
                    wz = l[8] * ex + l[9] * ey + l[10] * ez;
            double mx = et[3 * li], my = et[3 * li + 1], mz = et[3 * li + 2];
            double rx = l[3] - px, ry = l[7] - py, rz = l[11] - pz;
            fx += wx; fy += wy; fz += wz;
            tx += l[0] * mx + l[1] * my + l[2] * mz + ry * wz - rz * wy;
            ty += l[4] * mx + l[5] * my + l[6] * mz + rz * wx - rx * wz;
            tz += l[8] * mx + l[9] * my + l[10] * mz + rx * wy - ry * wx;
        }
        WristSensorModel m = model;
        if (m.raw()) {
            weight(bodies, weight);
            fx += weight[0]; fy += weight[1]; fz += weight[2];
            tx += weight[3]; ty += weight[4]; tz += weight[5];
        }
        out[0] = t[0] * fx + t[4] * fy + t[8] * fz;
        out[1] = t[1] * fx + t[5] * fy + t[9] * fz;
        out[2] = t[2] * fx + t[6] * fy + t[10] * fz;
        out[3] = t[0] * tx + t[4] * ty + t[8] * tz;
        out[4] = t[1] * tx + t[5] * ty + t[9] * tz;
        out[5] = t[2] * tx + t[6] * ty + t[10] * tz;
        if (m.raw()) {
            for (int i = 0; i < 6; i++) {
                double sd = i < 3 ? m.forceNoise() : m.torqueNoise();
                out[i] += bias[i] + (sd > 0 ? sd * noise.nextGaussian() : 0);
            }
        }
    }

    /**
     * The weight of everything beyond the sensor, in world axes, torque about the sensor's origin,
     * into {@code w[6]}: each link's mass at its centre of mass, and the tool's. Reads the sensor
     * pose from {@link #sensorPose}, which the caller filled.
     */
    private void weight(ArmBodies bodies, double[] w) {
        Arrays.fill(w, 0);
        double[] t = sensorPose, l = linkPose;
        double px = t[3], py = t[7], pz = t[11];
        for (int li = 0; li < tree.onTool.length; li++) {
            if (!tree.onTool[li] || tree.linkMass[li] <= 0) continue;
            bodies.linkPose(li, l);
            addWeight(w, tree.linkMass[li], l, tree.linkCom[3 * li], tree.linkCom[3 * li + 1], tree.linkCom[3 * li + 2], px, py, pz);
        }
        if (toolMass > 0) addWeight(w, toolMass, t, toolCom[0], toolCom[1], toolCom[2], px, py, pz);
    }

    /** Adds the weight of {@code mass} at (cx, cy, cz) in frame {@code f}: force along −z, torque about p. */
    private static void addWeight(double[] w, double mass, double[] f, double cx, double cy, double cz, double px, double py, double pz) {
        double rx = f[0] * cx + f[1] * cy + f[2] * cz + f[3] - px;
        double ry = f[4] * cx + f[5] * cy + f[6] * cz + f[7] - py;
        double fz = -mass * GRAVITY;
        w[2] += fz;
        w[3] += ry * fz;       // r × (0, 0, fz)
        w[4] += -rx * fz;
    }

    /** Mass beyond the sensor and its centre of mass in the sensor frame, into {@code out[4]}. */
    void load(ArmBodies bodies, double[] out) {
        Arrays.fill(out, 0, 4, 0);
        if (!present()) return;
        double[] t = sensorPose, l = linkPose;
        bodies.linkPose(tree.sensorLink, t);
        double m = 0, sx = 0, sy = 0, sz = 0;   // first moment, world axes, relative to the sensor origin
        for (int li = 0; li <= tree.onTool.length; li++) {
            double mi;
            double[] f;
            double cx, cy, cz;
            if (li == tree.onTool.length) {
                mi = toolMass; f = t; cx = toolCom[0]; cy = toolCom[1]; cz = toolCom[2];
            } else {
                if (!tree.onTool[li]) continue;
                mi = tree.linkMass[li];
                bodies.linkPose(li, l);
                f = l; cx = tree.linkCom[3 * li]; cy = tree.linkCom[3 * li + 1]; cz = tree.linkCom[3 * li + 2];
            }
            if (mi <= 0) continue;
            m += mi;
            sx += mi * (f[0] * cx + f[1] * cy + f[2] * cz + f[3] - t[3]);
            sy += mi * (f[4] * cx + f[5] * cy + f[6] * cz + f[7] - t[7]);
            sz += mi * (f[8] * cx + f[9] * cy + f[10] * cz + f[11] - t[11]);
        }
        out[0] = m;
        if (m <= 0) return;
        double wx = sx / m, wy = sy / m, wz = sz / m;
        out[1] = t[0] * wx + t[4] * wy + t[8] * wz;
        out[2] = t[1] * wx + t[5] * wy + t[9] * wz;
        out[3] = t[2] * wx + t[6] * wy + t[10] * wz;
    }
}
