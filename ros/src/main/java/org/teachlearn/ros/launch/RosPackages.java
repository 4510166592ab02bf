package org.teachlearn.ros.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Finds ROS packages and their node executables as rospack and roslaunch do: packages are folders
 * with a {@code package.xml} under {@code ROS_PACKAGE_PATH} (not looking below a package or a
 * {@code CATKIN_IGNORE}), then Debian's {@code /usr/share/PKG}; executables are in Debian's
 * {@code /usr/lib/PKG} (catkin's libexec) or anywhere in the package.
 */
public final class RosPackages {

    private static final Pattern NAME = Pattern.compile("<name>\\s*([^<\\s]+)\\s*</name>");

    private final List<Path> roots = new ArrayList<>();
    private final Map<String, Path> found = new HashMap<>();
    private final Map<String, Path> fallbacks = new HashMap<>();
    private boolean crawled;

    /** {@code packagePath} as ROS_PACKAGE_PATH writes it (may be null). */
    public RosPackages(String packagePath) {
        if (packagePath != null) {
            for (String p : packagePath.split(":")) if (!p.isBlank()) roots.add(Path.of(p));
        }
    }

    public static RosPackages fromEnvironment() {
        return new RosPackages(System.getenv("ROS_PACKAGE_PATH"));
    }

    /** A package found where nothing else has it (teach_learn itself, run from its checkout). */
    public RosPackages withFallback(String name, Path dir) {
        fallbacks.put(name, dir);
        return this;
    }

    /** The package's folder. */
    public synchronized Optional<Path> find(String pkg) {
        crawl();
        Path p = found.get(pkg);
        if (p == null && Files.isRegularFile(Path.of("/usr/share", pkg, "package.xml"))) p = Path.of("/usr/share", pkg);
        if (p == null) p = fallbacks.get(pkg);
        return Optional.ofNullable(p);
    }

    /** The executable {@code type} of package {@code pkg}. */
    public Optional<Path> executable(String pkg, String type) throws IOException {
        Path libexec = Path.of("/usr/lib", pkg, type);
        if (Files.isRegularFile(libexec) && Files.isExecutable(libexec)) return Optional.of(libexec);
        return file(pkg, type, true);
    }

    /** The first file named {@code name} anywhere in package {@code pkg} (roslaunch's {@code PKG FILE}). */
    public Optional<Path> file(String pkg, String name) throws IOException {
        return file(pkg, name, false);
    }

    private Optional<Path> file(String pkg, String name, boolean executable) throws IOException {
        Optional<Path> dir = find(pkg);
        if (dir.isEmpty()) return Optional.empty();
        Path[] hit = new Path[1];
        Files.walkFileTree(dir.get(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                String n = d.getFileName() == null ? "" : d.getFileName().toString();
                boolean skip = !d.equals(dir.get()) && (n.startsWith(".") || SKIPPED.contains(n));
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                if (!f.getFileName().toString().equals(name) || !a.isRegularFile() || (executable && !Files.isExecutable(f))) {
                    return FileVisitResult.CONTINUE;
                }
                hit[0] = f;
                return FileVisitResult.TERMINATE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return Optional.ofNullable(hit[0]);
    }

    // Build outputs and data, never where a node executable or launch file lives.
    private static final java.util.Set<String> SKIPPED = java.util.Set.of("target", "node_modules", "runs", "build");

    private void crawl() {
        if (crawled) return;
        crawled = true;
        for (Path root : roots) crawl(root, 0);
    }

    private void crawl(Path dir, int depth) {
        if (depth > 16 || !Files.isDirectory(dir) || Files.exists(dir.resolve("CATKIN_IGNORE"))) return;
        Path manifest = dir.resolve("package.xml");
        if (Files.isRegularFile(manifest)) {
            try {
                Matcher m = NAME.matcher(Files.readString(manifest));
                if (m.find()) found.putIfAbsent(m.group(1), dir);
            } catch (IOException e) {
                // unreadable manifest: not a package we can use
            }
            return;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path c : children.sorted().toList()) {
                String n = c.getFileName().toString();
                if (!n.startsWith(".") && !SKIPPED.contains(n)) crawl(c, depth + 1);
            }
        } catch (IOException e) {
            // unreadable folder: rospack skips it too
        }
    }
}
