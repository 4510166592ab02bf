package org.teachlearn.ros.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * roslaunch's substitution args: {@code $(arg NAME)}, {@code $(find PKG)}, {@code $(env VAR)},
 * {@code $(optenv VAR [DEFAULT])}, {@code $(anon NAME)}, {@code $(dirname)}, and {@code $(eval
 * EXPR)} when it is the whole attribute. One instance per launch, so an anonymous name is the same
 * wherever the launch uses it.
 */
final class Substitutions {

    private final RosPackages packages;
    private final Map<String, String> environment;
    private final Map<String, String> anonymous = new HashMap<>();
    private final String anonSuffix;

    Substitutions(RosPackages packages, Map<String, String> environment) {
        this.packages = packages;
        this.environment = environment;
        String host = environment.getOrDefault("HOSTNAME", "localhost").replaceAll("[^A-Za-z0-9_]", "_");
        anonSuffix = "_" + host + "_" + ProcessHandle.current().pid() + "_";
    }

    /** The text with every substitution done; {@code args} are the arg values visible where the text is. */
    String resolve(String text, Map<String, String> args, Path file) {
        if (text == null || !text.contains("$(")) return text;
        String t = text.strip();
        if (t.startsWith("$(eval ") && t.endsWith(")")) return eval(t.substring(7, t.length() - 1), args, file);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int start = text.indexOf("$(", i);
            if (start < 0) break;
            int end = text.indexOf(')', start);
            if (end < 0) throw new IllegalArgumentException("unterminated substitution in '" + text + "'");
            out.append(text, i, start);
            out.append(one(text.substring(start + 2, end).strip(), args, file, text));
            i = end + 1;
        }
        return out.append(text.substring(i)).toString();
    }

    private String one(String body, Map<String, String> args, Path file, String text) {
        String[] words = body.split("\\s+", 2);
        String command = words[0];
        String rest = words.length > 1 ? words[1].strip() : "";
        switch (command) {
            case "arg":
                return arg(require(rest, "$(arg NAME)"), args);
            case "env": {
                String v = environment.get(require(rest, "$(env VAR)"));
                if (v == null) throw new IllegalArgumentException("environment variable '" + rest + "' is not set");
                return v;
            }
            case "optenv": {
                String[] parts = require(rest, "$(optenv VAR [DEFAULT])").split("\\s+", 2);
                String v = environment.get(parts[0]);
                return v != null ? v : parts.length > 1 ? parts[1] : "";
            }
            case "find":
                return find(require(rest, "$(find PKG)"));
            case "anon":
                return anon(require(rest, "$(anon NAME)"));
            case "dirname":
                return file.toAbsolutePath().getParent().toString();
            case "eval":
                throw new IllegalArgumentException("$(eval ...) must be the whole attribute value, not part of '" + text + "'");
            default:
                throw new IllegalArgumentException("unknown substitution $(" + command + " ...) in '" + text + "'");
        }
    }

    private static String require(String rest, String usage) {
        if (rest.isEmpty()) throw new IllegalArgumentException(usage + " needs an argument");
        return rest;
    }

    private static String arg(String name, Map<String, String> args) {
        if (!args.containsKey(name)) throw new IllegalArgumentException("arg '" + name + "' is not defined");
        String v = args.get(name);
        if (v == null) throw new IllegalArgumentException("arg '" + name + "' is not set: give it on the command line (" + name + ":=VALUE) or a default");
        return v;
    }

    private String find(String pkg) {
        return packages.find(pkg).orElseThrow(() -> new IllegalArgumentException(
                "package '" + pkg + "' not found on ROS_PACKAGE_PATH (" + environment.getOrDefault("ROS_PACKAGE_PATH", "unset")
                        + ") nor in /usr/share: install it, or add the folder that holds it to ROS_PACKAGE_PATH")).toString();
    }

    private String anon(String name) {
        return anonymous.computeIfAbsent(name, n -> n + anonSuffix + ThreadLocalRandom.current().nextInt(1 << 30));
    }

    private String eval(String expression, Map<String, String> args, Path file) {
        return PyExpr.evaluate(expression, new PyExpr.Functions() {
            @Override
            public Object call(String name, List<Object> values) {
                List<String> s = new ArrayList<>();
                for (Object v : values) s.add(PyExpr.str(v));
                switch (name) {
                    case "arg":
                        return typed(arg(single(name, s), args));
                    case "env":
                        return one("env " + single(name, s), args, file, expression);
                    case "optenv":
                        return one("optenv " + String.join(" ", s), args, file, expression);
                    case "find":
                        return find(single(name, s));
                    case "anon":
                        return anon(single(name, s));
                    case "dirname":
                        return file.toAbsolutePath().getParent().toString();
                    default:
                        var f = PyExpr.MATH.get(name);
                        if (f == null) throw new IllegalArgumentException("unknown function " + name + "() in $(eval " + expression + ")");
                        return f.apply(values);
                }
            }

            @Override
            public Object name(String name) {
                if (args.containsKey(name)) return typed(arg(name, args));
                Object c = PyExpr.MATH_CONSTANTS.get(name);
                if (c == null) throw new IllegalArgumentException("name '" + name + "' is not defined in $(eval " + expression + ")");
                return c;
            }
        });
    }

    private static String single(String function, List<String> values) {
        if (values.size() != 1) throw new IllegalArgumentException(function + "() takes one argument");
        return values.get(0);
    }

    /** An arg's text typed as roslaunch's {@code convert_value(..., 'auto')} types it. */
    static Object typed(String text) {
        Object v = LaunchValues.auto(text.strip());
        return v instanceof Integer i ? (Object) (long) i : v;
    }
}
