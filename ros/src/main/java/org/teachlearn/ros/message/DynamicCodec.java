package org.teachlearn.ros.message;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.teachlearn.rosmsg.Field;
import org.teachlearn.rosmsg.FieldType;
import org.teachlearn.rosmsg.MsgCatalog;
import org.teachlearn.rosmsg.MsgSpec;

/**
 * Messages of any type as plain values, read and written from their definition alone: the graph
 * tools echo, publish and call what they have no class for. A message is a {@code Map} of its
 * fields in order; bool is Boolean, integers Integer or Long (uint64 beyond Long as BigInteger),
 * floats Double, time and duration {@link Time} and {@link Duration}, arrays Lists. Tools only:
 * this allocates per message.
 */
public final class DynamicCodec {

    private final MsgCatalog catalog;

    public DynamicCodec(MsgCatalog catalog) {
        this.catalog = catalog;
    }

    public MsgCatalog catalog() {
        return catalog;
    }

    // --- reading ---

    public Map<String, Object> decode(MsgSpec spec, byte[] data, int length) {
        ByteBuffer b = ByteBuffer.wrap(data, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        try {
            Map<String, Object> m = message(spec, b);
            if (b.hasRemaining()) throw new MessageFormatException(b.remaining() + " bytes left over after a whole " + spec.fullName());
            return m;
        } catch (java.nio.BufferUnderflowException e) {
            throw new MessageFormatException("message too short for " + spec.fullName() + " (" + length + " bytes)");
        }
    }

    private Map<String, Object> message(MsgSpec spec, ByteBuffer b) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Field f : spec.fields()) m.put(f.name(), field(f.type(), b));
        return m;
    }

    private Object field(FieldType t, ByteBuffer b) {
        if (!t.isArray()) return one(t.base(), b);
        int n = t.fixedLength() == FieldType.VARIABLE ? Wire.readLength(b, Math.max(1, t.primitiveSize())) : t.fixedLength();
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) list.add(one(t.base(), b));
        return list;
    }

    private Object one(String base, ByteBuffer b) {
        return switch (base) {
            case "bool" -> b.get() != 0;
            case "int8", "byte" -> (int) b.get();
            case "uint8", "char" -> b.get() & 0xff;
            case "int16" -> (int) b.getShort();
            case "uint16" -> b.getShort() & 0xffff;
            case "int32" -> b.getInt();
            case "uint32" -> b.getInt() & 0xffffffffL;
            case "int64" -> b.getLong();
            case "uint64" -> {
                long v = b.getLong();
                yield v >= 0 ? (Object) v : (Object) new BigInteger(Long.toUnsignedString(v));
            }
            case "float32" -> (double) b.getFloat();
            case "float64" -> b.getDouble();
            case "string" -> {
                int n = Wire.readLength(b, 1);
                byte[] s = new byte[n];
                b.get(s);
                yield new String(s, StandardCharsets.UTF_8);
            }
            case "time" -> new Time(b.getInt(), b.getInt());
            case "duration" -> new Duration(b.getInt(), b.getInt());
            default -> message(catalog.message(base), b);
        };
    }

    // --- writing ---

    /** Serialises {@code values} (missing fields are zero, empty or now-less defaults). */
    public byte[] encode(MsgSpec spec, Map<String, Object> values) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b = write(spec, values, b, spec.fullName());
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private ByteBuffer write(MsgSpec spec, Map<String, Object> values, ByteBuffer b, String path) {
        for (String k : values.keySet()) {
            if (spec.fields().stream().noneMatch(f -> f.name().equals(k))) {
                throw new IllegalArgumentException(spec.fullName() + " has no field '" + k + "' (at " + path + "; fields: "
                        + spec.fields().stream().map(Field::name).toList() + ")");
            }
        }
        for (Field f : spec.fields()) b = writeField(f.type(), values.get(f.name()), b, path + "." + f.name());
        return b;
    }

    private ByteBuffer writeField(FieldType t, Object v, ByteBuffer b, String path) {
        if (!t.isArray()) return writeOne(t.base(), v, b, path);
        List<?> list;
        if (v == null) list = List.of();
        else if (v instanceof List<?> l) list = l;
        else if (v instanceof String s && (t.base().equals("uint8") || t.base().equals("char"))) list = bytesOf(s);
        else throw new IllegalArgumentException(path + " is a " + t.text() + ": give a list, not " + describe(v));
        if (t.fixedLength() != FieldType.VARIABLE) {
            if (!list.isEmpty() && list.size() != t.fixedLength()) {
                throw new IllegalArgumentException(path + " is a " + t.text() + ": it needs " + t.fixedLength() + " elements, not " + list.size());
            }
        } else {
            b = room(b, 4);
            b.putInt(list.size());
        }
        int n = t.fixedLength() == FieldType.VARIABLE ? list.size() : t.fixedLength();
        for (int i = 0; i < n; i++) b = writeOne(t.base(), list.isEmpty() ? null : list.get(i), b, path + "[" + i + "]");
        return b;
    }

    private static List<Object> bytesOf(String s) {
        List<Object> out = new ArrayList<>();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) out.add(x & 0xff);
        return out;
    }

    @SuppressWarnings("unchecked")
    private ByteBuffer writeOne(String base, Object v, ByteBuffer b, String path) {
        switch (base) {
            case "bool" -> room(b, 1).put((byte) (bool(v, path) ? 1 : 0));
            case "int8", "byte" -> room(b, 1).put((byte) integer(v, path, -128, 127));
            case "uint8", "char" -> room(b, 1).put((byte) integer(v, path, 0, 255));
            case "int16" -> room(b, 2).putShort((short) integer(v, path, Short.MIN_VALUE, Short.MAX_VALUE));
            case "uint16" -> room(b, 2).putShort((short) integer(v, path, 0, 65535));
            case "int32" -> room(b, 4).putInt((int) integer(v, path, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case "uint32" -> room(b, 4).putInt((int) integer(v, path, 0, 0xffffffffL));
            case "int64" -> room(b, 8).putLong(integer(v, path, Long.MIN_VALUE, Long.MAX_VALUE));
            case "uint64" -> room(b, 8).putLong(unsigned64(v, path));
            case "float32" -> room(b, 4).putFloat((float) real(v, path));
            case "float64" -> room(b, 8).putDouble(real(v, path));
            case "string" -> {
                if (v != null && !(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
                    throw new IllegalArgumentException(path + " is a string, not " + describe(v));
                }
                byte[] s = (v == null ? "" : String.valueOf(v)).getBytes(StandardCharsets.UTF_8);
                b = room(b, 4 + s.length);
                b.putInt(s.length).put(s);
            }
            case "time", "duration" -> {
                long[] sn = secsNsecs(v, path);
                room(b, 8).putInt((int) sn[0]).putInt((int) sn[1]);
            }
            default -> {
                if (v != null && !(v instanceof Map)) throw new IllegalArgumentException(path + " is a " + base + ": give its fields, not " + describe(v));
                return write(catalog.message(base), v == null ? Map.of() : (Map<String, Object>) v, b, path);
            }
        }
        return b;
    }

    private static ByteBuffer room(ByteBuffer b, int n) {
        if (b.remaining() >= n) return b;
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
        b.flip();
        bigger.put(b);
        return bigger;
    }

    private static boolean bool(Object v, String path) {
        if (v == null) return false;
        if (v instanceof Boolean x) return x;
        if (v instanceof Number n && (n.longValue() == 0 || n.longValue() == 1)) return n.longValue() == 1;
        throw new IllegalArgumentException(path + " is a bool, not " + describe(v));
    }

    private static long integer(Object v, String path, long min, long max) {
        if (v == null) return 0;
        long x;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) x = ((Number) v).longValue();
        else if (v instanceof BigInteger big && big.bitLength() < 64) x = big.longValue();
        else if (v instanceof Boolean bo) x = bo ? 1 : 0;
        else throw new IllegalArgumentException(path + " is an integer, not " + describe(v));
        if (x < min || x > max) throw new IllegalArgumentException(path + " = " + x + " is out of range [" + min + ", " + max + "]");
        return x;
    }

    private static long unsigned64(Object v, String path) {
        if (v instanceof BigInteger big) {
            if (big.signum() < 0 || big.bitLength() > 64) throw new IllegalArgumentException(path + " = " + big + " is out of range for uint64");
            return big.longValue();
        }
        return integer(v, path, 0, Long.MAX_VALUE);
    }

    private static double real(Object v, String path) {
        if (v == null) return 0;
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException(path + " is a number, not " + describe(v));
    }

    /** time/duration from {secs, nsecs}, a number of seconds, a Time or a Duration. */
    private static long[] secsNsecs(Object v, String path) {
        if (v == null) return new long[2];
        if (v instanceof Time t) return new long[] {t.secs, t.nsecs};
        if (v instanceof Duration d) return new long[] {d.secs, d.nsecs};
        if (v instanceof Map<?, ?> m) {
            return new long[] {integer(m.get("secs"), path + ".secs", Integer.MIN_VALUE, 0xffffffffL),
                integer(m.get("nsecs"), path + ".nsecs", Integer.MIN_VALUE, 0xffffffffL)};
        }
        if (v instanceof Number n) {
            long nanos = Math.round(n.doubleValue() * 1e9);
            return new long[] {Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)};
        }
        throw new IllegalArgumentException(path + " is a time: give {secs: S, nsecs: N} or seconds, not " + describe(v));
    }

    private static String describe(Object v) {
        String s = String.valueOf(v);
        return (v instanceof String ? "the text '" + s + "'" : s) + (v instanceof Map ? " (fields)" : v instanceof List ? " (a list)" : "");
    }
}
