package org.teachlearn.ros.launch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** Parameter values as roslaunch types them: {@code <param type=...>} conversion and YAML as rosparam loads it. */
public final class LaunchValues {

    private LaunchValues() {
    }

    /** {@code <param>}'s conversion of its text for type auto, str|string, int, double, bool|boolean, yaml. */
    static Object convert(String text, String type) {
        switch (type.toLowerCase().strip()) {
            case "auto":
                return auto(text);
            case "str", "string":
                return text;
            case "int":
                try {
                    return Integer.parseInt(text.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' is not an int");
                }
            case "double":
                try {
                    return Double.parseDouble(text.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a double");
                }
            case "bool", "boolean": {
                String v = text.strip().toLowerCase();
                if (v.equals("true") || v.equals("1")) return true;
                if (v.equals("false") || v.equals("0")) return false;
                throw new IllegalArgumentException("'" + text + "' is not a bool (true, false, 1 or 0)");
            }
            case "yaml":
                return yaml(text);
            default:
                throw new IllegalArgumentException("unknown param type '" + type + "' (auto, str, int, double, bool, yaml)");
        }
    }

    /** roslaunch's auto typing: a number with '.' is a double, digits an int, true/false a bool, else the text. */
    static Object auto(String text) {
        try {
            if (text.contains(".")) return Double.parseDouble(text);
            if (!text.contains("_")) {
                long v = Long.parseLong(text.strip());
                return v == (int) v ? (Object) (int) v : (Object) (double) v;
            }
        } catch (NumberFormatException e) {
            // not a number
        }
        String l = text.toLowerCase();
        if (l.equals("true") || l.equals("false")) return l.equals("true");
        return text;
    }

    /** A YAML document as Python's yaml.safe_load reads it, made fit for the parameter server (null: empty). */
    public static Object yaml(String text) {
        try {
            Object v = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            return v == null ? null : paramValue(v);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("invalid YAML: " + e.getMessage());
        }
    }

    /** A parameter tree as block YAML, as rosparam dump writes it. */
    public static String toYaml(Object value) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(value);
    }

    /** XML-RPC's types: Integer, Double, Boolean, String, byte[], List, Map with string keys. */
    private static Object paramValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (var e : m.entrySet()) out.put(String.valueOf(e.getKey()), paramValue(e.getValue()));
            return out;
        }
        if (v instanceof List<?> l) return l.stream().map(LaunchValues::paramValue).collect(Collectors.toList());
        if (v instanceof Long l) return (double) l;   // beyond XML-RPC's i4; rospy sends it as a double too
        if (v instanceof java.math.BigInteger b) return b.doubleValue();
        if (v instanceof Float f) return (double) f;
        if (v instanceof java.util.Date d) return d.toInstant().toString();
        return v;
    }
}
