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

    private Map<String, Object> root = new LinkedHashMap<>();

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
            return;
        }
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
            return true;
        }
        List<String> parts = parts(key);
        Object node = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            if (!(node instanceof Map<?, ?> m)) return false;
            node = m.get(parts.get(i));
        }
        return node instanceof Map<?, ?> m && m.remove(parts.get(parts.size() - 1)) != null;
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
