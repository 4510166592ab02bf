package org.teachlearn.ros.param;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the one-line YAML that ROS command lines take ({@code _rate:=100}, {@code _joints:=[a, b]},
 * {@code _gains:={p: 1.0}}), typed as YAML 1.1's safe loader types it: booleans (true/yes/on …),
 * integers, floats (.inf, .nan), flow sequences and mappings, quoted or plain strings.
 */
public final class YamlScalars {

    private final String text;
    private int pos;

    private YamlScalars(String text) {
        this.text = text;
    }

    public static Object parse(String text) {
        YamlScalars p = new YamlScalars(text.strip());
        if (p.text.isEmpty()) return "";
        Object v = p.value(0);
        p.skipSpace();
        if (p.pos != p.text.length()) {
            // Not a single YAML value after all: plain text, as YAML reads "a: b c" loosely.
            return p.text;
        }
        return v;
    }

    private Object value(int depth) {
        if (depth > 64) throw new IllegalArgumentException("YAML nested deeper than 64 levels: " + text);
        skipSpace();
        if (pos >= text.length()) return "";
        char c = text.charAt(pos);
        if (c == '[') return sequence(depth);
        if (c == '{') return mapping(depth);
        if (c == '"' || c == '\'') return quoted(c);
        int start = pos;
        boolean inFlow = depth > 0;
        while (pos < text.length()) {
            char d = text.charAt(pos);
            if (inFlow && (d == ',' || d == ']' || d == '}')) break;
            if (inFlow && d == ':' && (pos + 1 >= text.length() || text.charAt(pos + 1) == ' ')) break;
            pos++;
        }
        return scalar(text.substring(start, pos).strip());
    }

    private List<Object> sequence(int depth) {
        pos++;
        List<Object> out = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            return out;
        }
        while (true) {
            out.add(value(depth + 1));
            skipSpace();
            char c = next();
            if (c == ']') return out;
            if (c != ',') throw error("expected ',' or ']'");
        }
    }

    private Map<String, Object> mapping(int depth) {
        pos++;
        Map<String, Object> out = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return out;
        }
        while (true) {
            Object key = value(depth + 1);
            skipSpace();
            if (next() != ':') throw error("expected ':' after a key");
            out.put(String.valueOf(key), value(depth + 1));
            skipSpace();
            char c = next();
            if (c == '}') return out;
            if (c != ',') throw error("expected ',' or '}'");
        }
    }

    private String quoted(char q) {
        pos++;
        StringBuilder b = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == q) {
                if (q == '\'' && peek() == '\'') {
                    b.append('\'');
                    pos++;
                    continue;
                }
                return b.toString();
            }
            if (q == '"' && c == '\\' && pos < text.length()) {
                char e = text.charAt(pos++);
                b.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    default -> e;
                });
                continue;
            }
            b.append(c);
        }
        throw error("unterminated string");
    }

    /** Types one plain scalar. */
    public static Object scalar(String s) {
        switch (s) {
            case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON":
                return Boolean.TRUE;
            case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF":
                return Boolean.FALSE;
            case ".inf", ".Inf", ".INF", "+.inf":
                return Double.POSITIVE_INFINITY;
            case "-.inf", "-.Inf", "-.INF":
                return Double.NEGATIVE_INFINITY;
            case ".nan", ".NaN", ".NAN":
                return Double.NaN;
            default:
                break;
        }
        if (s.matches("[-+]?(0|[1-9][0-9_]*)")) {
            long v = Long.parseLong(s.replace("_", ""));
            return v == (int) v ? (Object) (int) v : (Object) v;
        }
        if (s.matches("0x[0-9a-fA-F]+")) {
            long v = Long.parseLong(s.substring(2), 16);
            return v == (int) v ? (Object) (int) v : (Object) v;
        }
        if (s.matches("[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?") && !s.matches("[-+]?[0-9_]+")) {
            return Double.parseDouble(s.replace("_", ""));
        }
        return s;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private char next() {
        if (pos >= text.length()) throw error("unexpected end");
        return text.charAt(pos++);
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("cannot read YAML '" + text + "': " + what + " at column " + (pos + 1));
    }
}
