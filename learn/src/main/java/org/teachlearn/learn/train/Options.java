package org.teachlearn.learn.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --flag} options of a command, checked against the names it
 * knows, with typed getters whose errors name the option. The map is what a checkpoint stores.
 */
public final class Options {

    private final Map<String, String> values = new LinkedHashMap<>();

    public Options(Map<String, String> defaults) {
        values.putAll(defaults);
    }

    /** Parses {@code args}; {@code flags} take no value. Positional arguments are returned. */
    public List<String> parse(List<String> args, Set<String> flags) {
        List<String> positional = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!values.containsKey(name) && !flags.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (options: " + String.join(", ", known(flags)) + ")");
            }
            if (flags.contains(name)) {
                values.put(name, value != null ? value : "true");
            } else {
                if (value == null) {
                    if (i + 1 >= args.size()) throw new IllegalArgumentException("option --" + name + " needs a value");
                    value = args.get(++i);
                }
                values.put(name, value);
            }
        }
        return positional;
    }

    private List<String> known(Set<String> flags) {
        List<String> all = new java.util.ArrayList<>(values.keySet());
        all.addAll(flags);
        java.util.Collections.sort(all);
        return all;
    }

    public String get(String name) {
        String v = values.get(name);
        if (v == null) throw new IllegalArgumentException("option --" + name + " is required");
        return v;
    }

    public boolean has(String name) {
        String v = values.get(name);
        return v != null && !v.isEmpty();
    }

    public int integer(String name) {
        try {
            return Integer.parseInt(get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + " must be an integer, got '" + get(name) + "'");
        }
    }

    public long longValue(String name) {
        try {
            return Long.parseLong(get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + " must be an integer, got '" + get(name) + "'");
        }
    }

    public double number(String name) {
        try {
            return Double.parseDouble(get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + " must be a number, got '" + get(name) + "'");
        }
    }

    public boolean flag(String name) {
        return "true".equals(values.get(name));
    }

    public void set(String name, String value) {
        values.put(name, value);
    }

    public Map<String, String> asMap() {
        return new LinkedHashMap<>(values);
    }
}
