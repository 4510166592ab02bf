package org.teachlearn.rosmsg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where message definitions come from, and what ROS derives from them: MD5 sums and full
 * definition texts computed exactly as genmsg computes them. Packages are found in explicit
 * directories, on a {@code ROS_PACKAGE_PATH}, or in definition texts received over the wire.
 */
public final class MsgCatalog {

    private static final String SEPARATOR = "=".repeat(80) + "\n";
    private static final Pattern PACKAGE_NAME = Pattern.compile("<name>\\s*([^<\\s]+)\\s*</name>");

    private final Map<String, Path> packageDirs = new TreeMap<>();
    private final Map<String, MsgSpec> messages = new HashMap<>();
    private final Map<String, SrvSpec> services = new HashMap<>();
    private final Map<String, String> md5s = new HashMap<>();

    /** Adds a package whose definitions are in {@code dir/msg/*.msg} and {@code dir/srv/*.srv}. */
    public synchronized MsgCatalog addPackage(String name, Path dir) {
        packageDirs.putIfAbsent(name, dir);
        return this;
    }

    /**
     * Adds every package under the entries of a {@code ROS_PACKAGE_PATH}-style list (a directory
     * with a package.xml is a package, named by its {@code <name>}); earlier entries win.
     */
    public synchronized MsgCatalog addPackagePath(String rosPackagePath) {
        if (rosPackagePath == null) return this;
        for (String entry : rosPackagePath.split(":")) {
            if (entry.isBlank()) continue;
            Path root = Path.of(entry);
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> walk = Files.walk(root, 4)) {
                walk.filter(p -> p.getFileName() != null && p.getFileName().toString().equals("package.xml"))
                        .sorted()
                        .forEach(p -> packageName(p).ifPresent(n -> addPackage(n, p.getParent())));
            } catch (IOException | UncheckedIOException e) {
                // An unreadable corner of the path hides its packages, as it does for rospack.
            }
        }
        return this;
    }

    private static java.util.Optional<String> packageName(Path packageXml) {
        try {
            Matcher m = PACKAGE_NAME.matcher(Files.readString(packageXml));
            return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Registers one message definition from text. */
    public synchronized MsgSpec addMessage(String fullName, String text) {
        MsgSpec spec = MsgParser.parseMsg(fullName, text);
        messages.put(fullName, spec);
        md5s.clear();
        return spec;
    }

    /**
     * Registers the types in a full definition text (as sent in a TCPROS connection header or
     * stored in a bag): the top type first, then each dependency after an '=' line and
     * {@code MSG: pkg/Name}. Types already known keep their definition.
     */
    public synchronized MsgSpec addFullText(String topType, String fullText) {
        String[] parts = fullText.split("\n" + SEPARATOR, -1);
        for (int i = parts.length - 1; i >= 1; i--) {
            String part = parts[i];
            int nl = part.indexOf('\n');
            String header = nl < 0 ? part : part.substring(0, nl);
            if (!header.startsWith("MSG: ")) {
                throw new InvalidDefinitionException("definition of " + topType
                        + " has a section without 'MSG: pkg/Name': '" + header + "'");
            }
            String type = header.substring(5).strip();
            if (!messages.containsKey(type)) addMessage(type, nl < 0 ? "" : part.substring(nl + 1));
        }
        return messages.containsKey(topType) ? messages.get(topType) : addMessage(topType, parts[0]);
    }

    public synchronized Set<String> packages() {
        return packageDirs.keySet();
    }

    /** Every message and service type the registered package directories define. */
    public synchronized List<String> typesIn(String pkg, String kind) {
        Path dir = packageDirs.get(pkg);
        List<String> out = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir.resolve(kind))) return out;
        try (Stream<Path> files = Files.list(dir.resolve(kind))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("." + kind)).sorted()
                    .forEach(n -> out.add(pkg + "/" + n.substring(0, n.length() - kind.length() - 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public synchronized boolean hasMessage(String fullName) {
        if (messages.containsKey(fullName)) return true;
        Path file = fileOf(fullName, "msg");
        return file != null && Files.isRegularFile(file);
    }

    public synchronized MsgSpec message(String fullName) {
        MsgSpec spec = messages.get(fullName);
        if (spec != null) return spec;
        Path file = fileOf(fullName, "msg");
        if (file == null || !Files.isRegularFile(file)) {
            throw new InvalidDefinitionException("message type " + fullName + " not found (known packages: "
                    + String.join(", ", packageDirs.keySet()) + ")");
        }
        spec = MsgParser.parseMsg(fullName, read(file));
        messages.put(fullName, spec);
        return spec;
    }

    public synchronized SrvSpec service(String fullName) {
        SrvSpec spec = services.get(fullName);
        if (spec != null) return spec;
        Path file = fileOf(fullName, "srv");
        if (file == null || !Files.isRegularFile(file)) {
            throw new InvalidDefinitionException("service type " + fullName + " not found (known packages: "
                    + String.join(", ", packageDirs.keySet()) + ")");
        }
        spec = MsgParser.parseSrv(fullName, read(file));
        services.put(fullName, spec);
        messages.put(spec.request().fullName(), spec.request());
        messages.put(spec.response().fullName(), spec.response());
        return spec;
    }

    private Path fileOf(String fullName, String kind) {
        int slash = fullName.indexOf('/');
        if (slash < 0) return null;
        Path dir = packageDirs.get(fullName.substring(0, slash));
        return dir == null ? null : dir.resolve(kind).resolve(fullName.substring(slash + 1) + "." + kind);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The text genmsg hashes: constants first, then fields, nested types replaced by their MD5. */
    public synchronized String md5Text(MsgSpec spec) {
        StringBuilder b = new StringBuilder();
        for (Constant c : spec.constants()) {
            b.append(c.type()).append(' ').append(c.name()).append('=').append(c.valueText()).append('\n');
        }
        for (Field f : spec.fields()) {
            if (f.type().isBuiltin()) b.append(f.type().text());
            else b.append(md5(f.type().base()));
            b.append(' ').append(f.name()).append('\n');
        }
        return b.toString().strip();
    }

    public synchronized String md5(String fullName) {
        String sum = md5s.get(fullName);
        if (sum == null) {
            sum = hex(md5Text(message(fullName)));
            md5s.put(fullName, sum);
        }
        return sum;
    }

    public synchronized String serviceMd5(String fullName) {
        SrvSpec srv = service(fullName);
        return hex(md5Text(srv.request()) + md5Text(srv.response()));
    }

    /** The message_definition text: the type's own text, then each dependency once, depth first. */
    public synchronized String fullText(String fullName) {
        MsgSpec spec = message(fullName);
        Set<String> deps = new LinkedHashSet<>();
        collectDependencies(spec, deps);
        StringBuilder b = new StringBuilder(spec.text()).append('\n');
        for (String d : deps) {
            b.append(SEPARATOR).append("MSG: ").append(d).append('\n').append(message(d).text()).append('\n');
        }
        return b.substring(0, b.length() - 1);
    }

    /** Every message type this one contains, directly or not, in genmsg's order. */
    public synchronized Set<String> dependencies(String fullName) {
        Set<String> deps = new LinkedHashSet<>();
        collectDependencies(message(fullName), deps);
        return deps;
    }

    private void collectDependencies(MsgSpec spec, Set<String> into) {
        for (Field f : spec.fields()) {
            if (f.type().isBuiltin()) continue;
            into.add(f.type().base());
            collectDependencies(message(f.type().base()), into);
        }
    }

    private static String hex(String text) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder(32);
            for (byte x : d) b.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
