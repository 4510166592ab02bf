package org.teachlearn.rosmsg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Turns message and service definitions into Java classes for the `ros` runtime: public fields,
 * constants, and serialisation straight into a little-endian {@code ByteBuffer} that reuses the
 * message's arrays, nested messages and unchanged strings, so a steady stream allocates nothing.
 * Message {@code pkg/Name} becomes {@code org.teachlearn.msgs.pkg.Name}.
 */
public final class JavaGenerator {

    public static final String ROOT_PACKAGE = "org.teachlearn.msgs";
    private static final String RT = "org.teachlearn.ros.message.";
    private static final String BB = "java.nio.ByteBuffer";
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte",
            "case", "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum",
            "extends", "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof",
            "int", "interface", "long", "native", "new", "package", "private", "protected", "public", "return",
            "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws",
            "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "record", "yield",
            "TYPE");

    private final MsgCatalog catalog;

    public JavaGenerator(MsgCatalog catalog) {
        this.catalog = catalog;
    }

    public static String javaClass(String rosType) {
        int slash = rosType.indexOf('/');
        return ROOT_PACKAGE + "." + rosType.substring(0, slash) + "." + rosType.substring(slash + 1);
    }

    public static String javaField(String rosName) {
        return KEYWORDS.contains(rosName) ? rosName + "_" : rosName;
    }

    /** Writes the class for one message type under {@code outDir}; returns the file written. */
    public Path writeMessage(String rosType, Path outDir) throws IOException {
        return write(rosType, messageSource(rosType), outDir);
    }

    /** Writes the service descriptor and its request and response classes. */
    public void writeService(String rosType, Path outDir) throws IOException {
        SrvSpec srv = catalog.service(rosType);
        writeMessage(srv.request().fullName(), outDir);
        writeMessage(srv.response().fullName(), outDir);
        String pkg = rosType.substring(0, rosType.indexOf('/'));
        String name = rosType.substring(rosType.indexOf('/') + 1);
        String req = javaClass(srv.request().fullName());
        String res = javaClass(srv.response().fullName());
        String src = "package " + ROOT_PACKAGE + "." + pkg + ";\n\n"
                + "/** Service " + rosType + ", generated from its definition; do not edit. */\n"
                + "public final class " + name + " {\n"
                + "    public static final " + RT + "ServiceType<" + req + ", " + res + "> TYPE =\n"
                + "            new " + RT + "ServiceType<>(\"" + rosType + "\", \"" + catalog.serviceMd5(rosType)
                + "\", " + req + ".TYPE, " + res + ".TYPE);\n\n"
                + "    private " + name + "() {\n    }\n}\n";
        write(rosType, src, outDir);
    }

    private static Path write(String rosType, String source, Path outDir) throws IOException {
        Path file = outDir.resolve(javaClass(rosType).replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        // Unchanged files keep their timestamps so incremental builds stay incremental.
        if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
            Files.write(file, bytes);
        }
        return file;
    }

    String messageSource(String rosType) {
        MsgSpec spec = catalog.message(rosType);
        String cls = spec.shortName();
        StringBuilder s = new StringBuilder();
        s.append("package ").append(ROOT_PACKAGE).append('.').append(spec.packageName()).append(";\n\n");
        s.append("/** ").append(rosType).append(", generated from its definition; do not edit. */\n");
        s.append("public final class ").append(cls).append(" implements ").append(RT).append("Message {\n");
        s.append("    public static final java.lang.String DEFINITION = ").append(literal(catalog.fullText(rosType))).append(";\n");
        s.append("    public static final ").append(RT).append("MessageType<").append(cls).append("> TYPE =\n")
                .append("            new ").append(RT).append("MessageType<>(\"").append(rosType).append("\", \"")
                .append(catalog.md5(rosType)).append("\", DEFINITION, ").append(cls).append("::new);\n\n");
        for (Constant c : spec.constants()) {
            s.append("    public static final ").append(constantJavaType(c.type())).append(' ')
                    .append(javaField(c.name().strip())).append(" = ").append(constantValue(c)).append(";\n");
        }
        if (!spec.constants().isEmpty()) s.append('\n');
        for (Field f : spec.fields()) {
            s.append("    public ").append(javaType(f.type())).append(' ').append(javaField(f.name()))
                    .append(" = ").append(initialValue(f.type())).append(";\n");
        }
        s.append("\n    @Override\n    public ").append(RT).append("MessageType<").append(cls)
                .append("> type() {\n        return TYPE;\n    }\n");

        s.append("\n    @Override\n    public int serializedSize() {\n        int size = 0;\n");
        for (Field f : spec.fields()) sizeOf(s, f);
        s.append("        return size;\n    }\n");

        s.append("\n    @Override\n    public void serialize(").append(BB).append(" b) {\n");
        for (Field f : spec.fields()) writeOf(s, f);
        s.append("    }\n");

        s.append("\n    @Override\n    public void deserialize(").append(BB).append(" b) {\n");
        for (Field f : spec.fields()) readOf(s, f);
        s.append("    }\n}\n");
        return s.toString();
    }

    // --- Java types and initial values ---

    private static String scalarJavaType(String base) {
        return switch (base) {
            case "bool" -> "boolean";
            case "int8", "byte" -> "byte";
            case "uint8", "char", "int16" -> "short";
            case "uint16", "int32" -> "int";
            case "uint32", "int64", "uint64" -> "long";
            case "float32" -> "float";
            case "float64" -> "double";
            case "string" -> "java.lang.String";
            case "time" -> RT + "Time";
            case "duration" -> RT + "Duration";
            default -> javaClass(base);
        };
    }

    private static String arrayElementJavaType(String base) {
        return switch (base) {
            case "int8", "uint8", "byte", "char" -> "byte";
            case "int16", "uint16" -> "short";
            case "int32", "uint32" -> "int";
            case "int64", "uint64" -> "long";
            default -> scalarJavaType(base);
        };
    }

    static String javaType(FieldType t) {
        return t.isArray() ? arrayElementJavaType(t.base()) + "[]" : scalarJavaType(t.base());
    }

    private static String constantJavaType(String base) {
        return scalarJavaType(base);
    }

    private static String constantValue(Constant c) {
        Object v = c.value();
        return switch (c.type()) {
            case "string" -> literal((String) v);
            case "bool" -> v.toString();
            case "float32" -> {
                double d = (Double) v;
                yield Double.isNaN(d) ? "Float.NaN" : Double.isInfinite(d) ? (d > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY") : Float.toString((float) d) + "f";
            }
            case "float64" -> {
                double d = (Double) v;
                yield Double.isNaN(d) ? "Double.NaN" : Double.isInfinite(d) ? (d > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY") : Double.toString(d);
            }
            default -> {
                String javaType = scalarJavaType(c.type());
                long l = (Long) v;
                yield switch (javaType) {
                    case "byte" -> "(byte) " + l;
                    case "short" -> "(short) " + l;
                    case "int" -> Long.toString(l);
                    default -> l + "L";
                };
            }
        };
    }

    private static String initialValue(FieldType t) {
        String base = t.base();
        if (!t.isArray()) {
            return switch (base) {
                case "bool" -> "false";
                case "string" -> "\"\"";
                case "float32" -> "0f";
                case "float64" -> "0.0";
                case "int8", "byte" -> "(byte) 0";
                case "uint8", "char", "int16" -> "(short) 0";
                case "uint32", "int64", "uint64" -> "0L";
                case "uint16", "int32" -> "0";
                default -> "new " + scalarJavaType(base) + "()";
            };
        }
        String elem = arrayElementJavaType(base);
        if (t.fixedLength() == FieldType.VARIABLE) {
            return switch (elem) {
                case "byte", "short", "int", "long", "float", "double", "boolean" ->
                        RT + "Wire.EMPTY_" + elem.toUpperCase() + "S";
                default -> "new " + elem + "[0]";
            };
        }
        int n = t.fixedLength();
        if (t.isPrimitive() && !base.equals("string")) return "new " + elem + "[" + n + "]";
        return RT + "Wire.filled(new " + elem + "[" + n + "], " + supplier(base) + ")";
    }

    private static String supplier(String base) {
        return switch (base) {
            case "string" -> "() -> \"\"";
            default -> scalarJavaType(base) + "::new";
        };
    }

    // --- serialisation code ---

    /** Fewest bytes a value of this type takes on the wire; bounds array lengths read from peers. */
    int minWireSize(FieldType t) {
        if (t.isArray()) {
            if (t.fixedLength() == FieldType.VARIABLE) return 4;
            return t.fixedLength() * minElementSize(t.base());
        }
        return minElementSize(t.base());
    }

    private int minElementSize(String base) {
        int p = new FieldType(base, false, FieldType.VARIABLE).primitiveSize();
        if (p > 0) return p;
        if (base.equals("string")) return 4;
        int sum = 0;
        for (Field f : catalog.message(base).fields()) sum += minWireSize(f.type());
        return sum;
    }

    private void sizeOf(StringBuilder s, Field f) {
        FieldType t = f.type();
        String x = "this." + javaField(f.name());
        String base = t.base();
        boolean variable = t.fixedLength() == FieldType.VARIABLE;
        if (!t.isArray()) {
            if (base.equals("string")) s.append("        size += 4 + ").append(RT).append("Wire.utf8Length(").append(x).append(");\n");
            else if (t.isMessage()) s.append("        size += ").append(x).append(".serializedSize();\n");
            else s.append("        size += ").append(t.primitiveSize()).append(";\n");
            return;
        }
        if (variable) s.append("        size += 4;\n");
        if (base.equals("string")) {
            s.append("        for (java.lang.String e : ").append(x).append(") size += 4 + ").append(RT).append("Wire.utf8Length(e);\n");
        } else if (t.isMessage()) {
            s.append("        for (").append(javaClass(base)).append(" e : ").append(x).append(") size += e.serializedSize();\n");
        } else {
            s.append("        size += ").append(t.primitiveSize()).append(" * ").append(x).append(".length;\n");
        }
    }

    private void writeOf(StringBuilder s, Field f) {
        FieldType t = f.type();
        String x = "this." + javaField(f.name());
        String base = t.base();
        if (!t.isArray()) {
            s.append("        ").append(writeScalar(base, x)).append('\n');
            return;
        }
        if (t.fixedLength() == FieldType.VARIABLE) {
            s.append("        b.putInt(").append(x).append(".length);\n");
        } else {
            s.append("        ").append(RT).append("Wire.checkFixedLength(").append(x).append(".length, ")
                    .append(t.fixedLength()).append(", \"").append(f.name()).append("\");\n");
        }
        String elem = arrayElementJavaType(base);
        if (elem.equals("byte")) {
            s.append("        b.put(").append(x).append(");\n");
            return;
        }
        s.append("        for (").append(elem).append(" e : ").append(x).append(") ")
                .append(writeArrayElement(base, "e")).append('\n');
    }

    private static String writeScalar(String base, String x) {
        return switch (base) {
            case "bool" -> "b.put((byte) (" + x + " ? 1 : 0));";
            case "int8", "byte" -> "b.put(" + x + ");";
            case "uint8", "char" -> "b.put((byte) " + x + ");";
            case "int16" -> "b.putShort(" + x + ");";
            case "uint16" -> "b.putShort((short) " + x + ");";
            case "int32" -> "b.putInt(" + x + ");";
            case "uint32" -> "b.putInt((int) " + x + ");";
            case "int64", "uint64" -> "b.putLong(" + x + ");";
            case "float32" -> "b.putFloat(" + x + ");";
            case "float64" -> "b.putDouble(" + x + ");";
            case "string" -> RT + "Wire.writeString(b, " + x + ");";
            case "time", "duration" -> "b.putInt(" + x + ".secs).putInt(" + x + ".nsecs);";
            default -> x + ".serialize(b);";
        };
    }

    private static String writeArrayElement(String base, String e) {
        return switch (base) {
            case "int16", "uint16" -> "b.putShort(" + e + ");";
            case "int32", "uint32" -> "b.putInt(" + e + ");";
            case "int64", "uint64" -> "b.putLong(" + e + ");";
            default -> writeScalar(base, e);
        };
    }

    private void readOf(StringBuilder s, Field f) {
        FieldType t = f.type();
        String x = "this." + javaField(f.name());
        String base = t.base();
        if (!t.isArray()) {
            s.append("        ").append(readScalar(base, x)).append('\n');
            return;
        }
        String elem = arrayElementJavaType(base);
        String n;
        if (t.fixedLength() == FieldType.VARIABLE) {
            int min = Math.max(1, minElementSize(base));
            String var = "n_" + f.name();
            s.append("        int ").append(var).append(" = ").append(RT).append("Wire.readLength(b, ").append(min).append(");\n");
            n = var;
            if (t.isMessage() || base.equals("string") || base.equals("time") || base.equals("duration")) {
                s.append("        if (").append(x).append(".length != ").append(n).append(") ").append(x).append(" = ")
                        .append(RT).append("Wire.resized(").append(x).append(", ").append(n).append(", ")
                        .append(supplier(base)).append(");\n");
            } else {
                s.append("        if (").append(x).append(".length != ").append(n).append(") ").append(x)
                        .append(" = new ").append(elem).append('[').append(n).append("];\n");
            }
        } else {
            n = Integer.toString(t.fixedLength());
        }
        if (elem.equals("byte")) {
            s.append("        b.get(").append(x).append(", 0, ").append(n).append(");\n");
            return;
        }
        s.append("        for (int i = 0; i < ").append(n).append("; i++) ")
                .append(readArrayElement(base, x + "[i]")).append('\n');
    }

    private static String readScalar(String base, String x) {
        return switch (base) {
            case "bool" -> x + " = b.get() != 0;";
            case "int8", "byte" -> x + " = b.get();";
            case "uint8", "char" -> x + " = (short) (b.get() & 0xff);";
            case "int16" -> x + " = b.getShort();";
            case "uint16" -> x + " = b.getShort() & 0xffff;";
            case "int32" -> x + " = b.getInt();";
            case "uint32" -> x + " = b.getInt() & 0xffffffffL;";
            case "int64", "uint64" -> x + " = b.getLong();";
            case "float32" -> x + " = b.getFloat();";
            case "float64" -> x + " = b.getDouble();";
            case "string" -> x + " = " + RT + "Wire.readString(b, " + x + ");";
            case "time", "duration" -> "{ " + x + ".secs = b.getInt(); " + x + ".nsecs = b.getInt(); }";
            default -> x + ".deserialize(b);";
        };
    }

    private static String readArrayElement(String base, String e) {
        return switch (base) {
            case "int16", "uint16" -> e + " = b.getShort();";
            case "int32", "uint32" -> e + " = b.getInt();";
            case "int64", "uint64" -> e + " = b.getLong();";
            default -> readScalar(base, e);
        };
    }

    static String literal(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
