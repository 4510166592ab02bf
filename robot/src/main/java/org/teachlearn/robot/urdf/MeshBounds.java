package org.teachlearn.robot.urdf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The axis-aligned box around a mesh, in the mesh's own frame and scaled: what the simulator
 * collides with in its place. Reads STL (binary and ASCII); meshes are found by
 * {@code package://PKG/...} (through {@code ROS_PACKAGE_PATH}), {@code file://} or a path.
 */
public final class MeshBounds {

    /** Centre (x, y, z) and full size (x, y, z). */
    public record Box(double cx, double cy, double cz, double sx, double sy, double sz) { }

    private MeshBounds() {
    }

    public static Box of(Geometry.Mesh mesh, Map<String, String> env) throws IOException {
        Path file = resolve(mesh.filename(), env.getOrDefault("ROS_PACKAGE_PATH", ""));
        String name = file.getFileName().toString().toLowerCase();
        if (!name.endsWith(".stl")) {
            throw new UrdfException("mesh " + mesh.filename() + ": only STL meshes can be bounded for collisions; give the link a box,"
                    + " cylinder or sphere <collision> instead");
        }
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        byte[] bytes = Files.readAllBytes(file);
        if (isBinary(bytes)) readBinary(bytes, lo, hi, mesh.filename());
        else readAscii(new String(bytes, StandardCharsets.US_ASCII), lo, hi, mesh.filename());
        if (lo[0] > hi[0]) throw new UrdfException("mesh " + mesh.filename() + " has no vertices");
        double[] s = {mesh.sx(), mesh.sy(), mesh.sz()};
        double[] c = new double[3], size = new double[3];
        for (int a = 0; a < 3; a++) {
            c[a] = 0.5 * (lo[a] + hi[a]) * s[a];
            size[a] = Math.abs(hi[a] - lo[a]) * Math.abs(s[a]);
        }
        return new Box(c[0], c[1], c[2], size[0], size[1], size[2]);
    }

    static Path resolve(String uri, String rosPackagePath) {
        if (uri.startsWith("file://")) return Path.of(uri.substring("file://".length()));
        if (uri.startsWith("package://")) {
            String rest = uri.substring("package://".length());
            int slash = rest.indexOf('/');
            if (slash < 0) throw new UrdfException("mesh " + uri + " names no file inside the package");
            String pkg = rest.substring(0, slash);
            for (String dir : rosPackagePath.split(":")) {
                if (dir.isEmpty()) continue;
                Path candidate = Path.of(dir, pkg);
                if (!Files.isDirectory(candidate)) candidate = Path.of(dir);   // the path entry is the package itself
                if (candidate.getFileName() != null && candidate.getFileName().toString().equals(pkg)
                        && Files.exists(candidate.resolve(rest.substring(slash + 1)))) {
                    return candidate.resolve(rest.substring(slash + 1));
                }
            }
            throw new UrdfException("mesh " + uri + ": package '" + pkg + "' is not on ROS_PACKAGE_PATH (" + rosPackagePath + ")");
        }
        return Path.of(uri);
    }

    /** Binary STL: an 80-byte header, a triangle count, 50 bytes per triangle; ASCII starts with "solid" and has no such size. */
    private static boolean isBinary(byte[] b) {
        if (b.length < 84) return false;
        long n = ByteBuffer.wrap(b, 80, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        return 84 + 50 * n == b.length;
    }

    private static void readBinary(byte[] b, double[] lo, double[] hi, String name) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int n = buf.getInt(80);
        for (int t = 0; t < n; t++) {
            int at = 84 + 50 * t + 12;   // skip the normal
            for (int v = 0; v < 3; v++) {
                for (int a = 0; a < 3; a++) grow(buf.getFloat(at + 12 * v + 4 * a), a, lo, hi);
            }
        }
    }

    private static void readAscii(String text, double[] lo, double[] hi, String name) {
        for (String line : text.split("\n")) {
            String l = line.trim();
            if (!l.startsWith("vertex")) continue;
            String[] p = l.split("\\s+");
            if (p.length != 4) throw new UrdfException("mesh " + name + ": bad vertex line '" + l + "'");
            for (int a = 0; a < 3; a++) grow(Double.parseDouble(p[a + 1]), a, lo, hi);
        }
    }

    private static void grow(double v, int a, double[] lo, double[] hi) {
        lo[a] = Math.min(lo[a], v);
        hi[a] = Math.max(hi[a], v);
    }
}
