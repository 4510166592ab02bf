package org.teachlearn.ros.master;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.teachlearn.ros.names.Names;

/**
 * The parameter server's store: a tree of namespaces whose leaves are XML-RPC values. A map set
 * at a key replaces the whole namespace under it; getting a namespace returns it as a map.
 * Not thread-safe; the master serialises access.
 */
final class ParameterTree {

    private static final int ENTRY_BYTES = 64; // a map entry with its boxes, roughly

    private Map<String, Object> root = new LinkedHashMap<>();
    private long bytes;

    /** Estimated heap taken by the tree (never less than the truth by much, so the cap holds). */
    long bytes() {
        return bytes;
    }

    /**
     * What {@link #bytes} would be after {@code set(key, value)}: checked before the value is stored.
     * Only the names the set adds are charged (setting the same key again costs nothing new), and
     * what it replaces — the old value, or a non-namespace in the way — is taken off.
     */
    long bytesIfSet(String key, Object value) {
        if (key.equals("/")) return sizeOf(value);
        List<String> parts = parts(key);
        Object node = root;
        long added = 0, displaced = 0;
        for (int i = 0; i < parts.size(); i++) {
            Object child = ((Map<?, ?>) node).get(parts.get(i));
            boolean last = i == parts.size() - 1;
            if (child == null || (!last && !(child instanceof Map<?, ?>))) {
                if (child != null) displaced = sizeOf(child);
                for (int j = i; j < parts.size(); j++) added += ENTRY_BYTES + 2L * parts.get(j).length();
                break;
            }
            if (last) displaced = sizeOf(child);
            node = child;
        }
        return bytes - displaced + added + sizeOf(value);
    }

    /** Estimated heap size of an XML-RPC value: strings at two bytes a char, containers by entry. */
    static long sizeOf(Object v) {
        if (v instanceof Map<?, ?> m) {
            long n = ENTRY_BYTES;
            for (Map.Entry<?, ?> e : m.entrySet()) n += ENTRY_BYTES + 2L * String.valueOf(e.getKey()).length() + sizeOf(e.getValue());
            return n;
        }
        if (v instanceof List<?> l) {
            long n = ENTRY_BYTES;
            for (Object x : l) n += 8 + sizeOf(x);
            return n;
        }
        if (v instanceof String s) return 48 + 2L * s.length();
        if (v instanceof byte[] b) return 24 + b.length;
        return 24;
    }

    Object get(String key) {
        if (key.equals("/")) return copy(root);
        Object node = root;
        for (String part : parts(key)) {
            if (!(node instanceof Map<?, ?> m) || !m.containsKey(part)) return null;
            node = m.get(part);
        }
        return copy(node);
    }

    boolean has(String key) {
        return key.equals("/") || get(key) != null;
    }

    void set(String key, Object value) {
        if (key.equals("/")) {
            if (!(value instanceof Map<?, ?>)) throw new IllegalArgumentException("the root namespace can only be set to a dictionary");
            root = (Map<String, Object>) copy(value);
            bytes = sizeOf(root);
            return;
        }
        bytes = bytesIfSet(key, value);
        List<String> parts = parts(key);
        Map<String, Object> node = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            Object child = node.get(parts.get(i));
            if (!(child instanceof Map<?, ?>)) {
                child = new LinkedHashMap<String, Object>();
                node.put(parts.get(i), child);
            }
            node = (Map<String, Object>) child;
        }
        node.put(parts.get(parts.size() - 1), copy(value));
    }

    boolean delete(String key) {
        if (key.equals("/")) {
            root = new LinkedHashMap<>();
            bytes = 0;
            return true;
        }
        List<String> parts = parts(key);
        Object node = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            if (!(node instanceof Map<?, ?> m)) return false;
            node = m.get(parts.get(i));
        }
        boolean removed = node instanceof Map<?, ?> m && m.remove(parts.get(parts.size() - 1)) != null;
        if (removed) bytes = sizeOf(root); // deletes are rare: recount rather than let the estimate drift
        return removed;
    }

    /** Every leaf key, as getParamNames lists them. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        collect("", root, out);
        return out;
    }

    private static void collect(String prefix, Map<?, ?> node, List<String> out) {
        for (Map.Entry<?, ?> e : node.entrySet()) {
            String key = prefix + "/" + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m && !m.isEmpty()) collect(key, m, out);
            else out.add(key);
        }
    }

    /**
     * searchParam: look for the first segment of {@code key} in {@code namespace} and each of its
     * parents, nearest first; returns the full key found, or null.
     */
    String search(String namespace, String key) {
        if (Names.isGlobal(key)) return has(key) ? key : null;
        String first = key.contains("/") ? key.substring(0, key.indexOf('/')) : key;
        String ns = Names.canonical(namespace);
        while (true) {
            String candidate = Names.join(ns, first);
            if (has(candidate)) return Names.join(ns, key);
            if (ns.equals("/") || ns.isEmpty()) return null;
            ns = Names.namespaceOf(ns);
            if (ns.length() > 1) ns = ns.substring(0, ns.length() - 1);
        }
    }

    private static List<String> parts(String key) {
        List<String> out = new ArrayList<>();
        for (String p : key.split("/")) if (!p.isEmpty()) out.add(p);
        if (out.isEmpty()) throw new IllegalArgumentException("empty parameter key");
        return out;
    }

    static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), copy(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) out.add(copy(x));
            return out;
        }
        return v;
    }
}
