package org.teachlearn.ros.message;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * A decoded message as {@code rostopic echo} prints it (genpy's strify_message): nested messages
 * as indented blocks after "name: ", numeric lists inline in Python's notation, string lists as
 * YAML block lists, strings double-quoted as PyYAML quotes them, times as secs/nsecs.
 */
public final class EchoFormat {

    private EchoFormat() {
    }

    /** A message (its field map) or one field's value, as printed at the top level. */
    public static String format(Object message) {
        String s = value(message, "");
        return s.startsWith("\n") ? s.substring(1) : s;
    }

    private static String value(Object v, String indent) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder();
            for (var e : m.entrySet()) {
                if (sb.length() > 0) sb.append('\n');
                sb.append(indent).append(e.getKey()).append(": ").append(value(e.getValue(), "  " + indent));
            }
            return indent.isEmpty() ? sb.toString() : "\n" + sb;
        }
        if (v instanceof List<?> l) return list(l, indent);
        if (v instanceof String s) return s.isEmpty() ? "''" : doubleQuoted(s);
        if (v instanceof Time t) return "\n" + indent + "secs: " + Integer.toUnsignedString(t.secs) + "\n" + indent + "nsecs: " + String.format("%9d", t.nsecs);
        if (v instanceof Duration d) return "\n" + indent + "secs: " + d.secs + "\n" + indent + "nsecs: " + String.format("%9d", d.nsecs);
        return scalar(v);
    }

    private static String scalar(Object v) {
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof Double d) return PyFloat.repr(d);
        if (v instanceof BigInteger || v instanceof Long || v instanceof Integer) return v.toString();
        return String.valueOf(v);
    }

    private static String list(List<?> l, String indent) {
        if (l.isEmpty()) return "[]";
        Object first = l.get(0);
        if (first instanceof String) {
            StringBuilder sb = new StringBuilder();
            for (Object o : l) sb.append('\n').append(indent).append("- ").append(plainOrQuoted((String) o));
            return sb.toString();
        }
        if (first instanceof Number || first instanceof Boolean) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) sb.append(i == 0 ? "" : ", ").append(scalar(l.get(i)));
            return sb.append(']').toString();
        }
        StringBuilder sb = new StringBuilder();
        for (Object o : l) sb.append('\n').append(indent).append("- ").append(value(o, indent + "  "));
        return sb.toString();
    }

    /** PyYAML's double-quoted style (its default width folding aside). */
    static String doubleQuoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\0' -> sb.append("\\0");
                case 0x07 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case 0x0B -> sb.append("\\v");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                case 0x1B -> sb.append("\\e");
                case 0x85 -> sb.append("\\N");
                case 0xA0 -> sb.append("\\_");
                case 0x2028 -> sb.append("\\L");
                case 0x2029 -> sb.append("\\P");
                default -> {
                    if (c >= 0x20 && c < 0x7F) sb.append(c);
                    else if (c <= 0xFF) sb.append(String.format("\\x%02X", (int) c));
                    else if (Character.isHighSurrogate(c) && i + 1 < s.length()) sb.append(String.format("\\U%08X", s.codePointAt(i++)));
                    else sb.append(String.format("\\u%04X", (int) c));
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A string as PyYAML's default (block) dump writes a list element: plain when it reads back as the same string. */
    static String plainOrQuoted(String s) {
        if (s.isEmpty()) return "''";
        boolean printable = s.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
        if (!printable) return doubleQuoted(s);
        boolean plain = !Character.isWhitespace(s.charAt(0)) && !Character.isWhitespace(s.charAt(s.length() - 1))
                && "-?:,[]{}#&*!|>'\"%@`".indexOf(s.charAt(0)) < 0 && !s.contains(": ") && !s.contains(" #") && !s.endsWith(":")
                && !s.equals("~") && !s.equalsIgnoreCase("null");
        Object typed = plain ? org.teachlearn.ros.param.YamlScalars.scalar(s) : null;
        plain = plain && !(typed instanceof Number) && !(typed instanceof Boolean);
        return plain ? s : "'" + s.replace("'", "''") + "'";
    }
}
