package org.teachlearn.ros.message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.teachlearn.rosmsg.InvalidDefinitionException;
import org.teachlearn.rosmsg.MsgCatalog;
import org.teachlearn.rosmsg.MsgSpec;
import org.teachlearn.rosmsg.SrvSpec;

/**
 * Where the graph tools find a type they are told by name: the classes generated into this build
 * (std_msgs, sensor_msgs, …, teach_learn), else the .msg/.srv files of packages on
 * ROS_PACKAGE_PATH and Debian's /usr/share/PKG.
 */
public final class MessageDefinitions {

    private final MsgCatalog catalog = new MsgCatalog();
    private final String packagePath;
    private boolean packagesLoaded;

    public MessageDefinitions(String rosPackagePath) {
        this.packagePath = rosPackagePath;
    }

    public static MessageDefinitions fromEnvironment() {
        return new MessageDefinitions(System.getenv("ROS_PACKAGE_PATH"));
    }

    public MsgCatalog catalog() {
        return catalog;
    }

    /** A message type: its spec, MD5 sum and full definition text. */
    public record Resolved(MsgSpec spec, String md5, String definition) {
        public MessageType<RawMessage> rawType() {
            return MessageType.raw(spec.fullName(), md5, definition);
        }
    }

    /** A service type: the two halves, and the service's MD5 sum. */
    public record ResolvedService(String name, String md5, Resolved request, Resolved response) {
        public ServiceType<RawMessage, RawMessage> rawType() {
            return new ServiceType<>(name, md5, request.rawType(), response.rawType());
        }
    }

    public synchronized Resolved message(String type) {
        checkName(type);
        Object generated = generated(type);
        if (generated instanceof MessageType<?> t) {
            return new Resolved(catalog.addFullText(type, t.definition()), t.md5(), t.definition());
        }
        loadPackages();
        try {
            return new Resolved(catalog.message(type), catalog.md5(type), catalog.fullText(type));
        } catch (InvalidDefinitionException e) {
            throw new IllegalArgumentException("unknown message type " + type + ": " + e.getMessage());
        }
    }

    public synchronized ResolvedService service(String type) {
        checkName(type);
        Object generated = generated(type);
        if (generated instanceof ServiceType<?, ?> t) {
            Resolved q = new Resolved(catalog.addFullText(t.request().name(), t.request().definition()), t.request().md5(), t.request().definition());
            Resolved r = new Resolved(catalog.addFullText(t.response().name(), t.response().definition()), t.response().md5(), t.response().definition());
            return new ResolvedService(type, t.md5(), q, r);
        }
        loadPackages();
        try {
            SrvSpec s = catalog.service(type);
            return new ResolvedService(type, catalog.serviceMd5(type), resolvedPart(s.request()), resolvedPart(s.response()));
        } catch (InvalidDefinitionException e) {
            throw new IllegalArgumentException("unknown service type " + type + ": " + e.getMessage());
        }
    }

    private static final MessageDefinitions INSTALLED = fromEnvironment();
    private static final Map<String, String> CANONICAL = new ConcurrentHashMap<>();

    /**
     * The type with the definition text the installed ROS packages give it, when they have the type
     * with the same MD5 sum: our bundled definitions say the same in other comments, and rosbag
     * check wants a bag's text to be the system's. Otherwise the type as it is.
     */
    public static <T extends Message> MessageType<T> canonical(MessageType<T> type) {
        if (type.isWildcard() || type.definition().isEmpty() || !type.name().contains("/")) return type;
        String text = CANONICAL.computeIfAbsent(type.name() + " " + type.md5(), k -> INSTALLED.installedText(type.name(), type.md5()));
        return text.isEmpty() || text.equals(type.definition()) ? type : new MessageType<>(type.name(), type.md5(), text, type.factory());
    }

    /** The installed packages' full text of {@code type} if its MD5 sum is {@code md5}; "" otherwise. */
    private synchronized String installedText(String type, String md5) {
        loadPackages();
        try {
            if (!catalog.hasMessage(type) && catalog.packages().stream().noneMatch(p -> type.startsWith(p + "/"))) return "";
            return md5.equals(catalog.md5(type)) ? catalog.fullText(type) : "";
        } catch (RuntimeException e) {
            return "";   // not installed, or unreadable: keep ours
        }
    }

    private Resolved resolvedPart(MsgSpec part) {
        return new Resolved(part, catalog.md5(part.fullName()), catalog.fullText(part.fullName()));
    }

    private static void checkName(String type) {
        if (!type.matches("[A-Za-z][\\w]*/[A-Za-z][\\w]*")) throw new IllegalArgumentException("'" + type + "' is not a type name (package/Type)");
    }

    /** The generated class's TYPE, or null. */
    private static Object generated(String type) {
        String[] p = type.split("/");
        try {
            return Class.forName("org.teachlearn.msgs." + p[0] + "." + p[1]).getField("TYPE").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /**
     * Registers, once, the packages on the package path and Debian's message packages (each with
     * its definitions under /usr/share/PKG beside its package.xml); earlier ones win.
     */
    private void loadPackages() {
        if (packagesLoaded) return;
        packagesLoaded = true;
        catalog.addPackagePath(packagePath);
        try (var dirs = Files.list(Path.of("/usr/share"))) {
            dirs.filter(d -> Files.isRegularFile(d.resolve("package.xml")) && (Files.isDirectory(d.resolve("msg")) || Files.isDirectory(d.resolve("srv"))))
                    .forEach(d -> catalog.addPackage(d.getFileName().toString(), d));
        } catch (java.io.IOException e) {
            // no Debian packages here
        }
    }
}
