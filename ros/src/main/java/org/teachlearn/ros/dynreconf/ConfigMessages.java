package org.teachlearn.ros.dynreconf;

import java.util.ArrayList;
import java.util.List;
import org.teachlearn.msgs.dynamic_reconfigure.BoolParameter;
import org.teachlearn.msgs.dynamic_reconfigure.Config;
import org.teachlearn.msgs.dynamic_reconfigure.ConfigDescription;
import org.teachlearn.msgs.dynamic_reconfigure.DoubleParameter;
import org.teachlearn.msgs.dynamic_reconfigure.Group;
import org.teachlearn.msgs.dynamic_reconfigure.GroupState;
import org.teachlearn.msgs.dynamic_reconfigure.IntParameter;
import org.teachlearn.msgs.dynamic_reconfigure.ParamDescription;
import org.teachlearn.msgs.dynamic_reconfigure.StrParameter;
import org.teachlearn.ros.dynreconf.ParameterSpec.EnumValue;
import org.teachlearn.ros.dynreconf.ParameterSpec.Type;

/**
 * Values and specs to and from dynamic_reconfigure's messages, laid out as its own servers do: every
 * parameter in the one root group "Default" (id 0), which every Config names in {@code groups} so that
 * clients can rebuild the group tree.
 */
final class ConfigMessages {

    static final String ROOT_GROUP = "Default";

    private ConfigMessages() {
    }

    /** The latched parameter_descriptions message. */
    static ConfigDescription describe(ReconfigureSpec spec) {
        ConfigDescription d = new ConfigDescription();
        Group root = new Group();
        root.name = ROOT_GROUP;
        root.type = "";
        root.id = 0;
        root.parent = 0;
        List<ParameterSpec> ps = spec.parameters();
        root.parameters = new ParamDescription[ps.size()];
        Object[] max = new Object[ps.size()];
        Object[] min = new Object[ps.size()];
        for (int i = 0; i < ps.size(); i++) {
            ParameterSpec p = ps.get(i);
            ParamDescription pd = new ParamDescription();
            pd.name = p.name();
            pd.type = p.type().rosName();
            pd.level = p.level() & 0xffffffffL;
            pd.description = p.description();
            pd.edit_method = editMethod(p);
            root.parameters[i] = pd;
            max[i] = p.max();
            min[i] = p.min();
        }
        d.groups = new Group[] {root};
        encode(new ReconfigureValues(spec, max), d.max, false);
        encode(new ReconfigureValues(spec, min), d.min, false);
        encode(spec.defaults(), d.dflt, true);
        return d;
    }

    /** Fills {@code into} with every value, by type, in declaration order. */
    static void encode(ReconfigureValues values, Config into, boolean withGroups) {
        List<BoolParameter> bools = new ArrayList<>();
        List<IntParameter> ints = new ArrayList<>();
        List<StrParameter> strs = new ArrayList<>();
        List<DoubleParameter> doubles = new ArrayList<>();
        List<ParameterSpec> ps = values.spec().parameters();
        for (int i = 0; i < ps.size(); i++) {
            String name = ps.get(i).name();
            Object v = values.at(i);
            switch (ps.get(i).type()) {
                case BOOL -> {
                    BoolParameter b = new BoolParameter();
                    b.name = name;
                    b.value = (Boolean) v;
                    bools.add(b);
                }
                case INT -> {
                    IntParameter n = new IntParameter();
                    n.name = name;
                    n.value = (Integer) v;
                    ints.add(n);
                }
                case STR -> {
                    StrParameter s = new StrParameter();
                    s.name = name;
                    s.value = (String) v;
                    strs.add(s);
                }
                case DOUBLE -> {
                    DoubleParameter d = new DoubleParameter();
                    d.name = name;
                    d.value = (Double) v;
                    doubles.add(d);
                }
            }
        }
        into.bools = bools.toArray(new BoolParameter[0]);
        into.ints = ints.toArray(new IntParameter[0]);
        into.strs = strs.toArray(new StrParameter[0]);
        into.doubles = doubles.toArray(new DoubleParameter[0]);
        if (withGroups) {
            GroupState root = new GroupState();
            root.name = ROOT_GROUP;
            root.state = true;
            root.id = 0;
            root.parent = 0;
            into.groups = new GroupState[] {root};
        } else {
            into.groups = new GroupState[0];
        }
    }

    /**
     * The values a request asks for, on top of {@code current}: each named parameter the request
     * carries, from the list of its type (an int is taken for a double, a whole double for an int).
     * Names it does not know, values of another type and non-finite doubles are left out, each with a
     * line in {@code problems}. Nothing is clamped here.
     */
    static ReconfigureValues decode(Config msg, ReconfigureValues current, List<String> problems) {
        ReconfigureValues out = current;
        for (BoolParameter b : msg.bools) out = take(out, b.name, b.value, "a bool", problems);
        for (IntParameter n : msg.ints) out = take(out, n.name, n.value, "an int", problems);
        for (StrParameter s : msg.strs) out = take(out, s.name, s.value, "a string", problems);
        for (DoubleParameter d : msg.doubles) out = take(out, d.name, d.value, "a double", problems);
        return out;
    }

    private static ReconfigureValues take(ReconfigureValues out, String name, Object value, String sent,
            List<String> problems) {
        ReconfigureSpec spec = out.spec();
        ParameterSpec p = spec.get(name);
        if (p == null) {
            problems.add("unknown parameter '" + name + "' ignored (parameters are: " + spec.names() + ")");
            return out;
        }
        Object v = convert(p.type(), value);
        if (v == null) {
            problems.add("parameter " + name + " is " + article(p.type()) + ", not " + sent + " (" + value + "): ignored");
            return out;
        }
        if (v instanceof Double d && !Double.isFinite(d)) {
            problems.add("parameter " + name + " = " + d + " is not a finite number: ignored");
            return out;
        }
        return out.with(name, v);
    }

    /** The value as the parameter's type, or null when it cannot be one without losing something. */
    static Object convert(Type type, Object value) {
        if (ParameterSpec.fits(type, value)) return value;
        if (type == Type.DOUBLE && (value instanceof Integer || value instanceof Long)) return ((Number) value).doubleValue();
        if (type == Type.INT && value instanceof Double d && d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
            return (int) (double) d;
        }
        if (type == Type.INT && value instanceof Long n && n == n.intValue()) return n.intValue();
        return null;
    }

    static String article(Type t) {
        return t == Type.INT ? "an int" : "a " + (t == Type.STR ? "string" : t.rosName());
    }

    /** dynamic_reconfigure's edit_method: a Python dict literal that clients read with eval. */
    static String editMethod(ParameterSpec p) {
        if (p.choices().isEmpty()) return "";
        StringBuilder b = new StringBuilder("{'enum': [");
        String type = p.type().rosName();
        for (int i = 0; i < p.choices().size(); i++) {
            EnumValue c = p.choices().get(i);
            if (i > 0) b.append(", ");
            b.append("{'name': ").append(pyString(c.name()))
                    .append(", 'type': ").append(pyString(type))
                    .append(", 'value': ").append(pyValue(c.value()))
                    .append(", 'description': ").append(pyString(c.description() == null ? "" : c.description()))
                    .append('}');
        }
        return b.append("], 'enum_description': ").append(pyString(p.choicesDescription())).append('}').toString();
    }

    private static String pyValue(Object v) {
        if (v instanceof String s) return pyString(s);
        if (v instanceof Boolean bo) return bo ? "True" : "False";
        return String.valueOf(v);
    }

    private static String pyString(String s) {
        StringBuilder b = new StringBuilder("'");
        for (char ch : s.toCharArray()) {
            if (ch == '\\' || ch == '\'') b.append('\\').append(ch);
            else if (ch == '\n') b.append("\\n");
            else if (ch < 0x20) b.append(String.format("\\x%02x", (int) ch));
            else b.append(ch);
        }
        return b.append('\'').toString();
    }
}
