package org.teachlearn.robot.sim;

import static org.teachlearn.robot.kinematics.Transforms.identity;
import static org.teachlearn.robot.kinematics.Transforms.multiply;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ode4j.math.DMatrix3;
import org.ode4j.math.DVector3C;
import org.ode4j.math.DMatrix3C;
import org.ode4j.ode.DBody;
import org.ode4j.ode.DBox;
import org.ode4j.ode.DContact;
import org.ode4j.ode.DContactGeomBuffer;
import org.ode4j.ode.DGeom;
import org.ode4j.ode.DHingeJoint;
import org.ode4j.ode.DJoint;
import org.ode4j.ode.DJointGroup;
import org.ode4j.ode.DMass;
import org.ode4j.ode.DMisc;
import org.ode4j.ode.DSliderJoint;
import org.ode4j.ode.DWorld;
import org.ode4j.ode.OdeConstants;
import org.ode4j.ode.OdeHelper;
import org.teachlearn.robot.kinematics.Transforms;
import org.teachlearn.robot.urdf.Geometry;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.Link;
import org.teachlearn.robot.urdf.MassProperties;
import org.teachlearn.robot.urdf.MeshBounds;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.Shape;

/**
 * The ODE world of one arm, built from its URDF: a rigid body per link that moves (links fixed to
 * it are lumped in), a hinge or slider per movable joint with the URDF limits as stops, and
 * optionally a table and a cube that touch the hand with friction. The wrist force/torque sensor
 * adds up what acts on the links beyond it (contact forces from ODE's feedback, external
 * wrenches), so it costs the solver nothing. Joint efforts, motor velocities and external
 * wrenches go in; joint positions, velocities and the sensed wrench come out.
 *
 * <p>Built once; {@link #step()} allocates nothing of ours (ode4j allocates internally). ODE
 * measures joint angles from the pose the world was built in, so it is built at the middle of
 * every joint's range (hinges read ±π around it) and readings are shifted back.
 */
public final class ArmWorld {

    /**
     * Physics settings. Steps run ODE's exact (Dantzig LCP) stepper: deterministic and free of the
     * velocity jitter an unconverged quickStep leaves in a 7-joint chain (holding still, 0.8–2.5
     * rad/s peaks at 30–10 iterations, measured), which would reach joint_states and every
     * observation. But the exact stepper blew up on finger–cube contacts, so with
     * {@code solverIterations} above 0 a step in which the hand or fingers touch something takes
     * quickStep with that many iterations; at 40 and friction 1.5 the scripted grasp held in 100
     * of 100 seeded episodes (30 iterations: 97). {@code objects} adds the table and the cube.
     */
    public record Settings(double dt, int solverIterations, boolean objects, double cubeSize, double cubeMass,
            double friction, double tableHeight) {
        public static final Settings ARM_ONLY = new Settings(0.002, 0, false, 0.05, 0.1, 1.0, 0.0);
        public static final Settings WITH_OBJECTS = new Settings(0.002, 40, true, 0.05, 0.1, 1.5, 0.0);
    }

    // three points per touching pair keep a box steady; a fourth only adds solver rows (16.6–17.2 k
    // instead of 15.0–15.9 k steps/s for pick and place, the grasp as reliable)
    private static final int MAX_CONTACTS = 3;

    private final Settings settings;
    private final DWorld world;
    private final DJointGroup contactGroup = OdeHelper.createJointGroup();

    // links, in an order where every parent comes before its children
    private final String[] linkNames;
    private final int[] linkParentJoint;      // index into joints, -1 for the root
    private final int[] linkParent;           // index into links, -1 for the root
    private final int[] linkBody;             // index into bodies, -1 for static links
    private final double[][] linkInBody;      // pose of the link frame in its body's frame (COM frame)
    private final double[][] linkOrigin;      // the URDF origin of the joint above each link
    private final double[][] linkFrame;       // scratch: world pose of every link
    private final Map<String, Integer> linkIndex = new HashMap<>();

    // movable joints
    private final Joint[] joints;
    private final String[] jointNames;
    private final double[] buildPosition;     // joint positions the world was built at
    private final DHingeJoint[] hinges;       // null where prismatic
    private final DSliderJoint[] sliders;     // null where revolute
    private final int[] childBody;            // per joint: the moving body
    private final int[] parentBody;           // per joint: the body it moves against, -1 for the world
    private final double[] axisInParent;      // per joint: 3, unit axis in the parent body's frame
    private final double[] restRelative;      // per joint: 9 (hinge: child rotation in the parent frame) or 3 (slider: child COM there), at the build pose
    private final double[] lastAngle;         // for unwrapping continuous joints
    private final double[] turns;
    private final double[] effort;            // applied this step, incl. damping, for joint_states

    // Tool joints (the gripper's) in a world without objects have nothing to touch: they move
    // kinematically, at most at their URDF speed, with their links lumped into the hand, which
    // keeps two bodies and ten rows out of the solver (22–33 k to about 50 k steps/s measured).
    private final boolean[] kinematic;
    private final double[] kinPosition;
    private final double[] kinVelocity;
    private final double[] kinCommand;     // velocity the motor asks for

    private final DBody[] bodies;
    private final double[] bodyCom;           // per body: 3, COM in the owning link's frame
    private final double[] externalForce;     // per link: 3, in the link frame
    private final double[] externalTorque;    // per link: 3
    private final boolean[] hasExternal;

    // force/torque sensor
    private final int sensorLink;
    private final boolean[] onTool;           // per link: at or beyond the sensor
    private final int[] pairTool;             // per contact pair: which geom (1 or 2) is on the tool, 0 for neither
    private final ToolContacts toolContacts;
    private final double[] contactWrench = new double[6];

    // objects and contacts
    private final DBox table;
    private final DBody cube;
    private final DBox cubeGeom;
    private final DGeom[][] contactPairs;
    private final double[] pairReach;         // sum of the two bounding radii
    private final DContactGeomBuffer contactBuffer = new DContactGeomBuffer(MAX_CONTACTS);
    private final DContact contact = new DContact();

    private final double[] t = new double[16], tmp = new double[16], motion = new double[16];
    private final double[] rel = new double[9];
    private final double[] axis = new double[3];
    private PhysicsMeter meter;
    private final DMatrix3 rot = new DMatrix3();

    /**
     * @param sensorLinkName the link right after the wrist force/torque sensor (its parent joint
     *        must be fixed; its frame is the sensor's), or null for none
     * @param contactLinks links whose collision shapes touch the table and the cube
     */
    public ArmWorld(RobotModel model, Settings settings, String sensorLinkName, List<String> contactLinks) {
        this.settings = settings;
        OdeHelper.initODE2(0);
        world = OdeHelper.createWorld();
        world.setGravity(0, 0, -9.81);
        world.setQuickStepNumIterations(Math.max(1, settings.solverIterations()));
        world.setERP(0.2);
        world.setCFM(1e-9);
        world.setContactSurfaceLayer(0.0005);
        world.setContactMaxCorrectingVel(0.5);

        // order links root-first and note who moves
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
        linkFrame = new double[nl][16];
        linkOrigin = new double[nl][16];
        sensorLink = sensorLinkName == null ? -1 : linkIndex.getOrDefault(sensorLinkName, -2);
        if (sensorLink == -2) throw new IllegalArgumentException("sensor link '" + sensorLinkName + "' is not in the URDF");
        if (sensorLink >= 0 && model.parentJoint(sensorLinkName).isMovable()) {
            throw new IllegalArgumentException("sensor link '" + sensorLinkName + "' must hang from a fixed joint");
        }
        int bodyCount = 0;
        kinematic = new boolean[nj];
        for (int i = 0; i < nl; i++) {
            Joint pj = model.parentJoint(linkNames[i]);
            if (pj != null) pj.origin().toMatrix(linkOrigin[i]);
            linkParent[i] = pj == null ? -1 : linkIndex.get(pj.parent());
            linkParentJoint[i] = pj != null && pj.isMovable() ? jointIndex.get(pj.name()) : -1;
            if (linkParentJoint[i] >= 0 && !settings.objects() && sensorLink >= 0 && descends(i, sensorLink)) {
                kinematic[linkParentJoint[i]] = true;
            }
            if (linkParentJoint[i] >= 0 && !kinematic[linkParentJoint[i]]) linkBody[i] = bodyCount++;
            else linkBody[i] = pj == null ? -1 : linkBody[linkParent[i]];
        }
        linkFramesAt(buildPosition);

        // one ODE body per moving group of links, with its frame at the group's centre of mass
        bodies = new DBody[bodyCount];
        bodyCom = new double[3 * bodyCount];
        int[] ownerLink = new int[bodyCount];
        for (int i = 0; i < nl; i++) {
            if (linkParentJoint[i] >= 0 && !kinematic[linkParentJoint[i]]) ownerLink[linkBody[i]] = i;
        }
        double[] inv = new double[16];
        for (int b = 0; b < bodyCount; b++) {
            int owner = ownerLink[b];
            invert(linkFrame[owner], inv);
            MassProperties mp = new MassProperties();
            for (int i = 0; i < nl; i++) {
                if (linkBody[i] != b) continue;
                multiply(inv, linkFrame[i], tmp);
                mp.add(model.link(linkNames[i]).inertial(), tmp);
            }
            double[] c = new double[3], in = new double[9];
            mp.centreOfMass(c);
            mp.inertiaAboutCentre(in);
            double mass = mp.mass();
            if (mass <= 0) {     // massless moving link: ODE needs something to integrate
                mass = 1e-3;
                in = new double[] {1e-6, 0, 0, 0, 1e-6, 0, 0, 0, 1e-6};
            }
            System.arraycopy(c, 0, bodyCom, 3 * b, 3);
            DBody body = OdeHelper.createBody(world);
            DMass m = OdeHelper.createMass();
            m.setParameters(mass, 0, 0, 0, in[0], in[4], in[8], in[1], in[2], in[5]);
            body.setMass(m);
            body.setGyroscopicMode(true);
            bodies[b] = body;
            for (int i = 0; i < nl; i++) {
                if (linkBody[i] != b) continue;
                multiply(inv, linkFrame[i], linkInBody[i]);
                linkInBody[i][3] -= c[0];
                linkInBody[i][7] -= c[1];
                linkInBody[i][11] -= c[2];
            }
        }
        placeBodies();

        // joints, with their stops shifted to the build pose
        hinges = new DHingeJoint[nj];
        sliders = new DSliderJoint[nj];
        lastAngle = new double[nj];
        turns = new double[nj];
        childBody = new int[nj];
        parentBody = new int[nj];
        axisInParent = new double[3 * nj];
        restRelative = new double[9 * nj];
        effort = new double[nj];
        kinPosition = new double[nj];
        kinVelocity = new double[nj];
        kinCommand = new double[nj];
        for (int i = 0; i < nj; i++) {
            Joint j = joints[i];
            int child = linkIndex.get(j.child());
            if (kinematic[i]) continue;
            DBody cb = bodies[linkBody[child]];
            int pb = linkBody[linkIndex.get(j.parent())];
            DBody pbody = pb < 0 ? null : bodies[pb];
            double[] f = linkFrame[child];
            double[] a = j.axis();
            double ax = f[0] * a[0] + f[1] * a[1] + f[2] * a[2];
            double ay = f[4] * a[0] + f[5] * a[1] + f[6] * a[2];
            double az = f[8] * a[0] + f[9] * a[1] + f[10] * a[2];
            boolean bounded = Double.isFinite(j.lower()) && Double.isFinite(j.upper());
            childBody[i] = linkBody[child];
            parentBody[i] = pb;
            recordRest(i, ax, ay, az);
            if (j.isPrismatic()) {
                DSliderJoint s = OdeHelper.createSliderJoint(world);
                s.attach(cb, pbody);
                s.setAxis(ax, ay, az);
                if (bounded) {
                    s.setParamLoStop(j.lower() - buildPosition[i]);
                    s.setParamHiStop(j.upper() - buildPosition[i]);
                }
                sliders[i] = s;
            } else {
                DHingeJoint h = OdeHelper.createHingeJoint(world);
                h.attach(cb, pbody);
                h.setAnchor(f[3], f[7], f[11]);
                h.setAxis(ax, ay, az);
                if (bounded) {
                    h.setParamLoStop(j.lower() - buildPosition[i]);
                    h.setParamHiStop(j.upper() - buildPosition[i]);
                }
                hinges[i] = h;
            }
        }
        onTool = new boolean[nl];
        for (int i = 0; i < nl; i++) onTool[i] = sensorLink >= 0 && descends(i, sensorLink);

        externalForce = new double[3 * nl];
        externalTorque = new double[3 * nl];
        hasExternal = new boolean[nl];

        // table, cube and the pairs that may touch
        List<DGeom[]> pairs = new ArrayList<>();
        if (settings.objects()) {
            table = OdeHelper.createBox(1.0, 1.2, 0.1);
            table.setPosition(0.65, 0, settings.tableHeight() - 0.05);
            cube = OdeHelper.createBody(world);
            DMass cm = OdeHelper.createMass();
            double s = settings.cubeSize();
            cm.setBoxTotal(settings.cubeMass(), s, s, s);
            cube.setMass(cm);
            cubeGeom = OdeHelper.createBox(s, s, s);
            cubeGeom.setBody(cube);
            pairs.add(new DGeom[] {cubeGeom, table});
            for (String l : contactLinks) {
                Integer li = linkIndex.get(l);
                if (li == null) throw new IllegalArgumentException("contact link '" + l + "' is not in the URDF");
                for (DGeom g : collisionGeoms(model.link(l), li)) {
                    g.setData(li);
                    pairs.add(new DGeom[] {cubeGeom, g});
                    // 15 g fingers pressed into a static table at full effort blow the solver up; the palm stops the hand
                    if (linkParentJoint[li] < 0) pairs.add(new DGeom[] {g, table});
                }
            }
        } else {
            table = null;
            cube = null;
            cubeGeom = null;
        }
        contactPairs = pairs.toArray(new DGeom[0][]);
        pairTool = new int[contactPairs.length];
        for (int p = 0; p < contactPairs.length; p++) {
            if (isTool(contactPairs[p][0])) pairTool[p] = 1;
            else if (isTool(contactPairs[p][1])) pairTool[p] = 2;
        }
        toolContacts = new ToolContacts(contactPairs.length * MAX_CONTACTS);
        pairReach = new double[contactPairs.length];
        for (int p = 0; p < contactPairs.length; p++) pairReach[p] = radius(contactPairs[p][0]) + radius(contactPairs[p][1]);
        contact.surface.mode = OdeConstants.dContactApprox1 | OdeConstants.dContactSoftCFM | OdeConstants.dContactSoftERP;
        contact.surface.mu = settings.friction();
        contact.surface.soft_cfm = 1e-4;
        contact.surface.soft_erp = 0.2;
        setJointPositions(buildPosition);
    }

    // --- names and sizes ---

    public String[] jointNames() {
        return jointNames.clone();
    }

    public int jointCount() {
        return joints.length;
    }

    public int jointIndex(String name) {
        for (int i = 0; i < jointNames.length; i++) if (jointNames[i].equals(name)) return i;
        throw new IllegalArgumentException("joint '" + name + "' is not a movable joint of the simulated robot (joints are: "
                + String.join(", ", jointNames) + ")");
    }

    public Joint joint(int i) {
        return joints[i];
    }

    public boolean hasLink(String name) {
        return linkIndex.containsKey(name);
    }

    /** Whether the link moves (a wrench on it acts); false for links fixed to the world and for unknown names. */
    public boolean isMovable(String name) {
        Integer li = linkIndex.get(name);
        return li != null && linkBody[li] >= 0;
    }

    public Settings settings() {
        return settings;
    }

    // --- state in and out ---

    /** Teleports the robot to joint positions {@code q} (one per movable joint), at rest. */
    public void setJointPositions(double[] q) {
        linkFramesAt(q);
        placeBodies();
        for (DBody b : bodies) {
            b.setLinearVel(0, 0, 0);
            b.setAngularVel(0, 0, 0);
            b.setForce(0, 0, 0);
            b.setTorque(0, 0, 0);
        }
        for (int i = 0; i < joints.length; i++) {
            if (kinematic[i]) {
                kinPosition[i] = joints[i].clampPosition(q[i]);
                kinVelocity[i] = 0;
                kinCommand[i] = 0;
                effort[i] = 0;
                continue;
            }
            turns[i] = 0;
            lastAngle[i] = hinges[i] != null ? hingeAngle(i) : 0;
            double read = position(i);
            if (joints[i].type() == Joint.Type.CONTINUOUS) turns[i] = Math.rint((q[i] - read) / (2 * Math.PI));
            effort[i] = 0;
        }
    }

    /**
     * Joint i's position, read from the two bodies' poses (ode4j's own hinge and slider readers
     * allocate on every call).
     */
    public double position(int i) {
        if (kinematic[i]) return kinPosition[i];
        if (sliders[i] != null) return sliderOffset(i) + buildPosition[i];
        return hingeAngle(i) + 2 * Math.PI * turns[i] + buildPosition[i];
    }

    public double velocity(int i) {
        if (kinematic[i]) return kinVelocity[i];
        DBody c = bodies[childBody[i]];
        DBody p = parentBody[i] < 0 ? null : bodies[parentBody[i]];
        worldAxis(i, p);
        double ax = axis[0], ay = axis[1], az = axis[2];
        if (sliders[i] == null) {
            DVector3C wc = c.getAngularVel();
            double wx = wc.get0(), wy = wc.get1(), wz = wc.get2();
            if (p != null) {
                DVector3C wp = p.getAngularVel();
                wx -= wp.get0(); wy -= wp.get1(); wz -= wp.get2();
            }
            return ax * wx + ay * wy + az * wz;
        }
        DVector3C vc = c.getLinearVel();
        double vx = vc.get0(), vy = vc.get1(), vz = vc.get2();
        if (p != null) {
            DVector3C vp = p.getLinearVel(), wp = p.getAngularVel(), pc = c.getPosition(), pp = p.getPosition();
            double dx = pc.get0() - pp.get0(), dy = pc.get1() - pp.get1(), dz = pc.get2() - pp.get2();
            vx -= vp.get0() + wp.get1() * dz - wp.get2() * dy;
            vy -= vp.get1() + wp.get2() * dx - wp.get0() * dz;
            vz -= vp.get2() + wp.get0() * dy - wp.get1() * dx;
        }
        return ax * vx + ay * vy + az * vz;
    }

    /** The effort applied at joint i over the last step (controller plus damping), N m or N. */
    public double effort(int i) {
        return effort[i];
    }

    /** Adds an effort (N m or N) at joint i for the next step only. */
    public void addEffort(int i, double e) {
        effort[i] += e;
        actuate(i, e);
    }

    /** Equal and opposite torque (hinge) or force along one line (slider) on the joint's two bodies. */
    private void actuate(int i, double e) {
        if (kinematic[i]) return;   // a kinematic joint follows its motor only
        DBody c = bodies[childBody[i]];
        DBody p = parentBody[i] < 0 ? null : bodies[parentBody[i]];
        worldAxis(i, p);
        double ax = axis[0], ay = axis[1], az = axis[2];
        if (sliders[i] == null) {
            c.addTorque(e * ax, e * ay, e * az);
            if (p != null) p.addTorque(-e * ax, -e * ay, -e * az);
        } else {
            c.addForce(e * ax, e * ay, e * az);
            if (p != null) {
                DVector3C at = c.getPosition();
                forceAt(p, -e * ax, -e * ay, -e * az, at.get0(), at.get1(), at.get2());
            }
        }
    }

    /**
     * Drives joint i toward {@code velocity} through ODE's joint motor, with at most
     * {@code maxEffort}; a {@code damping} above 0 (N m s/rad or N s/m) makes the motor a damper
     * solved implicitly, effort = damping (velocity − joint velocity), so stiff gains on light
     * joints stay stable at large steps. Damping 0 makes it rigid; maxEffort 0 releases it.
     */
    public void setMotor(int i, double velocity, double maxEffort, double damping) {
        if (kinematic[i]) {
            kinCommand[i] = maxEffort > 0 ? velocity : 0;
            return;
        }
        DJoint j = sliders[i] != null ? sliders[i] : hinges[i];
        j.setParam(DJoint.PARAM_N.dParamVel1, velocity);
        j.setParam(DJoint.PARAM_N.dParamFMax1, maxEffort);
        j.setParam(DJoint.PARAM_N.dParamCFM1, damping > 0 ? 1 / damping : world.getCFM());
        // at a stop ODE would add the motor's full force explicitly ("fudge"), and a servo parked
        // on its limit (an open gripper) bounces off it; the stop holds the joint anyway
        j.setParam(DJoint.PARAM_N.dParamFudgeFactor1, 0);
    }

    /** Notes an effort applied through the motor, for joint_states. */
    public void noteEffort(int i, double e) {
        effort[i] += e;
    }

    /**
     * Holds a force and torque, expressed in the link's frame and applied at its origin, on a link
     * until replaced; zeros release it.
     */
    public void setExternalWrench(String link, double fx, double fy, double fz, double tx, double ty, double tz) {
        Integer li = linkIndex.get(link);
        if (li == null) throw new IllegalArgumentException("no link '" + link + "' in the simulated robot");
        if (linkBody[li] < 0) throw new IllegalArgumentException("link '" + link + "' is fixed to the world; a wrench on it does nothing");
        externalForce[3 * li] = fx; externalForce[3 * li + 1] = fy; externalForce[3 * li + 2] = fz;
        externalTorque[3 * li] = tx; externalTorque[3 * li + 1] = ty; externalTorque[3 * li + 2] = tz;
        hasExternal[li] = fx != 0 || fy != 0 || fz != 0 || tx != 0 || ty != 0 || tz != 0;
    }

    public void clearExternalWrenches() {
        java.util.Arrays.fill(hasExternal, false);
    }

    /**
     * Brackets the work done inside ode4j in each {@link #step()} (collision tests, contact joints,
     * the solver), so benchmarks can tell ode4j's allocations from ours.
     */
    public interface PhysicsMeter {
        void enter();

        void exit();
    }

    /** Installs a meter around ode4j's part of every step; null removes it. */
    public void setPhysicsMeter(PhysicsMeter meter) {
        this.meter = meter;
    }

    /** Integrates one physics step of {@link Settings#dt()}; efforts added before it are consumed. */
    public void step() {
        applyDamping();
        applyExternalWrenches();
        if (meter != null) meter.enter();
        toolContacts.beginStep();
        for (int p = 0; p < contactPairs.length; p++) collide(p);
        // the exact stepper whenever the hand touches nothing: faster for a lone arm and free of jitter
        boolean quick = settings.solverIterations() > 0 && toolContacts.any();
        if (quick) world.quickStep(settings.dt());
        else world.step(settings.dt());
        contactGroup.empty();
        if (meter != null) meter.exit();
        if (sensorLink >= 0) {
            linkPose(sensorLink, t);
            toolContacts.accumulate(quick, t[3], t[7], t[11]);
        }
        for (int i = 0; i < joints.length; i++) {
            if (!kinematic[i]) continue;
            double v = Math.max(-joints[i].velocity(), Math.min(joints[i].velocity(), kinCommand[i]));
            double q = kinPosition[i] + v * settings.dt();
            double clamped = joints[i].clampPosition(q);
            kinVelocity[i] = clamped == q ? v : 0;
            kinPosition[i] = clamped;
        }
        for (int i = 0; i < joints.length; i++) {
            if (joints[i].type() != Joint.Type.CONTINUOUS) continue;
            double a = hingeAngle(i);
            if (a - lastAngle[i] > Math.PI) turns[i] -= 1;
            else if (a - lastAngle[i] < -Math.PI) turns[i] += 1;
            lastAngle[i] = a;
        }
    }

    /** Resets ODE's solver shuffling (quickStep only) so a seeded episode replays exactly. */
    public static void seedSolver(long seed) {
        DMisc.dRandSetSeed(seed & 0x7fffffffL);
    }

    /** Clears the efforts noted for joint_states; call before a step's controllers add theirs. */
    public void clearEfforts() {
        java.util.Arrays.fill(effort, 0);
    }

    /**
     * The wrench the world applies to the tool behind the sensor (contacts, a person's hand,
     * anything but gravity and the tool's own inertia), as a bias-compensated wrist sensor
     * reports it: force then torque, in the sensor link's frame, about its origin, into
     * {@code out[6]}; contacts averaged since {@link #restartSensor}. Zeros when there is no sensor.
     */
    public void sensedWrench(double[] out) {
        java.util.Arrays.fill(out, 0, 6, 0);
        if (sensorLink < 0) return;
        linkPose(sensorLink, t);
        double px = t[3], py = t[7], pz = t[11];
        toolContacts.mean(contactWrench);
        double fx = contactWrench[0], fy = contactWrench[1], fz = contactWrench[2];
        double tx = contactWrench[3], ty = contactWrench[4], tz = contactWrench[5];
        for (int li = 0; li < hasExternal.length; li++) {
            if (!hasExternal[li] || !onTool[li]) continue;
            linkPose(li, tmp);
            double ex = externalForce[3 * li], ey = externalForce[3 * li + 1], ez = externalForce[3 * li + 2];
            double wx = tmp[0] * ex + tmp[1] * ey + tmp[2] * ez, wy = tmp[4] * ex + tmp[5] * ey + tmp[6] * ez,
                    wz = tmp[8] * ex + tmp[9] * ey + tmp[10] * ez;
            double mx = externalTorque[3 * li], my = externalTorque[3 * li + 1], mz = externalTorque[3 * li + 2];
            double rx = tmp[3] - px, ry = tmp[7] - py, rz = tmp[11] - pz;
            fx += wx; fy += wy; fz += wz;
            tx += tmp[0] * mx + tmp[1] * my + tmp[2] * mz + ry * wz - rz * wy;
            ty += tmp[4] * mx + tmp[5] * my + tmp[6] * mz + rz * wx - rx * wz;
            tz += tmp[8] * mx + tmp[9] * my + tmp[10] * mz + rx * wy - ry * wx;
        }
        out[0] = t[0] * fx + t[4] * fy + t[8] * fz;
        out[1] = t[1] * fx + t[5] * fy + t[9] * fz;
        out[2] = t[2] * fx + t[6] * fy + t[10] * fz;
        out[3] = t[0] * tx + t[4] * ty + t[8] * tz;
        out[4] = t[1] * tx + t[5] * ty + t[9] * tz;
        out[5] = t[2] * tx + t[6] * ty + t[10] * tz;
    }

    /** Starts a new averaging window for the contact part of {@link #sensedWrench} (once per control period). */
    public void restartSensor() {
        toolContacts.restart();
    }

    /** World pose of a link as a row-major 4x4 into {@code out[16]}, from the simulated bodies. */
    public void linkPose(String link, double[] out) {
        Integer li = linkIndex.get(link);
        if (li == null) throw new IllegalArgumentException("no link '" + link + "' in the simulated robot");
        linkPose(li, out);
    }

    private void linkPose(int li, double[] out) {
        int b = linkBody[li];
        if (b < 0) {
            System.arraycopy(linkFrame[li], 0, out, 0, 16);
            return;
        }
        bodyPose(bodies[b], tmp);
        multiply(tmp, linkInBody[li], out);
    }

    // --- the cube ---

    /** Places the cube at rest with its centre at (x, y, z) and turned by yaw about z. */
    public void placeCube(double x, double y, double z, double yaw) {
        requireObjects();
        cube.setPosition(x, y, z);
        double c = Math.cos(yaw), s = Math.sin(yaw);
        rot.set(c, -s, 0, s, c, 0, 0, 0, 1);
        cube.setRotation(rot);
        cube.setLinearVel(0, 0, 0);
        cube.setAngularVel(0, 0, 0);
    }

    /** The cube's pose: x, y, z, and its yaw folded into [−π/4, π/4) (a cube looks the same every quarter turn). */
    public void cubePose(double[] out) {
        requireObjects();
        DVector3C p = cube.getPosition();
        DMatrix3C r = cube.getRotation();
        out[0] = p.get0();
        out[1] = p.get1();
        out[2] = p.get2();
        double yaw = Math.atan2(r.get10(), r.get00());
        out[3] = yaw - Math.PI / 2 * Math.floor((yaw + Math.PI / 4) / (Math.PI / 2));
    }

    public double cubeSpeed() {
        requireObjects();
        DVector3C v = cube.getLinearVel();
        return Math.sqrt(v.get0() * v.get0() + v.get1() * v.get1() + v.get2() * v.get2());
    }

    private void requireObjects() {
        if (cube == null) throw new IllegalStateException("this world was built without objects (Settings.objects)");
    }

    // --- internals ---

    /** Joint i's axis in world coordinates, into {@link #axis}. */
    private void worldAxis(int i, DBody parent) {
        double ux = axisInParent[3 * i], uy = axisInParent[3 * i + 1], uz = axisInParent[3 * i + 2];
        if (parent == null) {
            axis[0] = ux; axis[1] = uy; axis[2] = uz;
            return;
        }
        DMatrix3C r = parent.getRotation();
        axis[0] = r.get00() * ux + r.get01() * uy + r.get02() * uz;
        axis[1] = r.get10() * ux + r.get11() * uy + r.get12() * uz;
        axis[2] = r.get20() * ux + r.get21() * uy + r.get22() * uz;
    }

    /** A force at a world point, as a force and a torque about the body's centre (ode4j's addForceAtPos allocates). */
    private static void forceAt(DBody b, double fx, double fy, double fz, double px, double py, double pz) {
        DVector3C c = b.getPosition();
        double rx = px - c.get0(), ry = py - c.get1(), rz = pz - c.get2();
        b.addForce(fx, fy, fz);
        b.addTorque(ry * fz - rz * fy, rz * fx - rx * fz, rx * fy - ry * fx);
    }

    /** Notes the joint's axis and its bodies' relative pose at the build pose, where it reads 0. */
    private void recordRest(int i, double ax, double ay, double az) {
        int pb = parentBody[i];
        double[] rp = new double[9];
        if (pb < 0) {
            rp[0] = rp[4] = rp[8] = 1;
        } else {
            DMatrix3C r = bodies[pb].getRotation();
            for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) rp[3 * a + b] = r.get(a, b);
        }
        // axis in the parent frame: Rpᵀ a
        axisInParent[3 * i] = rp[0] * ax + rp[3] * ay + rp[6] * az;
        axisInParent[3 * i + 1] = rp[1] * ax + rp[4] * ay + rp[7] * az;
        axisInParent[3 * i + 2] = rp[2] * ax + rp[5] * ay + rp[8] * az;
        relativePose(i);
        System.arraycopy(rel, 0, restRelative, 9 * i, 9);
    }

    /**
     * Into {@link #rel}: for a hinge the child's rotation in the parent frame (Rpᵀ Rc, row-major);
     * for a slider the child's centre in the parent frame (first three values).
     */
    private void relativePose(int i) {
        DBody c = bodies[childBody[i]];
        DBody p = parentBody[i] < 0 ? null : bodies[parentBody[i]];
        if (!joints[i].isPrismatic()) {
            DMatrix3C rc = c.getRotation();
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    double sum;
                    if (p == null) {
                        sum = rc.get(a, b);
                    } else {
                        DMatrix3C rp = p.getRotation();
                        sum = rp.get(0, a) * rc.get(0, b) + rp.get(1, a) * rc.get(1, b) + rp.get(2, a) * rc.get(2, b);
                    }
                    rel[3 * a + b] = sum;
                }
            }
        } else {
            DVector3C pc = c.getPosition();
            double dx = pc.get0(), dy = pc.get1(), dz = pc.get2();
            if (p == null) {
                rel[0] = dx; rel[1] = dy; rel[2] = dz;
            } else {
                DVector3C pp = p.getPosition();
                DMatrix3C rp = p.getRotation();
                dx -= pp.get0(); dy -= pp.get1(); dz -= pp.get2();
                rel[0] = rp.get00() * dx + rp.get10() * dy + rp.get20() * dz;
                rel[1] = rp.get01() * dx + rp.get11() * dy + rp.get21() * dz;
                rel[2] = rp.get02() * dx + rp.get12() * dy + rp.get22() * dz;
            }
        }
    }

    /** The hinge's turn from the build pose: the rotation R = Rrel Rrel₀ᵀ about its axis u, atan2(u·vee(R − Rᵀ)/2, (tr R − 1)/2). */
    private double hingeAngle(int i) {
        relativePose(i);
        int o = 9 * i;
        double[] r0 = restRelative;
        // R[a][b] = Σk rel[a][k] r0[b][k]
        double r00 = rel[0] * r0[o] + rel[1] * r0[o + 1] + rel[2] * r0[o + 2];
        double r11 = rel[3] * r0[o + 3] + rel[4] * r0[o + 4] + rel[5] * r0[o + 5];
        double r22 = rel[6] * r0[o + 6] + rel[7] * r0[o + 7] + rel[8] * r0[o + 8];
        double r21 = rel[6] * r0[o + 3] + rel[7] * r0[o + 4] + rel[8] * r0[o + 5];
        double r12 = rel[3] * r0[o + 6] + rel[4] * r0[o + 7] + rel[5] * r0[o + 8];
        double r02 = rel[0] * r0[o + 6] + rel[1] * r0[o + 7] + rel[2] * r0[o + 8];
        double r20 = rel[6] * r0[o] + rel[7] * r0[o + 1] + rel[8] * r0[o + 2];
        double r10 = rel[3] * r0[o] + rel[4] * r0[o + 1] + rel[5] * r0[o + 2];
        double r01 = rel[0] * r0[o + 3] + rel[1] * r0[o + 4] + rel[2] * r0[o + 5];
        double tr = r00 + r11 + r22;
        double sx = 0.5 * (r21 - r12), sy = 0.5 * (r02 - r20), sz = 0.5 * (r10 - r01);
        double sin = axisInParent[3 * i] * sx + axisInParent[3 * i + 1] * sy + axisInParent[3 * i + 2] * sz;
        return Math.atan2(sin, 0.5 * (tr - 1));
    }

    /** The slider's travel from the build pose along its axis. */
    private double sliderOffset(int i) {
        relativePose(i);
        int o = 9 * i;
        return axisInParent[3 * i] * (rel[0] - restRelative[o]) + axisInParent[3 * i + 1] * (rel[1] - restRelative[o + 1])
                + axisInParent[3 * i + 2] * (rel[2] - restRelative[o + 2]);
    }

    private void applyDamping() {
        for (int i = 0; i < joints.length; i++) {
            double d = joints[i].damping();
            if (d > 0) actuate(i, -d * velocity(i));   // passive joint friction: not the motor's effort
        }
    }

    private void applyExternalWrenches() {
        for (int li = 0; li < hasExternal.length; li++) {
            if (!hasExternal[li]) continue;
            linkPose(li, t);
            double fx = externalForce[3 * li], fy = externalForce[3 * li + 1], fz = externalForce[3 * li + 2];
            double tx = externalTorque[3 * li], ty = externalTorque[3 * li + 1], tz = externalTorque[3 * li + 2];
            DBody b = bodies[linkBody[li]];
            forceAt(b, t[0] * fx + t[1] * fy + t[2] * fz, t[4] * fx + t[5] * fy + t[6] * fz, t[8] * fx + t[9] * fy + t[10] * fz,
                    t[3], t[7], t[11]);
            b.addTorque(t[0] * tx + t[1] * ty + t[2] * tz, t[4] * tx + t[5] * ty + t[6] * tz, t[8] * tx + t[9] * ty + t[10] * tz);
        }
    }

    private void collide(int p) {
        DGeom[] pair = contactPairs[p];
        DVector3C a = pair[0].getPosition(), b = pair[1].getPosition();
        double dx = a.get0() - b.get0(), dy = a.get1() - b.get1(), dz = a.get2() - b.get2();
        if (dx * dx + dy * dy + dz * dz > pairReach[p] * pairReach[p]) return;
        int n = OdeHelper.collide(pair[0], pair[1], MAX_CONTACTS, contactBuffer);
        for (int k = 0; k < n; k++) {
            contact.geom.set(contactBuffer.get(k));
            DJoint j = OdeHelper.createContactJoint(world, contactGroup, contact);
            j.attach(pair[0].getBody(), pair[1].getBody());
            if (pairTool[p] != 0) toolContacts.record(j, pairTool[p], contact.geom.pos);   // the wrist sensor feels it
        }
    }

    private boolean isTool(DGeom g) {
        return g.getData() instanceof Integer li && onTool[li];
    }

    /** Computes every link's world frame at joint positions q into {@link #linkFrame}. */
    private void linkFramesAt(double[] q) {
        identity(linkFrame[0]);
        for (int i = 1; i < linkNames.length; i++) {
            int pj = linkParentJoint[i];
            multiply(linkFrame[linkParent[i]], linkOrigin[i], tmp);
            if (pj >= 0) {
                if (joints[pj].isPrismatic()) Transforms.translation(joints[pj].axis(), q[pj], motion);
                else Transforms.rotation(joints[pj].axis(), 0, q[pj], motion);
                multiply(tmp, motion, linkFrame[i]);
            } else {
                System.arraycopy(tmp, 0, linkFrame[i], 0, 16);
            }
        }
    }

    private void placeBodies() {
        for (int i = 0; i < linkNames.length; i++) {
            int b = linkBody[i];
            if (b < 0) continue;
            // a body is placed from the link that owns it, the first of its links
            if (i > 0 && linkBody[linkParent[i]] == b) continue;
            double[] f = linkFrame[i];
            double cx = bodyCom[3 * b], cy = bodyCom[3 * b + 1], cz = bodyCom[3 * b + 2];
            bodies[b].setPosition(f[3] + f[0] * cx + f[1] * cy + f[2] * cz, f[7] + f[4] * cx + f[5] * cy + f[6] * cz,
                    f[11] + f[8] * cx + f[9] * cy + f[10] * cz);
            rot.set(f[0], f[1], f[2], f[4], f[5], f[6], f[8], f[9], f[10]);
            bodies[b].setRotation(rot);
        }
    }

    private void bodyPose(DBody b, double[] out) {
        DVector3C p = b.getPosition();
        DMatrix3C r = b.getRotation();
        out[0] = r.get00(); out[1] = r.get01(); out[2] = r.get02(); out[3] = p.get0();
        out[4] = r.get10(); out[5] = r.get11(); out[6] = r.get12(); out[7] = p.get1();
        out[8] = r.get20(); out[9] = r.get21(); out[10] = r.get22(); out[11] = p.get2();
        out[12] = 0; out[13] = 0; out[14] = 0; out[15] = 1;
    }

    private boolean descends(int link, int ancestor) {
        for (int i = link; i >= 0; i = linkParent[i]) if (i == ancestor) return true;
        return false;
    }

    private List<DGeom> collisionGeoms(Link link, int li) {
        List<DGeom> out = new ArrayList<>();
        int b = linkBody[li];
        double[] shape = new double[16], inBody = new double[16];
        for (Shape s : link.collisions()) {
            DGeom g;
            if (s.geometry() instanceof Geometry.Box box) g = OdeHelper.createBox(box.x(), box.y(), box.z());
            else if (s.geometry() instanceof Geometry.Sphere sp) g = OdeHelper.createSphere(sp.radius());
            else if (s.geometry() instanceof Geometry.Cylinder cy) g = OdeHelper.createCylinder(cy.radius(), cy.length());
            else g = null;
            s.origin().toMatrix(shape);
            if (s.geometry() instanceof Geometry.Mesh mesh) {
                // a mesh collides as the box around it
                MeshBounds.Box box;
                try {
                    box = MeshBounds.of(mesh, System.getenv());
                } catch (java.io.IOException e) {
                    throw new org.teachlearn.robot.urdf.UrdfException("link '" + link.name() + "': cannot read collision mesh "
                            + mesh.filename() + ": " + e.getMessage());
                }
                g = OdeHelper.createBox(Math.max(box.sx(), 1e-4), Math.max(box.sy(), 1e-4), Math.max(box.sz(), 1e-4));
                System.arraycopy(shape, 0, tmp, 0, 16);
                Transforms.translation(new double[] {1, 0, 0}, 0, motion);
                motion[3] = box.cx();
                motion[7] = box.cy();
                motion[11] = box.cz();
                multiply(tmp, motion, shape);
            }
            if (b < 0) {
                multiply(linkFrame[li], shape, inBody);
                g.setPosition(inBody[3], inBody[7], inBody[11]);
                rot.set(inBody[0], inBody[1], inBody[2], inBody[4], inBody[5], inBody[6], inBody[8], inBody[9], inBody[10]);
                g.setRotation(rot);
            } else {
                multiply(linkInBody[li], shape, inBody);
                g.setBody(bodies[b]);
                g.setOffsetPosition(inBody[3], inBody[7], inBody[11]);
                rot.set(inBody[0], inBody[1], inBody[2], inBody[4], inBody[5], inBody[6], inBody[8], inBody[9], inBody[10]);
                g.setOffsetRotation(rot);
            }
            out.add(g);
        }
        return out;
    }

    private static double radius(DGeom g) {
        if (g instanceof DBox b) {
            DVector3C l = b.getLengths();
            return 0.5 * Math.sqrt(l.get0() * l.get0() + l.get1() * l.get1() + l.get2() * l.get2());
        }
        if (g instanceof org.ode4j.ode.DSphere s) return s.getRadius();
        if (g instanceof org.ode4j.ode.DCylinder c) return Math.hypot(c.getRadius(), 0.5 * c.getLength());
        return Double.POSITIVE_INFINITY;
    }

    /** Inverse of a rigid transform. */
    private static void invert(double[] m, double[] out) {
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) out[4 * r + c] = m[4 * c + r];
        for (int r = 0; r < 3; r++) out[4 * r + 3] = -(out[4 * r] * m[3] + out[4 * r + 1] * m[7] + out[4 * r + 2] * m[11]);
        out[12] = 0; out[13] = 0; out[14] = 0; out[15] = 1;
    }
}
