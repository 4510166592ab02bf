package org.teachlearn.robot.sim;

import static org.teachlearn.robot.kinematics.Transforms.identity;
import static org.teachlearn.robot.kinematics.Transforms.multiply;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.teachlearn.robot.dynamics.MassProperties;
import org.teachlearn.robot.kinematics.Transforms;
import org.teachlearn.robot.urdf.Inertial;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.Pose;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * How a URDF becomes rigid bodies, before any physics: its links in an order where every parent
 * comes before its children, its movable joints, and which links are lumped into which body
 * (links fixed to a moving link ride on it; links fixed to the root are static). Each body's mass,
 * inertia and centre of mass come from its links at the build pose, the middle of every joint's
 * range (ODE reads joint angles from the pose it was built in). Pure code: no ODE.
 */
final class LinkTree {

    final String[] linkNames;
    final Map<String, Integer> linkIndex = new HashMap<>();
    final int[] linkParent;           // index into links, -1 for the root
    final int[] linkParentJoint;      // index into joints, -1 for the root and fixed joints
    final double[][] linkOrigin;      // the URDF origin of the joint above each link
    final int[] linkBody;             // index into bodies, -1 for static links
    final double[][] linkInBody;      // pose of the link frame in its body's frame (COM frame)

    final Joint[] joints;             // movable joints, in link order
    final String[] jointNames;
    final double[] buildPosition;     // joint positions the bodies are built at

    // Tool joints (the gripper's) in a world without objects have nothing to touch: they move
    // kinematically, at most at their URDF speed, with their links lumped into the hand, which
    // keeps two bodies and ten rows out of the solver (22–33 k to about 50 k steps/s measured).
    final boolean[] kinematic;

    final int sensorLink;             // the link right after the wrist sensor, -1 for none
    final boolean[] onTool;           // per link: at or beyond the sensor

    final double[] linkMass;          // per link: kg, from the URDF
    final double[] linkCom;           // per link: 3, centre of mass in the link's frame

    final int bodyCount;
    final double[] bodyMass;
    final double[] bodyInertia;       // per body: 9, row-major, about its centre of mass
    final double[] bodyCom;           // per body: 3, COM in the owning link's frame
    final double[][] buildFrames;     // world pose of every link at the build pose

    // scratch of framesAt
    private final double[] parentJointFrame = new double[16], motion = new double[16];

    /**
     * @param sensorLinkName the link right after the wrist force/torque sensor (its parent joint
     *        must be fixed), or null for none
     * @param objects whether the world has objects for the tool to touch (else tool joints are kinematic)
     */
    LinkTree(RobotModel model, String sensorLinkName, boolean objects) {
        this(model, sensorLinkName, objects, 0, null);
    }

    /**
     * As above, with a tool of {@code toolMass} kg at {@code toolCom} (in the sensor link's frame)
     * added to the body the sensor link rides on.
     */
    LinkTree(RobotModel model, String sensorLinkName, boolean objects, double toolMass, double[] toolCom) {
        List<String> order = new ArrayList<>();
        order.add(model.rootLink());
        for (int i = 0; i < order.size(); i++) {
            for (Joint j : model.joints().values()) if (j.parent().equals(order.get(i))) order.add(j.child());
        }
        int nl = order.size();
        linkNames = order.toArray(new String[0]);
        for (int i = 0; i < nl; i++) linkIndex.put(linkNames[i], i);
        List<Joint> movable = new ArrayList<>();
        Map<String, Integer> jointIndex = new HashMap<>();
        for (String l : order) {
            Joint pj = model.parentJoint(l);
            if (pj != null && (pj.type() == Joint.Type.FLOATING || pj.type() == Joint.Type.PLANAR)) {
                throw new IllegalArgumentException("joint '" + pj.name() + "' is " + pj.type().name().toLowerCase() + ": the simulator builds "
                        + "revolute, continuous, prismatic, fixed and mimic joints (make it fixed to simulate the rest)");
            }
            if (pj != null && pj.isMovable()) {
                jointIndex.put(pj.name(), movable.size());
                movable.add(pj);
            }
        }
        joints = movable.toArray(new Joint[0]);
        int nj = joints.length;
        jointNames = new String[nj];
        buildPosition = new double[nj];
        for (int i = 0; i < nj; i++) {
            jointNames[i] = joints[i].name();
            boolean bounded = Double.isFinite(joints[i].lower()) && Double.isFinite(joints[i].upper());
            buildPosition[i] = bounded ? 0.5 * (joints[i].lower() + joints[i].upper()) : 0;
            if (bounded && joints[i].type() != Joint.Type.PRISMATIC && joints[i].upper() - joints[i].lower() >= 2 * Math.PI) {
                throw new IllegalArgumentException("joint '" + joints[i].name() + "' spans " + (joints[i].upper() - joints[i].lower())
                        + " rad; the simulator reads hinges within ±π of the middle of their range (make it continuous)");
            }
        }

        linkParentJoint = new int[nl];
        linkParent = new int[nl];
        linkBody = new int[nl];
        linkInBody = new double[nl][16];
        linkOrigin = new double[nl][16];
        buildFrames = new double[nl][16];
        sensorLink = sensorLinkName == null ? -1 : linkIndex.getOrDefault(sensorLinkName, -2);
        if (sensorLink == -2) throw new IllegalArgumentException("sensor link '" + sensorLinkName + "' is not in the URDF");
        if (sensorLink >= 0 && model.parentJoint(sensorLinkName).isMovable()) {
            throw new IllegalArgumentException("sensor link '" + sensorLinkName + "' must hang from a fixed joint");
        }
        if (toolMass > 0 && sensorLink < 0) {
            throw new IllegalArgumentException("a tool of " + toolMass + " kg needs a wrist sensor link to hang from (~ft_sensor_link)");
        }
        int bodies = 0;
        kinematic = new boolean[nj];
        for (int i = 0; i < nl; i++) {
            Joint pj = model.parentJoint(linkNames[i]);
            if (pj != null) pj.origin().toMatrix(linkOrigin[i]);
            linkParent[i] = pj == null ? -1 : linkIndex.get(pj.parent());
            linkParentJoint[i] = pj != null && pj.isMovable() ? jointIndex.get(pj.name()) : -1;
            if (linkParentJoint[i] >= 0 && !objects && sensorLink >= 0 && descends(i, sensorLink)) {
                kinematic[linkParentJoint[i]] = true;
            }
            if (linkParentJoint[i] >= 0 && !kinematic[linkParentJoint[i]]) linkBody[i] = bodies++;
            else linkBody[i] = pj == null ? -1 : linkBody[linkParent[i]];
        }
        bodyCount = bodies;
        onTool = new boolean[nl];
        for (int i = 0; i < nl; i++) onTool[i] = sensorLink >= 0 && descends(i, sensorLink);
        framesAt(buildPosition, buildFrames);
        linkMass = new double[nl];
        linkCom = new double[3 * nl];
        for (int i = 0; i < nl; i++) {
            Inertial in = model.link(linkNames[i]).inertial();
            linkMass[i] = Math.max(0, in.mass());
            linkCom[3 * i] = in.origin().x();
            linkCom[3 * i + 1] = in.origin().y();
            linkCom[3 * i + 2] = in.origin().z();
        }

        // each body's frame sits at its links' joint centre of mass, axes as its owning link's
        bodyMass = new double[bodyCount];
        bodyInertia = new double[9 * bodyCount];
        bodyCom = new double[3 * bodyCount];
        int[] ownerLink = new int[bodyCount];
        for (int i = 0; i < nl; i++) {
            if (linkParentJoint[i] >= 0 && !kinematic[linkParentJoint[i]]) ownerLink[linkBody[i]] = i;
        }
        double[] inv = new double[16], inOwner = new double[16];
        for (int b = 0; b < bodyCount; b++) {
            invert(buildFrames[ownerLink[b]], inv);
            MassProperties mp = new MassProperties();
            for (int i = 0; i < nl; i++) {
                if (linkBody[i] != b) continue;
                multiply(inv, buildFrames[i], inOwner);
                mp.add(model.link(linkNames[i]).inertial(), inOwner);
            }
            if (toolMass > 0 && linkBody[sensorLink] == b) {   // the tool: a point mass on the sensor link
                multiply(inv, buildFrames[sensorLink], inOwner);
                mp.add(new Inertial(new Pose(toolCom[0], toolCom[1], toolCom[2], 0, 0, 0), toolMass, 0, 0, 0, 0, 0, 0), inOwner);
            }
            double[] c = new double[3], in = new double[9];
            mp.centreOfMass(c);
            mp.inertiaAboutCentre(in);
            double mass = mp.mass();
            if (mass <= 0) {     // massless moving link: ODE needs something to integrate
                mass = 1e-3;
                in = new double[] {1e-6, 0, 0, 0, 1e-6, 0, 0, 0, 1e-6};
            }
            bodyMass[b] = mass;
            System.arraycopy(in, 0, bodyInertia, 9 * b, 9);
            System.arraycopy(c, 0, bodyCom, 3 * b, 3);
            for (int i = 0; i < nl; i++) {
                if (linkBody[i] != b) continue;
                multiply(inv, buildFrames[i], linkInBody[i]);
                linkInBody[i][3] -= c[0];
                linkInBody[i][7] -= c[1];
                linkInBody[i][11] -= c[2];
            }
        }
    }

    int linkCount() {
        return linkNames.length;
    }

    /** The index of a link, with an error naming what the caller meant it for when it is not in the URDF. */
    int link(String name, String role) {
        Integer li = linkIndex.get(name);
        if (li == null) throw new IllegalArgumentException(role + " '" + name + "' is not in the URDF");
        return li;
    }

    /** Whether link li places its body: the first of the body's links, whose frame the body's axes follow. */
    boolean ownsBody(int li) {
        int b = linkBody[li];
        return b >= 0 && (li == 0 || linkBody[linkParent[li]] != b);
    }

    /** Every link's world frame at joint positions q, into {@code frames} (allocates nothing). */
    void framesAt(double[] q, double[][] frames) {
        identity(frames[0]);
        for (int i = 1; i < linkNames.length; i++) {
            int pj = linkParentJoint[i];
            multiply(frames[linkParent[i]], linkOrigin[i], parentJointFrame);
            if (pj >= 0) {
                if (joints[pj].isPrismatic()) Transforms.translation(joints[pj].axis(), q[pj], motion);
                else Transforms.rotation(joints[pj].axis(), 0, q[pj], motion);
                multiply(parentJointFrame, motion, frames[i]);
            } else {
                System.arraycopy(parentJointFrame, 0, frames[i], 0, 16);
            }
        }
    }

    boolean descends(int link, int ancestor) {
        for (int i = link; i >= 0; i = linkParent[i]) if (i == ancestor) return true;
        return false;
    }

    /** Inverse of a rigid transform. */
    private static void invert(double[] m, double[] out) {
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) out[4 * r + c] = m[4 * c + r];
        for (int r = 0; r < 3; r++) out[4 * r + 3] = -(out[4 * r] * m[3] + out[4 * r + 1] * m[7] + out[4 * r + 2] * m[11]);
        out[12] = 0; out[13] = 0; out[14] = 0; out[15] = 1;
    }
}
