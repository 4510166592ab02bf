package org.teachlearn.rosmsg;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses .msg and .srv text the way genmsg does: comments after '#', one field or constant per
 * line, {@code Header} meaning {@code std_msgs/Header}, unqualified message types resolved in the
 * definition's own package, and a line starting with {@code ---} splitting a service.
 */
public final class MsgParser {

    private static final Pattern RESOURCE = Pattern.compile("[A-Za-z][\\w/]*");
    private static final Pattern BASE_NAME = Pattern.compile("[A-Za-z]\\w*");

    private MsgParser() {
    }

    public static MsgSpec parseMsg(String fullName, String text) {
        String pkg = packageOf(fullName);
        List<Field> fields = new ArrayList<>();
        List<Constant> constants = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            String clean = stripComment(line);
            if (clean.isEmpty()) continue;
            try {
                if (clean.indexOf('=') >= 0) constants.add(parseConstant(line, clean));
                else fields.add(parseField(clean, pkg));
            } catch (InvalidDefinitionException e) {
                throw new InvalidDefinitionException(fullName + " line " + lineNo + ": " + e.getMessage()
                        + " in '" + line.strip() + "'");
            }
        }
        return new MsgSpec(fullName, text, List.copyOf(fields), List.copyOf(constants));
    }

    public static SrvSpec parseSrv(String fullName, String text) {
        StringBuilder request = new StringBuilder();
        StringBuilder response = new StringBuilder();
        StringBuilder into = request;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("---")) {
                into = response;
            } else {
                into.append(line).append('\n');
            }
        }
        return new SrvSpec(fullName, text, parseMsg(fullName + "Request", request.toString()),
                parseMsg(fullName + "Response", response.toString()));
    }

    static String stripComment(String line) {
        int hash = line.indexOf('#');
        return (hash >= 0 ? line.substring(0, hash) : line).strip();
    }

    private static String packageOf(String fullName) {
        int slash = fullName.indexOf('/');
        if (slash <= 0 || slash != fullName.lastIndexOf('/') || slash == fullName.length() - 1) {
            throw new InvalidDefinitionException("type name '" + fullName + "' is not of the form pkg/Name");
        }
        return fullName.substring(0, slash);
    }

    private static Field parseField(String clean, String pkg) {
        String[] parts = clean.split("\\s+");
        if (parts.length != 2) throw new InvalidDefinitionException("expected 'type name'");
        String name = parts[1];
        if (!BASE_NAME.matcher(name).matches()) {
            throw new InvalidDefinitionException("'" + name + "' is not a legal field name");
        }
        return new Field(parseType(parts[0], pkg), name);
    }

    /** Parses {@code base}, {@code base[]} or {@code base[N]} and resolves the base type. */
    public static FieldType parseType(String text, String pkg) {
        int bracket = text.indexOf('[');
        String base = bracket < 0 ? text : text.substring(0, bracket);
        boolean isArray = bracket >= 0;
        int fixed = FieldType.VARIABLE;
        if (isArray) {
            if (!text.endsWith("]") || text.indexOf('[', bracket + 1) >= 0) {
                throw new InvalidDefinitionException("'" + text + "' is not a legal field type");
            }
            String size = text.substring(bracket + 1, text.length() - 1);
            if (!size.isEmpty()) {
                if (!size.chars().allMatch(Character::isDigit)) {
                    throw new InvalidDefinitionException("array size in '" + text + "' is not a number");
                }
                fixed = Integer.parseInt(size);
            }
        }
        if (!RESOURCE.matcher(base).matches() || base.contains("//") || base.endsWith("/")) {
            throw new InvalidDefinitionException("'" + text + "' is not a legal field type");
        }
        if (!base.contains("/")) {
            if (base.equals("Header")) base = "std_msgs/Header";
            else if (!FieldType.BUILTINS.contains(base)) base = pkg + "/" + base;
        }
        return new FieldType(base, isArray, fixed);
    }

    private static Constant parseConstant(String line, String clean) {
        String[] head = clean.split("\\s+", 2);
        String type = head[0];
        if (!FieldType.PRIMITIVES.contains(type)) {
            throw new InvalidDefinitionException("'" + type + "' cannot be the type of a constant");
        }
        String name;
        String value;
        if (type.equals("string")) {
            // As in genmsg: a string constant is everything right of '=', '#' included.
            int eq = line.indexOf('=');
            name = line.substring(line.indexOf(' ') + 1, eq);
            value = line.substring(eq + 1);
        } else {
            String[] nv = (head.length > 1 ? head[1] : "").split("=", -1);
            if (nv.length != 2) throw new InvalidDefinitionException("expected 'type NAME=value'");
            name = nv[0].strip();
            value = nv[1].strip();
        }
        if (!BASE_NAME.matcher(name.strip()).matches()) {
            throw new InvalidDefinitionException("'" + name.strip() + "' is not a legal constant name");
        }
        return new Constant(type, name, value.strip(), convert(type, value.strip()));
    }

    private static Object convert(String type, String value) {
        switch (type) {
            case "string":
                return value;
            case "float32":
            case "float64":
                try {
                    return Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new InvalidDefinitionException("'" + value + "' is not a number");
                }
            case "bool":
                return value.equalsIgnoreCase("true") || value.equals("1");
            default:
                BigInteger v;
                try {
                    v = new BigInteger(value);
                } catch (NumberFormatException e) {
                    throw new InvalidDefinitionException("'" + value + "' is not an integer");
                }
                int bits = switch (type) {
                    case "int8", "uint8", "char", "byte" -> 8;
                    case "int16", "uint16" -> 16;
                    case "int32", "uint32" -> 32;
                    default -> 64;
                };
                boolean unsigned = type.startsWith("u") || type.equals("char");
                BigInteger lo = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
                BigInteger hi = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                        : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
                if (v.compareTo(lo) < 0 || v.compareTo(hi) > 0) {
                    throw new InvalidDefinitionException(value + " does not fit in " + type);
                }
                return v.longValue();
        }
    }
}
