package org.teachlearn.nodes.hardening;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.teachlearn.ros.message.Message;
import org.teachlearn.ros.message.Time;

/**
 * Malformed versions of a good message, generated from its class: for every field, the values a
 * buggy or hostile publisher sends — NaN, infinity, 1e300, arrays one short, one long or empty,
 * unknown names, zero and hour-old stamps, garbage bytes. Each variant changes one field of a
 * fresh good message, so a test can tell which field a node failed on.
 */
final class Malformed {

    /** One malformed message: {@code path} is the field changed (e.g. "header.stamp"), {@code kind} how. */
    record Variant<T>(String path, String kind, T message) {
        @Override
        public String toString() {
            return path + " " + kind;
        }
    }

    private Malformed() {
    }

    static <T extends Message> List<Variant<T>> of(Supplier<T> good) {
        List<Variant<T>> out = new ArrayList<>();
        walk(good, good.get(), "", new ArrayList<>(), out);
        return out;
    }

    private interface Change {
        void apply(Object owner) throws ReflectiveOperationException;
    }

    private static <T> void walk(Supplier<T> good, Object sample, String prefix, List<Field> path, List<Variant<T>> out) {
        for (Field f : sample.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            String name = prefix + f.getName();
            Class<?> t = f.getType();
            List<Field> here = new ArrayList<>(path);
            here.add(f);
            Object value;
            try {
                value = f.get(sample);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            if (t == double.class) {
                for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -1e300}) add(good, here, name, "= " + v, o -> f.setDouble(o, v), out);
            } else if (t == float.class) {
                for (float v : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) add(good, here, name, "= " + v, o -> f.setFloat(o, v), out);
            } else if (t == double[].class) {
                double[] a = (double[]) value;
                add(good, here, name, "empty", o -> f.set(o, new double[0]), out);
                add(good, here, name, "one longer", o -> f.set(o, Arrays.copyOf((double[]) f.get(o), a.length + 1)), out);
                if (a.length > 1) add(good, here, name, "one shorter", o -> f.set(o, Arrays.copyOf((double[]) f.get(o), a.length - 1)), out);
                if (a.length > 0) {
                    for (double v : new double[] {Double.NaN, Double.NEGATIVE_INFINITY, 1e300}) {
                        add(good, here, name, "[last] = " + v, o -> ((double[]) f.get(o))[a.length - 1] = v, out);
                    }
                }
            } else if (t == float[].class) {
                float[] a = (float[]) value;
                add(good, here, name, "empty", o -> f.set(o, new float[0]), out);
                add(good, here, name, "one longer", o -> f.set(o, Arrays.copyOf((float[]) f.get(o), a.length + 1)), out);
                if (a.length > 0) add(good, here, name, "[last] = NaN", o -> ((float[]) f.get(o))[a.length - 1] = Float.NaN, out);
            } else if (t == String[].class) {
                String[] a = (String[]) value;
                add(good, here, name, "empty", o -> f.set(o, new String[0]), out);
                add(good, here, name, "one longer", o -> {
                    String[] b = Arrays.copyOf((String[]) f.get(o), a.length + 1);
                    b[a.length] = "no_such_joint";
                    f.set(o, b);
                }, out);
                if (a.length > 0) add(good, here, name, "[0] unknown", o -> ((String[]) f.get(o))[0] = "no_such_joint", out);
            } else if (t == String.class) {
                add(good, here, name, "= \"\"", o -> f.set(o, ""), out);
                add(good, here, name, "= \"no_such_link\"", o -> f.set(o, "no_such_link"), out);
            } else if (t == byte[].class) {
                add(good, here, name, "empty", o -> f.set(o, new byte[0]), out);
                add(good, here, name, "garbage", o -> {
                    byte[] g = new byte[4096];
                    new java.util.Random(7).nextBytes(g);
                    f.set(o, g);
                }, out);
            } else if (t == Time.class) {
                add(good, here, name, "zero", o -> ((Time) f.get(o)).setNanos(0), out);
                add(good, here, name, "an hour old", o -> {
                    Time s = (Time) f.get(o);
                    s.setNanos(s.toNanos() - 3_600_000_000_000L);
                }, out);
            } else if (t == boolean.class) {
                add(good, here, name, "flipped", o -> f.setBoolean(o, !f.getBoolean(o)), out);
            } else if (t == long.class || t == int.class) {
                // uint32/int32 fields: counters and ids, where the nodes keep no state that a wrong one could wedge
                add(good, here, name, "= max", o -> {
                    if (t == long.class) f.setLong(o, 0xffffffffL);
                    else f.setInt(o, -1);
                }, out);
            } else if (value instanceof Message) {
                walk(good, value, name + ".", here, out);
            }
        }
    }

    private static <T> void add(Supplier<T> good, List<Field> path, String name, String kind, Change change, List<Variant<T>> out) {
        T m = good.get();
        try {
            Object owner = m;
            for (int i = 0; i < path.size() - 1; i++) owner = path.get(i).get(owner);
            change.apply(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        out.add(new Variant<>(name, kind, m));
    }
}
