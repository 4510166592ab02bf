package org.teachlearn.ros.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.teachlearn.ros.testing.Peer;
import org.teachlearn.ros.testing.RosPeers;
import org.teachlearn.rosmsg.Field;
import org.teachlearn.rosmsg.FieldType;
import org.teachlearn.rosmsg.JavaGenerator;
import org.teachlearn.rosmsg.MsgCatalog;

/**
 * Every shipped message type against ROS's own tools: MD5 and full text as genmsg computes them
 * from our files, MD5 as Debian's packages have it, and the bytes genpy writes for the same
 * values (filled the same deterministic way on both sides).
 */
class MessageParityTest {

    record Expected(String md5, String debianMd5, String hex, String fullText) {
    }

    @Test
    void everyShippedTypeMatchesGenmsgGenpyAndDebian() throws Exception {
        MsgCatalog catalog = new MsgCatalog();
        List<String> pkgArgs = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of("src/main/ros"))) {
            for (Path d : dirs.sorted().toList()) {
                catalog.addPackage(d.getFileName().toString(), d);
                pkgArgs.add(d.getFileName() + "=" + d.toAbsolutePath());
            }
        }
        catalog.addPackage("teach_learn", Path.of("..").toAbsolutePath().normalize());
        pkgArgs.add("teach_learn=" + Path.of("..").toAbsolutePath().normalize());
        List<String> types = new ArrayList<>();
        for (String pkg : catalog.packages()) types.addAll(catalog.typesIn(pkg, "msg"));
        assertTrue(types.size() > 70, "shipped types: " + types.size());

        Path input = Files.createTempFile("parity", ".txt");
        Files.writeString(input, String.join("\n", types) + "\n");
        List<String> cmd = new ArrayList<>(List.of("bash", "-c",
                RosPeers.PYTHON + " src/test/peers/parity.py " + String.join(" ", pkgArgs) + " < " + input));
        String out = Peer.run(java.net.URI.create("http://127.0.0.1:1/"), 120, cmd.toArray(new String[0]));
        java.util.Map<String, Expected> expected = new java.util.HashMap<>();
        for (String line : out.split("\n")) {
            String[] p = line.split(" ");
            if (p.length != 5) continue;
            expected.put(p[0], new Expected(p[1], p[2], p[3].equals("-") ? "" : p[3],
                    new String(Base64.getDecoder().decode(p[4]), StandardCharsets.UTF_8)));
        }
        int debianChecked = 0;
        for (String type : types) {
            Expected e = expected.get(type);
            assertTrue(e != null, "genmsg said nothing about " + type + ":\n" + out);
            Class<?> cls = Class.forName(JavaGenerator.javaClass(type));
            Message m = (Message) cls.getConstructor().newInstance();
            assertEquals(e.md5(), m.type().md5(), type + " md5 vs genmsg");
            assertEquals(e.md5(), catalog.md5(type), type + " catalog md5");
            if (!e.debianMd5().equals("-")) {
                assertEquals(e.debianMd5(), m.type().md5(), type + " md5 vs Debian's package");
                debianChecked++;
            }
            assertEquals(e.fullText(), m.type().definition(), type + " full text");
            new Filler(catalog).fill(m, type);
            ByteBuffer b = ByteBuffer.allocate(m.serializedSize()).order(ByteOrder.LITTLE_ENDIAN);
            m.serialize(b);
            assertEquals(b.capacity(), b.position(), type + " serializedSize");
            assertEquals(e.hex(), HexFormat.of().formatHex(b.array()), type + " bytes vs genpy");
            Message back = (Message) cls.getConstructor().newInstance();
            back.deserialize(ByteBuffer.wrap(HexFormat.of().parseHex(e.hex())).order(ByteOrder.LITTLE_ENDIAN));
            ByteBuffer again = ByteBuffer.allocate(back.serializedSize()).order(ByteOrder.LITTLE_ENDIAN);
            back.serialize(again);
            assertEquals(e.hex(), HexFormat.of().formatHex(again.array()), type + " read back and written again");
        }
        assertTrue(debianChecked >= 60, "types checked against Debian's md5: " + debianChecked);
        assertEquals("992ce8a1687cec8c8bd883ec73ca41d1",
                Peer.run(java.net.URI.create("http://127.0.0.1:1/"), 30, RosPeers.tool("rosmsg"), "md5", "std_msgs/String").strip());
        assertEquals(Peer.run(java.net.URI.create("http://127.0.0.1:1/"), 30, RosPeers.tool("rossrv"), "md5", "std_srvs/SetBool").strip(),
                org.teachlearn.msgs.std_srvs.SetBool.TYPE.md5());
        assertEquals(Peer.run(java.net.URI.create("http://127.0.0.1:1/"), 30, RosPeers.tool("rossrv"), "md5", "std_srvs/Trigger").strip(),
                org.teachlearn.msgs.std_srvs.Trigger.TYPE.md5());
    }

    /** The same deterministic fill as parity.py, through the generated classes' public fields. */
    static final class Filler {
        private final MsgCatalog catalog;
        private long k;

        Filler(MsgCatalog catalog) {
            this.catalog = catalog;
        }

        void fill(Object m, String type) throws Exception {
            for (Field f : catalog.message(type).fields()) {
                java.lang.reflect.Field jf = m.getClass().getField(JavaGenerator.javaField(f.name()));
                FieldType t = f.type();
                if (t.isArray()) {
                    int n = t.fixedLength();
                    if (n == FieldType.VARIABLE) n = (int) (++k % 3 + 1);
                    Object arr = Array.newInstance(jf.getType().getComponentType(), n);
                    for (int i = 0; i < n; i++) Array.set(arr, i, scalar(t.base(), jf.getType().getComponentType()));
                    jf.set(m, arr);
                } else {
                    jf.set(m, scalar(t.base(), jf.getType()));
                }
            }
        }

        private Object scalar(String base, Class<?> javaType) throws Exception {
            long v = ++k;
            Object value = switch (base) {
                case "bool" -> v % 2 == 1;
                case "int8", "byte" -> v % 100 - 50;
                case "uint8", "char" -> v % 200;
                case "int16" -> v * 3 - 500;
                case "uint16" -> v * 3;
                case "int32" -> v * 1000 - 7;
                case "uint32" -> v * 1000;
                case "int64" -> v * 100000 - 3;
                case "uint64" -> v * 100000;
                case "float32" -> v + 0.25;
                case "float64" -> v + 0.125;
                case "string" -> "s" + v;
                case "time" -> new Time((int) v, (int) v * 1000);
                case "duration" -> new Duration((int) v, (int) v * 1000);
                default -> null;
            };
            if (value == null) {
                Object nested = javaType.getConstructor().newInstance();
                fill(nested, base);
                return nested;
            }
            if (value instanceof Long l) {
                if (javaType == byte.class) return (byte) (long) l;
                if (javaType == short.class) return (short) (long) l;
                if (javaType == int.class) return (int) (long) l;
                return l;
            }
            if (value instanceof Double d && javaType == float.class) return (float) (double) d;
            return value;
        }
    }
}
