package org.teachlearn.robot.sim;

import static org.teachlearn.robot.kinematics.Transforms.multiply;

import java.util.ArrayList;
import java.util.List;
import org.ode4j.math.DMatrix3;
import org.ode4j.math.DMatrix3C;
import org.ode4j.math.DVector3C;
import org.ode4j.ode.DBody;
import org.ode4j.ode.DBox;
import org.ode4j.ode.DContact;
import org.ode4j.ode.DContactGeomBuffer;
import org.ode4j.ode.DCylinder;
import org.ode4j.ode.DGeom;
import org.ode4j.ode.DJoint;
import org.ode4j.ode.DJointGroup;
import org.ode4j.ode.DMass;
import org.ode4j.ode.DSphere;
import org.ode4j.ode.DWorld;
import org.ode4j.ode.OdeConstants;
import org.ode4j.ode.OdeHelper;
import org.teachlearn.robot.kinematics.Transforms;
import org.teachlearn.robot.urdf.Geometry;
import org.teachlearn.robot.urdf.Link;
import org.teachlearn.robot.urdf.MeshBounds;
import org.teachlearn.robot.urdf.RobotModel;
import org.teachlearn.robot.urdf.Shape;
import org.teachlearn.robot.urdf.UrdfException;

/**
 * The table, the cube on it, and the pairs of shapes that may touch: the cube and the table, the
 * cube and every collision shape of the contact links, and the table and the hand. Each step makes
 * friction contact joints for the touching pairs (a fixed list, tested by bounding spheres first)
 * and tells the wrist sensor of those on the tool. Built once; a step allocates nothing of ours.
 */
final class TableAndCube {

    // three points per touching pair keep a box steady; a fourth only adds solver rows (16.6–17.2 k
    // instead of 15.0–15.9 k steps/s for pick and place, the grasp as reliable)
    static final int MAX_CONTACTS = 3;

    private final DWorld world;
    private final DJointGroup contactGroup;
    private final DBody cube;
    private final DGeom[][] pairs;
    private final double[] pairReach;         // sum of the two bounding radii
    private final int[] pairTool;             // per pair: which geom (1 or 2) is on the tool, 0 for neither
    private final DContactGeomBuffer contactBuffer = new DContactGeomBuffer(MAX_CONTACTS);
    private final DContact contact = new DContact();
    private final DMatrix3 rot = new DMatrix3();

    TableAndCube(DWorld world, DJointGroup contactGroup, ArmWorld.Settings settings, RobotModel model, LinkTree tree, ArmBodies bodies,
            List<String> contactLinks) {
        this.world = world;
        this.contactGroup = contactGroup;
        DBox table = OdeHelper.createBox(1.0, 1.2, 0.1);
        table.setPosition(0.65, 0, settings.tableHeight() - 0.05);
        cube = OdeHelper.createBody(world);
        DMass cm = OdeHelper.createMass();
        double s = settings.cubeSize();
        cm.setBoxTotal(settings.cubeMass(), s, s, s);
        cube.setMass(cm);
        DBox cubeGeom = OdeHelper.createBox(s, s, s);
        cubeGeom.setBody(cube);
        List<DGeom[]> touching = new ArrayList<>();
        touching.add(new DGeom[] {cubeGeom, table});
        for (String l : contactLinks) {
            int li = tree.link(l, "contact link");
            for (DGeom g : collisionGeoms(model.link(l), li, tree, bodies)) {
                g.setData(li);
                touching.add(new DGeom[] {cubeGeom, g});
                // 15 g fingers pressed into a static table at full effort blow the solver up; the palm stops the hand
                if (tree.linkParentJoint[li] < 0) touching.add(new DGeom[] {g, table});
            }
        }
        pairs = touching.toArray(new DGeom[0][]);
        pairTool = new int[pairs.length];
        pairReach = new double[pairs.length];
        for (int p = 0; p < pairs.length; p++) {
            if (isTool(pairs[p][0], tree)) pairTool[p] = 1;
            else if (isTool(pairs[p][1], tree)) pairTool[p] = 2;
            pairReach[p] = radius(pairs[p][0]) + radius(pairs[p][1]);
        }
        contact.surface.mode = OdeConstants.dContactApprox1 | OdeConstants.dContactSoftCFM | OdeConstants.dContactSoftERP;
        contact.surface.mu = settings.friction();
        contact.surface.soft_cfm = 1e-4;
        contact.surface.soft_erp = 0.2;
    }

    /** The most contacts one step can make: what the wrist sensor must have room for. */
    int maxContacts() {
        return pairs.length * MAX_CONTACTS;
    }

    /** Makes this step's contact joints, before the solve; the wrist sensor hears of those on the tool. */
    void collide(WristSensor sensor) {
        for (int p = 0; p < pairs.length; p++) {
            DGeom[] pair = pairs[p];
            DVector3C a = pair[0].getPosition(), b = pair[1].getPosition();
            double dx = a.get0() - b.get0(), dy = a.get1() - b.get1(), dz = a.get2() - b.get2();
            if (dx * dx + dy * dy + dz * dz > pairReach[p] * pairReach[p]) continue;
            int n = OdeHelper.collide(pair[0], pair[1], MAX_CONTACTS, contactBuffer);
            for (int k = 0; k < n; k++) {
                contact.geom.set(contactBuffer.get(k));
                DJoint j = OdeHelper.createContactJoint(world, contactGroup, contact);
                j.attach(pair[0].getBody(), pair[1].getBody());
                if (pairTool[p] != 0) sensor.touch(j, pairTool[p], contact.geom.pos);
            }
        }
    }

    /** Places the cube at rest with its centre at (x, y, z) and turned by yaw about z. */
    void placeCube(double x, double y, double z, double yaw) {
        cube.setPosition(x, y, z);
        double c = Math.cos(yaw), s = Math.sin(yaw);
        rot.set(c, -s, 0, s, c, 0, 0, 0, 1);
        cube.setRotation(rot);
        cube.setLinearVel(0, 0, 0);
        cube.setAngularVel(0, 0, 0);
    }

    /** The cube's pose: x, y, z, and its yaw folded into [−π/4, π/4) (a cube looks the same every quarter turn). */
    void cubePose(double[] out) {
        DVector3C p = cube.getPosition();
        DMatrix3C r = cube.getRotation();
        out[0] = p.get0();
        out[1] = p.get1();
        out[2] = p.get2();
        double yaw = Math.atan2(r.get10(), r.get00());
        out[3] = Task.foldYaw(yaw);
    }

    double cubeSpeed() {
        DVector3C v = cube.getLinearVel();
        return Math.sqrt(v.get0() * v.get0() + v.get1() * v.get1() + v.get2() * v.get2());
    }

    private static boolean isTool(DGeom g, LinkTree tree) {
        return g.getData() instanceof Integer li && tree.onTool[li];
    }

    /** The link's collision shapes, attached to its body (or placed in the world for a static link); a mesh collides as its bounding box. */
    private List<DGeom> collisionGeoms(Link link, int li, LinkTree tree, ArmBodies bodies) {
        List<DGeom> out = new ArrayList<>();
        int b = tree.linkBody[li];
        double[] shape = new double[16], inBody = new double[16], origin = new double[16], offset = new double[16];
        for (Shape s : link.collisions()) {
            DGeom g;
            if (s.geometry() instanceof Geometry.Box box) g = OdeHelper.createBox(box.x(), box.y(), box.z());
            else if (s.geometry() instanceof Geometry.Sphere sp) g = OdeHelper.createSphere(sp.radius());
            else if (s.geometry() instanceof Geometry.Cylinder cy) g = OdeHelper.createCylinder(cy.radius(), cy.length());
            else g = null;
            s.origin().toMatrix(shape);
            if (s.geometry() instanceof Geometry.Mesh mesh) {
                MeshBounds.Box box;
                try {
                    box = MeshBounds.of(mesh, System.getenv());
                } catch (java.io.IOException e) {
                    throw new UrdfException("link '" + link.name() + "': cannot read collision mesh " + mesh.filename() + ": " + e.getMessage());
                }
                g = OdeHelper.createBox(Math.max(box.sx(), 1e-4), Math.max(box.sy(), 1e-4), Math.max(box.sz(), 1e-4));
                System.arraycopy(shape, 0, origin, 0, 16);
                Transforms.translation(new double[] {1, 0, 0}, 0, offset);
                offset[3] = box.cx();
                offset[7] = box.cy();
                offset[11] = box.cz();
                multiply(origin, offset, shape);
            }
            if (b < 0) {
                multiply(tree.buildFrames[li], shape, inBody);
                g.setPosition(inBody[3], inBody[7], inBody[11]);
                rot.set(inBody[0], inBody[1], inBody[2], inBody[4], inBody[5], inBody[6], inBody[8], inBody[9], inBody[10]);
                g.setRotation(rot);
            } else {
                multiply(tree.linkInBody[li], shape, inBody);
                g.setBody(bodies.bodies[b]);
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
        if (g instanceof DSphere s) return s.getRadius();
        if (g instanceof DCylinder c) return Math.hypot(c.getRadius(), 0.5 * c.getLength());
        return Double.POSITIVE_INFINITY;
    }
}
