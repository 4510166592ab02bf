package org.teachlearn.ros.dynreconf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.teachlearn.ros.dynreconf.ParameterSpec.Type;

/**
 * One value for every parameter of a {@link ReconfigureSpec}: immutable, so it can be handed from the
 * service thread to a control loop through one volatile field. {@link #with} makes changed copies.
 */
public final class ReconfigureValues {

    private final ReconfigureSpec spec;
    private final Object[] values;

    ReconfigureValues(ReconfigureSpec spec, Object[] values) {
        this.spec = spec;
        this.values = values;
    }

    public ReconfigureSpec spec() {
        return spec;
    }

    public double getDouble(String name) {
        return (Double) get(name, Type.DOUBLE);
    }

    public int getInt(String name) {
        return (Integer) get(name, Type.INT);
    }

    public boolean getBool(String name) {
        return (Boolean) get(name, Type.BOOL);
    }

    public String getString(String name) {
        return (String) get(name, Type.STR);
    }

    /** The value as a Boolean, Integer, Double or String. */
    public Object get(String name) {
        return values[index(name)];
    }

    private Object get(String name, Type type) {
        int i = index(name);
        Type actual = spec.parameters().get(i).type();
        if (actual != type) throw new IllegalArgumentException("parameter " + name + " is a " + actual.rosName() + ", not a " + type.rosName());
        return values[i];
    }

    private int index(String name) {
        int i = spec.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("no parameter " + name + " (parameters are: " + spec.names() + ")");
        return i;
    }

    /**
     * A copy with one value changed: an Integer is accepted for a double; the value must otherwise have
     * the parameter's type. It is not clamped here (the server clamps what clients send).
     */
    public ReconfigureValues with(String name, Object value) {
        int i = index(name);
        ParameterSpec p = spec.parameters().get(i);
        Object v = p.type() == Type.DOUBLE && value instanceof Integer n ? Double.valueOf(n) : value;
        if (!ParameterSpec.fits(p.type(), v)) {
            throw new IllegalArgumentException("parameter " + name + " is a " + p.type().rosName() + ", not " + value);
        }
        Object[] copy = values.clone();
        copy[i] = v;
        return new ReconfigureValues(spec, copy);
    }

    /** The names whose values differ from {@code other}'s, in declaration order. */
    public List<String> changedFrom(ReconfigureValues other) {
        List<String> out = new ArrayList<>();
        List<ParameterSpec> ps = spec.parameters();
        for (int i = 0; i < values.length; i++) if (!values[i].equals(other.values[i])) out.add(ps.get(i).name());
        return out;
    }

    /** Name → value, in declaration order. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<ParameterSpec> ps = spec.parameters();
        for (int i = 0; i < values.length; i++) m.put(ps.get(i).name(), values[i]);
        return m;
    }

    Object at(int i) {
        return values[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReconfigureValues r && r.spec == spec && java.util.Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, java.util.Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
