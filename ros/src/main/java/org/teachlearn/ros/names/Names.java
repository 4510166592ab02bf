package org.teachlearn.ros.names;

import java.util.regex.Pattern;

/**
 * ROS graph names: global ({@code /a/b}), relative ({@code a/b}, resolved in a namespace) and
 * private ({@code ~a}, resolved under the node's own name), as rospy's names.py defines them.
 */
public final class Names {

    private static final Pattern LEGAL = Pattern.compile("[~/]?([A-Za-z][\\w]*)?(/[A-Za-z][\\w]*)*/?");

    private Names() {
    }

    public static boolean isGlobal(String name) {
        return name.startsWith("/");
    }

    public static boolean isPrivate(String name) {
        return name.startsWith("~");
    }

    public static boolean isLegal(String name) {
        return name != null && (name.isEmpty() || LEGAL.matcher(name).matches());
    }

    /** Collapses repeated slashes and drops a trailing one; "" and "/" stay as they are. */
    public static String canonical(String name) {
        if (name.isEmpty() || name.equals("/")) return name;
        StringBuilder b = new StringBuilder(name.length());
        char prev = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' && prev == '/') continue;
            b.append(c);
            prev = c;
        }
        if (b.length() > 1 && b.charAt(b.length() - 1) == '/') b.setLength(b.length() - 1);
        return b.toString();
    }

    /** {@code /a/b/c} → {@code /a/b/}; {@code /c} → {@code /}. */
    public static String namespaceOf(String name) {
        String c = canonical(name);
        if (c.equals("/") || c.isEmpty()) return "/";
        int slash = c.lastIndexOf('/');
        return slash <= 0 ? "/" : c.substring(0, slash + 1);
    }

    public static String join(String namespace, String name) {
        if (isGlobal(name)) return canonical(name);
        if (namespace.isEmpty()) return canonical(name);
        return canonical(namespace + "/" + name);
    }

    /**
     * Resolves a name as a node does: global names stay, {@code ~x} goes under the node's full
     * name, anything else under the node's namespace.
     */
    public static String resolve(String name, String namespace, String nodeFullName) {
        if (!isLegal(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a legal ROS name");
        }
        if (name.isEmpty()) return canonical(namespace.isEmpty() ? "/" : ensureGlobal(namespace));
        if (isGlobal(name)) return canonical(name);
        if (isPrivate(name)) return canonical(nodeFullName + "/" + name.substring(1));
        return canonical(ensureGlobal(namespace) + "/" + name);
    }

    /** Resolves a name the way the master does, relative to the caller's namespace. */
    public static String resolveForCaller(String name, String callerId) {
        if (isGlobal(name)) return canonical(name);
        if (isPrivate(name)) return canonical(ensureGlobal(callerId) + "/" + name.substring(1));
        return canonical(namespaceOf(ensureGlobal(callerId)) + name);
    }

    public static String ensureGlobal(String name) {
        return name.startsWith("/") ? name : "/" + name;
    }

    /** The last segment of a name: {@code /a/b} → {@code b}. */
    public static String baseName(String name) {
        String c = canonical(name);
        return c.substring(c.lastIndexOf('/') + 1);
    }
}
