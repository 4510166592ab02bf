package org.teachlearn.robot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.robot.urdf.Geometry;
import org.teachlearn.robot.urdf.MeshBounds;
import org.teachlearn.robot.urdf.UrdfException;

/** Collision meshes collide as the box around them. */
class MeshBoundsTest {

    /** Two triangles spanning x 1..1.1, y -0.1..0.1, z 0..0.3. */
    static final float[][] TRIANGLES = {{1, -0.1f, 0, 1.1f, 0.1f, 0, 1, 0.1f, 0.3f}, {1.1f, -0.1f, 0.3f, 1, 0, 0.1f, 1.05f, 0.1f, 0.2f}};

    @Test
    void binaryStlIsBoundedAndScaled(@TempDir Path dir) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(84 + 50 * TRIANGLES.length).order(ByteOrder.LITTLE_ENDIAN);
        b.position(80);
        b.putInt(TRIANGLES.length);
        for (float[] t : TRIANGLES) {
            for (int k = 0; k < 3; k++) b.putFloat(0);
            for (float v : t) b.putFloat(v);
            b.putShort((short) 0);
        }
        Path stl = dir.resolve("part.stl");
        Files.write(stl, b.array());
        MeshBounds.Box box = MeshBounds.of(new Geometry.Mesh("file://" + stl, 2, 1, 1), Map.of());
        assertEquals(2.1, box.cx(), 1e-6);
        assertEquals(0.2, box.sx(), 1e-6);
        assertEquals(0.2, box.sy(), 1e-6);
        assertEquals(0.15, box.cz(), 1e-6);
        assertEquals(0.3, box.sz(), 1e-6);
    }

    @Test
    void asciiStlFoundThroughRosPackagePath(@TempDir Path dir) throws Exception {
        StringBuilder s = new StringBuilder("solid part\n");
        for (float[] t : TRIANGLES) {
            s.append("facet normal 0 0 1\nouter loop\n");
            for (int v = 0; v < 3; v++) s.append("vertex ").append(t[3 * v]).append(' ').append(t[3 * v + 1]).append(' ').append(t[3 * v + 2]).append('\n');
            s.append("endloop\nendfacet\n");
        }
        s.append("endsolid part\n");
        Path pkg = dir.resolve("my_arm");
        Files.createDirectories(pkg.resolve("meshes"));
        Files.writeString(pkg.resolve("meshes/part.stl"), s);
        MeshBounds.Box box = MeshBounds.of(new Geometry.Mesh("package://my_arm/meshes/part.stl", 1, 1, 1),
                Map.of("ROS_PACKAGE_PATH", "/nowhere:" + dir));
        assertEquals(1.05, box.cx(), 1e-6);
        assertEquals(0.3, box.sz(), 1e-6);
    }

    @Test
    void aSimulatedHandWithAMeshCollidesAsItsBox(@TempDir Path dir) throws Exception {
        binaryStlIsBoundedAndScaled(dir);
        String urdf = Files.readString(Path.of("../urdf/teach_arm.urdf")).replace(
                "<collision><origin xyz=\"0 0 0.03\" rpy=\"0 0 0\"/><geometry><box size=\"0.05 0.2 0.06\"/></geometry></collision>",
                "<collision><origin xyz=\"0 0 0.03\" rpy=\"0 0 0\"/><geometry><mesh filename=\"file://" + dir.resolve("part.stl")
                        + "\" scale=\"0.2 1 0.2\"/></geometry></collision>");
        assertTrue(urdf.contains("part.stl"), "the test URDF should carry the mesh");
        org.teachlearn.robot.sim.Simulation sim = new org.teachlearn.robot.sim.Simulation(
                org.teachlearn.robot.urdf.UrdfParser.parse(urdf), org.teachlearn.robot.arm.ArmLayout.TEACH_ARM,
                org.teachlearn.robot.sim.ArmWorld.Settings.WITH_OBJECTS,
                org.teachlearn.robot.sim.Simulation.Settings.defaults(org.teachlearn.robot.control.ControlMode.POSITION),
                org.teachlearn.robot.sim.Task.named("pick_place"));
        sim.reset(3);
        double[] q = new double[7];
        sim.armPositions(q);
        for (int k = 0; k < 20; k++) sim.step(q, 0.04);
        assertTrue(Double.isFinite(sim.reward()));
    }

    @Test
    void otherFormatsAskForAPrimitive(@TempDir Path dir) throws Exception {
        Path dae = dir.resolve("part.dae");
        Files.writeString(dae, "<COLLADA/>");
        UrdfException e = assertThrows(UrdfException.class, () -> MeshBounds.of(new Geometry.Mesh(dae.toString(), 1, 1, 1), Map.of()));
        assertTrue(e.getMessage().contains("only STL"), e.getMessage());
    }
}
