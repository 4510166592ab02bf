package org.teachlearn.ros.dynreconf;

import java.util.List;

/**
 * One run-time parameter a node offers through dynamic_reconfigure: its name, type, a line for people,
 * its default and range (numbers only; booleans and strings have none), the level bits reported with a
 * change, and optionally the only values allowed (an enum, shown as a drop-down by rqt_reconfigure).
 * Values are {@link Boolean}, {@link Integer}, {@link Double} or {@link String}, as {@link #type} says.
 */
public record ParameterSpec(String name, Type type, String description, Object dflt, Object min, Object max,
        int level, List<EnumValue> choices, String choicesDescription) {

    /** The four types dynamic_reconfigure knows, with the names its messages use. */
    public enum Type {
        BOOL("bool"), INT("int"), DOUBLE("double"), STR("str");

        private final String rosName;

        Type(String rosName) {
            this.rosName = rosName;
        }

        /** The name in ParamDescription.type. */
        public String rosName() {
            return rosName;
        }
    }

    /** One allowed value of an enum parameter: a name people pick, the value, and a line about it. */
    public record EnumValue(String name, Object value, String description) {
    }

    public ParameterSpec {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("parameter name '" + name + "' must start with a letter and hold only"
                    + " letters, digits and '_' (it becomes a ROS parameter name)");
        }
        description = description == null ? "" : description;
        choices = choices == null ? List.of() : List.copyOf(choices);
        choicesDescription = choicesDescription == null ? "" : choicesDescription;
        if (!fits(type, dflt)) throw new IllegalArgumentException(name + ": default " + dflt + " is not a " + type.rosName);
        if (type == Type.INT || type == Type.DOUBLE) {
            if (!fits(type, min) || !fits(type, max)) {
                throw new IllegalArgumentException(name + ": min " + min + " and max " + max + " must be " + type.rosName + "s");
            }
            if (compare(min, max) > 0) throw new IllegalArgumentException(name + ": min " + min + " is above max " + max);
            if (compare(dflt, min) < 0 || compare(dflt, max) > 0) {
                throw new IllegalArgumentException(name + ": default " + dflt + " is outside [" + min + ", " + max + "]");
            }
        }
        if (type == Type.DOUBLE && Double.isNaN((Double) dflt)) throw new IllegalArgumentException(name + ": default is NaN");
        for (EnumValue c : choices) {
            if (!fits(type, c.value())) throw new IllegalArgumentException(name + ": choice " + c.name() + " = " + c.value()
                    + " is not a " + type.rosName);
        }
        if (!choices.isEmpty() && choices.stream().noneMatch(c -> c.value().equals(dflt))) {
            throw new IllegalArgumentException(name + ": default " + dflt + " is none of the choices "
                    + choices.stream().map(EnumValue::name).toList());
        }
    }

    /** Whether {@code value} has the Java class that {@code type} stands for. */
    static boolean fits(Type type, Object value) {
        return switch (type) {
            case BOOL -> value instanceof Boolean;
            case INT -> value instanceof Integer;
            case DOUBLE -> value instanceof Double;
            case STR -> value instanceof String;
        };
    }

    /** Whether the value is one of the choices (always, when there are none). */
    public boolean allowed(Object value) {
        if (choices.isEmpty()) return true;
        for (EnumValue c : choices) if (c.value().equals(value)) return true;
        return false;
    }

    /** The value within [min, max] nearest to {@code value} (numbers; others come back as they are). */
    public Object clamp(Object value) {
        if (type != Type.INT && type != Type.DOUBLE) return value;
        if (compare(value, max) > 0) return max;
        if (compare(value, min) < 0) return min;
        return value;
    }

    String choiceNames() {
        return choices.stream().map(c -> c.name() + "=" + c.value()).toList().toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }
}
