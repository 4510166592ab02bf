package org.teachlearn.robot.sim;

import java.util.List;
import org.ode4j.ode.DJointGroup;
import org.ode4j.ode.DMisc;
import org.ode4j.ode.DWorld;
import org.ode4j.ode.OdeHelper;
import org.teachlearn.robot.urdf.Joint;
import org.teachlearn.robot.urdf.RobotModel;

/**
 * The ODE world of one arm, built from its URDF: a rigid body per link that moves (links fixed to
 * it are lumped in, {@link LinkTree}), a hinge or slider per movable joint with the URDF limits as
 * stops ({@link ArmJoints}), optionally a table and a cube that touch the hand with friction
 * ({@link TableAndCube}), and a wrist force/torque sensor ({@link WristSensor}). Joint efforts,
 * motor velocities and external wrenches go in; joint positions, velocities and the sensed wrench
 * come out.
 *
 * <p>As MuJoCo's model and data: everything is built once in the constructor; {@link #step()}
 * only changes the state and allocates nothing of ours (ode4j allocates internally). ODE measures
 * joint angles from the pose the world was built in, so it is built at the middle of every
 * joint's range (hinges read ±π around it) and readings are shifted back.
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
     * Start from {@link #ARM_ONLY} or {@link #WITH_OBJECTS} and change what differs with the
     * {@code with…} methods.
     */
    public record Settings(double dt, int solverIterations, boolean objects, double cubeSize, double cubeMass,
            double friction, double tableHeight, double toolMass, double[] toolCom) {

        /** A lone arm at 500 Hz, always the exact stepper; no table, no cube. */
        public static final Settings ARM_ONLY = new Settings(0.002, 0, false, 0.05, 0.1, 1.0, 0.0, 0.0, new double[3]);
        /** The arm with a table and a 5 cm, 100 g cube: quickStep at 40 iterations when the tool touches, friction 1.5. */
        public static final Settings WITH_OBJECTS = ARM_ONLY.withObjects(true).withSolverIterations(40).withFriction(1.5);

        public static Settings defaults() {
            return ARM_ONLY;
        }

        /** Seconds per physics step. */
        public Settings withDt(double dt) {
            return new Settings(dt, solverIterations, objects, cubeSize, cubeMass, friction, tableHeight, toolMass, toolCom);
        }

        /** quickStep iterations for steps in which the tool touches something; 0 for the exact stepper always. */
        public Settings withSolverIterations(int solverIterations) {
            return new Settings(dt, solverIterations, objects, cubeSize, cubeMass, friction, tableHeight, toolMass, toolCom);
        }

        public Settings withObjects(boolean objects) {
            return new Settings(dt, solverIterations, objects, cubeSize, cubeMass, friction, tableHeight, toolMass, toolCom);
        }

        /** The cube's edge (m) and mass (kg). */
        public Settings withCube(double cubeSize, double cubeMass) {
            return new Settings(dt, solverIterations, objects, cubeSize, cubeMass, friction, tableHeight, toolMass, toolCom);
        }

        /** Coulomb friction of every contact. */
        public Settings withFriction(double friction) {
            return new Settings(dt, solverIterations, objects, cubeSize, cubeMass, friction, tableHeight, toolMass, toolCom);
        }

        /** Height of the table's top (m), in the world frame. */
        public Settings withTableHeight(double tableHeight) {
            return new Settings(dt, solverIterations, objects, cubeSize, cubeMass, friction, tableHeight, toolMass, toolCom);
        }

        /**
         * A tool of {@code mass} kg carried on the link after the wrist sensor, its centre of mass at
         * {@code com} (x, y, z in m, in that link's frame): a point mass added to that link's body, so the
         * arm carries it and a raw wrist sensor weighs it. Needs a sensor link; 0 kg (the default) is none.
         */
        public Settings withTool(double mass, double[] com) {
            if (!(mass >= 0) || !Double.isFinite(mass)) throw new IllegalArgumentException("tool mass " + mass + " kg must be finite and 0 or more");
            if (com == null || com.length != 3 || !Double.isFinite(com[0] + com[1] + com[2])) {
                throw new IllegalArgumentException("tool centre of mass must be 3 finite numbers [x, y, z] in m, got "
                        + java.util.Arrays.toString(com));
            }
            return new Settings(dt, solverIterations, objects, cubeSize, cubeMass, friction, tableHeight, mass, com.clone());
        }
    }

    // the model, built once
    private final Settings settings;
    private final DJointGroup contactGroup = OdeHelper.createJointGroup();
    private final DWorld world;
    private final LinkTree tree;
    private final ArmBodies bodies;
    private final ArmJoints joints;
    private final TableAndCube objects;       // null without Settings.objects
    private final WristSensor sensor;

    // the state that is stepped, beyond ODE's bodies: joint efforts and turns live in joints
    private final ExternalWrenches external;
    private PhysicsMeter meter;

    // ODE's global initialisation is not thread-safe: two simulators built at once in one JVM (a
    // launch file with several workers) failed an ODE assertion. Class initialisation runs it once.
    static {
        OdeHelper.initODE2(0);
    }

    /**
     * @param sensorLinkName the link right after the wrist force/torque sensor (its parent joint
     *        must be fixed; its frame is the sensor's), or null for none
     * @param contactLinks links whose collision shapes touch the table and the cube
     */
    public ArmWorld(RobotModel model, Settings settings, String sensorLinkName, List<String> contactLinks) {
        this.settings = settings;
        world = OdeHelper.createWorld();
        world.setGravity(0, 0, -9.81);
        world.setQuickStepNumIterations(Math.max(1, settings.solverIterations()));
        world.setERP(0.2);
        world.setCFM(1e-9);
        world.setContactSurfaceLayer(0.0005);
        world.setContactMaxCorrectingVel(0.5);
        // creation order is part of the physics (ODE solves bodies and joints in the order made):
        // arm bodies, arm joints, then the cube
        tree = new LinkTree(model, sensorLinkName, settings.objects(), settings.toolMass(), settings.toolCom());
        bodies = new ArmBodies(world, tree);
        joints = new ArmJoints(world, tree, bodies);
        objects = settings.objects() ? new TableAndCube(world, contactGroup, settings, model, tree, bodies, contactLinks) : null;
        sensor = new WristSensor(tree, objects == null ? 0 : objects.maxContacts(), settings.toolMass(), settings.toolCom());
        external = new ExternalWrenches(tree);
        setJointPositions(tree.buildPosition);
    }

    // --- names and sizes ---

    public String[] jointNames() {
        return tree.jointNames.clone();
    }

    public int jointCount() {
        return joints.count();
    }

    public int jointIndex(String name) {
        String[] names = tree.jointNames;
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
        throw new IllegalArgumentException("joint '" + name + "' is not a movable joint of the simulated robot (joints are: "
                + String.join(", ", names) + ")");
    }

    public Joint joint(int i) {
        return tree.joints[i];
    }

    public boolean hasLink(String name) {
        return tree.linkIndex.containsKey(name);
    }

    /** Whether the link moves (a wrench on it acts); false for links fixed to the world and for unknown names. */
    public boolean isMovable(String name) {
        Integer li = tree.linkIndex.get(name);
        return li != null && tree.linkBody[li] >= 0;
    }

    public Settings settings() {
        return settings;
    }

    // --- state in and out ---

    /** Teleports the robot to joint positions {@code q} (one per movable joint), at rest. */
    public void setJointPositions(double[] q) {
        bodies.placeAt(q);
        joints.resetAt(q);
    }

    /** Joint i's position, read from the two bodies' poses. */
    public double position(int i) {
        return joints.position(i);
    }

    public double velocity(int i) {
        return joints.velocity(i);
    }

    /** The effort applied at joint i over the last step (controller plus damping), N m or N. */
    public double effort(int i) {
        return joints.effort(i);
    }

    /** Adds an effort (N m or N) at joint i for the next step only. */
    public void addEffort(int i, double e) {
        joints.addEffort(i, e);
    }

    /**
     * Drives joint i toward {@code velocity} through ODE's joint motor, with at most
     * {@code maxEffort}; a {@code damping} above 0 (N m s/rad or N s/m) makes the motor a damper
     * solved implicitly, effort = damping (velocity − joint velocity), so stiff gains on light
     * joints stay stable at large steps. Damping 0 makes it rigid; maxEffort 0 releases it.
     */
    public void setMotor(int i, double velocity, double maxEffort, double damping) {
        joints.setMotor(i, velocity, maxEffort, damping);
    }

    /** Notes an effort applied through the motor, for joint_states. */
    public void noteEffort(int i, double e) {
        joints.noteEffort(i, e);
    }

    /** Clears the efforts noted for joint_states; call before a step's controllers add theirs. */
    public void clearEfforts() {
        joints.clearEfforts();
    }

    /**
     * Holds a force and torque, expressed in the link's frame and applied at its origin, on a link
     * until replaced; zeros release it.
     */
    public void setExternalWrench(String link, double fx, double fy, double fz, double tx, double ty, double tz) {
        Integer li = tree.linkIndex.get(link);
        if (li == null) throw new IllegalArgumentException("no link '" + link + "' in the simulated robot");
        if (tree.linkBody[li] < 0) throw new IllegalArgumentException("link '" + link + "' is fixed to the world; a wrench on it does nothing");
        external.set(li, fx, fy, fz, tx, ty, tz);
    }

    public void clearExternalWrenches() {
        external.clear();
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
        joints.applyDamping();
        external.apply(bodies);
        if (meter != null) meter.enter();
        sensor.beginStep();
        if (objects != null) objects.collide(sensor);
        // the exact stepper whenever the hand touches nothing: faster for a lone arm and free of jitter
        boolean quick = settings.solverIterations() > 0 && sensor.touching();
        if (quick) world.quickStep(settings.dt());
        else world.step(settings.dt());
        contactGroup.empty();
        if (meter != null) meter.exit();
        sensor.endStep(bodies, quick);
        joints.endStep(settings.dt());
    }

    /** Resets ODE's solver shuffling (quickStep only) so a seeded episode replays exactly. */
    public static void seedSolver(long seed) {
        DMisc.dRandSetSeed(seed & 0x7fffffffL);
    }

    /**
     * The wrist sensor's reading: force then torque, in the sensor link's frame, about its origin,
     * into {@code out[6]}; contacts averaged since {@link #restartSensor}. Zeros when there is no
     * sensor. By default ({@link WristSensorModel#IDEAL}) the wrench the world applies to what hangs
     * beyond the sensor (contacts, a person's hand; not gravity, not inertia), as a bias- and
     * gravity-compensated sensor reports it; a raw model adds the weight of everything beyond the
     * sensor, a bias and noise ({@link #setWristSensorModel}).
     */
    public void sensedWrench(double[] out) {
        sensor.read(bodies, external, out);
    }

    /** How the wrist sensor reports (ideal by default); takes effect at the next reading. */
    public void setWristSensorModel(WristSensorModel model) {
        sensor.setModel(model);
    }

    public WristSensorModel wristSensorModel() {
        return sensor.model();
    }

    /** Restarts the sensor noise from {@code seed}, so a seeded episode reads the same noise. */
    public void seedSensorNoise(long seed) {
        sensor.seedNoise(seed);
    }

    /**
     * What hangs beyond the wrist sensor (its links from the URDF and the tool) at the current joint
     * positions: mass in kg, then its centre of mass x, y, z in m in the sensor link's frame, into
     * {@code out[4]} — the {@code tool_mass} and {@code tool_com} that gravity compensation behind this
     * sensor needs. Zeros without a sensor.
     */
    public void wristLoad(double[] out) {
        sensor.load(bodies, out);
    }

    /** Starts a new averaging window for the contact part of {@link #sensedWrench} (once per control period). */
    public void restartSensor() {
        sensor.restart();
    }

    /** World pose of a link as a row-major 4x4 into {@code out[16]}, from the simulated bodies. */
    public void linkPose(String link, double[] out) {
        Integer li = tree.linkIndex.get(link);
        if (li == null) throw new IllegalArgumentException("no link '" + link + "' in the simulated robot");
        bodies.linkPose(li, out);
    }

    // --- the cube ---

    /** Places the cube at rest with its centre at (x, y, z) and turned by yaw about z. */
    public void placeCube(double x, double y, double z, double yaw) {
        requireObjects().placeCube(x, y, z, yaw);
    }

    /** The cube's pose: x, y, z, and its yaw folded into [−π/4, π/4) (a cube looks the same every quarter turn). */
    public void cubePose(double[] out) {
        requireObjects().cubePose(out);
    }

    public double cubeSpeed() {
        return requireObjects().cubeSpeed();
    }

    private TableAndCube requireObjects() {
        if (objects == null) throw new IllegalStateException("this world was built without objects (Settings.objects)");
        return objects;
    }
}
