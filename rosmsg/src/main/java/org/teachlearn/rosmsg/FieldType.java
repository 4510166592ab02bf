package org.teachlearn.rosmsg;

import java.util.Set;

/**
 * The type of one field of a ROS message: a built-in or a message type ({@code pkg/Name}), and
 * whether it is an array of fixed or variable length.
 */
public record FieldType(String base, boolean isArray, int fixedLength) {

    public static final int VARIABLE = -1;

    static final Set<String> PRIMITIVES = Set.of("bool", "int8", "uint8", "int16", "uint16", "int32",
            "uint32", "int64", "uint64", "float32", "float64", "string", "char", "byte");
    static final Set<String> BUILTINS = Set.of("bool", "int8", "uint8", "int16", "uint16", "int32",
            "uint32", "int64", "uint64", "float32", "float64", "string", "char", "byte", "time",
            "duration");

    public boolean isBuiltin() {
        return BUILTINS.contains(base);
    }

    public boolean isPrimitive() {
        return PRIMITIVES.contains(base);
    }

    public boolean isMessage() {
        return !isBuiltin();
    }

    /** The type as written in MD5 text and in definitions: {@code float64[]}, {@code uint8[16]}. */
    public String text() {
        if (!isArray) return base;
        return base + (fixedLength == VARIABLE ? "[]" : "[" + fixedLength + "]");
    }

    /** Size in bytes of one element on the wire, or -1 when it varies (strings, most messages). */
    public int primitiveSize() {
        return switch (base) {
            case "bool", "int8", "uint8", "char", "byte" -> 1;
            case "int16", "uint16" -> 2;
            case "int32", "uint32", "float32" -> 4;
            case "int64", "uint64", "float64", "time", "duration" -> 8;
            default -> -1;
        };
    }
}
