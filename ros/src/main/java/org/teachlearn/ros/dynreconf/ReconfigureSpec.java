package org.teachlearn.ros.dynreconf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.teachlearn.ros.dynreconf.ParameterSpec.EnumValue;
import org.teachlearn.ros.dynreconf.ParameterSpec.Type;

/**
 * The run-time parameters a node offers, in the order clients show them: what a dynamic_reconfigure
 * {@code .cfg} file declares, written in Java.
 * <pre>
 * ReconfigureSpec spec = new ReconfigureSpec()
 *         .addDouble("damping", "virtual damping, N s/m", 40.0, 1.0, 500.0)
 *         .addBool("lock_orientation", "move the hand without turning it", false);
 * </pre>
 */
public final class ReconfigureSpec {

    private final Map<String, ParameterSpec> byName = new LinkedHashMap<>();
    private boolean inUse;

    /** Adds a parameter; its name must be new. */
    public synchronized ReconfigureSpec add(ParameterSpec p) {
        if (inUse) throw new IllegalStateException("declare every parameter before making values or starting a server from this spec");
        if (byName.containsKey(p.name())) throw new IllegalArgumentException("parameter " + p.name() + " is declared twice");
        byName.put(p.name(), p);
        return this;
    }

    public ReconfigureSpec addDouble(String name, String description, double dflt, double min, double max) {
        return add(new ParameterSpec(name, Type.DOUBLE, description, dflt, min, max, 0, null, null));
    }

    public ReconfigureSpec addInt(String name, String description, int dflt, int min, int max) {
        return add(new ParameterSpec(name, Type.INT, description, dflt, min, max, 0, null, null));
    }

    public ReconfigureSpec addBool(String name, String description, boolean dflt) {
        return add(new ParameterSpec(name, Type.BOOL, description, dflt, false, true, 0, null, null));
    }

    public ReconfigureSpec addString(String name, String description, String dflt) {
        return add(new ParameterSpec(name, Type.STR, description, dflt, "", "", 0, null, null));
    }

    /**
     * An integer that takes only the listed values (rqt_reconfigure shows their names in a drop-down);
     * min and max are the smallest and largest of them.
     */
    public ReconfigureSpec addIntEnum(String name, String description, int dflt, List<EnumValue> choices) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (EnumValue c : choices) {
            if (!(c.value() instanceof Integer v)) throw new IllegalArgumentException(name + ": choice " + c.name() + " is not an int");
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (choices.isEmpty()) throw new IllegalArgumentException(name + ": an enum needs at least one choice");
        return add(new ParameterSpec(name, Type.INT, description, dflt, min, max, 0, choices, description));
    }

    /** A string that takes only the listed values. */
    public ReconfigureSpec addStringEnum(String name, String description, String dflt, List<EnumValue> choices) {
        if (choices.isEmpty()) throw new IllegalArgumentException(name + ": an enum needs at least one choice");
        return add(new ParameterSpec(name, Type.STR, description, dflt, "", "", 0, choices, description));
    }

    public List<ParameterSpec> parameters() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    /** The parameter of that name, or null. */
    public ParameterSpec get(String name) {
        return byName.get(name);
    }

    int indexOf(String name) {
        int i = 0;
        for (String n : byName.keySet()) {
            if (n.equals(name)) return i;
            i++;
        }
        return -1;
    }

    int size() {
        return byName.size();
    }

    String names() {
        return String.join(", ", byName.keySet());
    }

    /** The defaults, as a set of values. */
    public synchronized ReconfigureValues defaults() {
        inUse = true;
        Object[] v = new Object[byName.size()];
        int i = 0;
        for (ParameterSpec p : byName.values()) v[i++] = p.dflt();
        return new ReconfigureValues(this, v);
    }
}
