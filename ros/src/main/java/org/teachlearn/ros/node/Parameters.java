package org.teachlearn.ros.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.teachlearn.ros.names.Names;

/**
 * The parameter server as a node sees it: names resolved like topics ({@code ~rate} is private),
 * typed getters whose errors say what was found, and subscriptions the master keeps up to date.
 */
public final class Parameters {

    private final Node node;
    private final Map<String, List<Consumer<Object>>> listeners = new ConcurrentHashMap<>();

    Parameters(Node node) {
        this.node = node;
    }

    public Optional<Object> get(String name) {
        try {
            return Optional.of(node.master().call("getParam", node.resolve(name)));
        } catch (MasterClient.MasterException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Object require(String name) {
        return get(name).orElseThrow(() -> new IllegalArgumentException("parameter " + node.resolve(name) + " is not set"));
    }

    public void set(String name, Object value) {
        try {
            node.master().call("setParam", node.resolve(name), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean has(String name) {
        try {
            return Boolean.TRUE.equals(node.master().call("hasParam", node.resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean delete(String name) {
        try {
            node.master().call("deleteParam", node.resolve(name));
            return true;
        } catch (MasterClient.MasterException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** searchParam: the nearest key of that name in this node's namespace or above it. */
    public Optional<String> search(String name) {
        try {
            return Optional.of(String.valueOf(node.master().call("searchParam", name)));
        } catch (MasterClient.MasterException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> names() {
        try {
            List<String> out = new ArrayList<>();
            for (Object o : (List<?>) node.master().call("getParamNames")) out.add(String.valueOf(o));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public double getDouble(String name, double fallback) {
        Object v = get(name).orElse(fallback);
        if (v instanceof Number n) return n.doubleValue();
        throw wrongType(name, v, "a number");
    }

    public int getInt(String name, int fallback) {
        Object v = get(name).orElse(fallback);
        if (v instanceof Integer n) return n;
        if (v instanceof Long n && n == n.intValue()) return n.intValue();
        throw wrongType(name, v, "an integer");
    }

    public boolean getBool(String name, boolean fallback) {
        Object v = get(name).orElse(fallback);
        if (v instanceof Boolean b) return b;
        throw wrongType(name, v, "true or false");
    }

    public String getString(String name, String fallback) {
        Object v = get(name).orElse(fallback);
        if (v instanceof String s) return s;
        throw wrongType(name, v, "a string");
    }

    public List<String> getStringList(String name, List<String> fallback) {
        Object v = get(name).orElse(fallback);
        if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
            return l.stream().map(String.class::cast).toList();
        }
        throw wrongType(name, v, "a list of strings");
    }

    public double[] getDoubles(String name, double[] fallback) {
        Optional<Object> v = get(name);
        if (v.isEmpty()) return fallback;
        if (v.get() instanceof List<?> l && l.stream().allMatch(x -> x instanceof Number)) {
            return l.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
        }
        throw wrongType(name, v.get(), "a list of numbers");
    }

    private IllegalArgumentException wrongType(String name, Object v, String expected) {
        return new IllegalArgumentException("parameter " + node.resolve(name) + " is " + describe(v)
                + ", expected " + expected);
    }

    private static String describe(Object v) {
        String kind = v instanceof String ? "a string" : v instanceof Boolean ? "a boolean"
                : v instanceof Number ? "a number" : v instanceof List ? "a list" : v instanceof Map ? "a dictionary" : "a value";
        String text = String.valueOf(v);
        return kind + " (" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + ")";
    }

    /**
     * Calls {@code listener} with the current value now (an empty map if unset) and with every
     * change the master reports.
     */
    public void subscribe(String name, Consumer<Object> listener) {
        String key = node.resolve(name);
        listeners.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(listener);
        try {
            listener.accept(node.master().call("subscribeParam", node.slaveUri().toString(), key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The slave API's paramUpdate: keys arrive with a trailing slash. */
    void onUpdate(String key, Object value) {
        String k = Names.canonical(key);
        List<Consumer<Object>> l = listeners.get(k);
        if (l != null) for (Consumer<Object> c : l) c.accept(value);
    }

    /**
     * Subscribes every watched key again (a restarted master forgot them) and tells the listeners
     * the value that master has. Returns how many keys it tried; failures are added to {@code failed}.
     */
    int subscribeAgain(List<String> failed) {
        int n = 0;
        for (Map.Entry<String, List<Consumer<Object>>> e : listeners.entrySet()) {
            n++;
            try {
                Object value = node.master().call("subscribeParam", node.slaveUri().toString(), e.getKey());
                for (Consumer<Object> c : e.getValue()) c.accept(value);
            } catch (IOException | RuntimeException ex) {
                failed.add("parameter subscription " + e.getKey() + ": " + ex.getMessage());
            }
        }
        return n;
    }

    void unsubscribeAll() {
        for (String key : listeners.keySet()) {
            try {
                node.master().call("unsubscribeParam", node.slaveUri().toString(), key);
            } catch (IOException e) {
                // master gone; nothing to undo
            }
        }
        listeners.clear();
    }
}
