package org.teachlearn.ros.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teachlearn.ros.testing.RosPeers;

/** roslaunch's rules as our loader applies them; $(eval) against Python itself. */
class LaunchLoaderTest {

    @TempDir
    Path dir;

    private LaunchConfig load(String xml, Map<String, String> args) throws Exception {
        Path f = dir.resolve("t.launch");
        Files.writeString(f, xml);
        return LaunchLoader.load(f, args, new RosPackages(dir.toString()), Map.of("HOME", "/home/u", "HOSTNAME", "box"));
    }

    private String error(String xml, Map<String, String> args) {
        return assertThrows(LaunchException.class, () -> load(xml, args)).getMessage();
    }

    @Test
    void evalPrintsWhatPythonPrints() throws Exception {
        List<String> expressions = List.of("1 / 4", "7 // 2", "-7 // 2", "-7 % 3", "2 ** 10", "2 ** -1", "0.1 + 0.2", "1e-5 * 3", "1e16 * 10",
                "3 * 1.5", "'a' + 'b' * 3", "not 0", "1 < 2 < 3", "3 > 2 == 2", "'ell' in 'hello'", "2 not in [1, 3]",
                "'x' if 1 > 2 else 'y'", "0 or 'fallback'", "5 and 6", "round(2.675, 2)", "int(7.9)", "float('2') / 3", "abs(-4)",
                "max(1, 7.5, 3)", "str(12) + 'px'", "pi / 2", "sqrt(2)", "radians(180)", "floor(-1.5)", "True + 1", "100000000.0 * 100000000.0");
        StringBuilder py = new StringBuilder("from math import *\n");
        for (String e : expressions) py.append("print(str(").append(e).append("))\n");
        Process p = new ProcessBuilder(RosPeers.PYTHON, "-c", py.toString()).redirectErrorStream(true).start();
        String[] python = new String(p.getInputStream().readAllBytes()).split("\n");
        assertEquals(0, p.waitFor(), String.join("\n", python));
        for (int i = 0; i < expressions.size(); i++) {
            String ours = PyExpr.evaluate(expressions.get(i), new PyExpr.Functions() {
                @Override
                public Object call(String name, List<Object> a) {
                    return PyExpr.MATH.get(name).apply(a);
                }

                @Override
                public Object name(String name) {
                    return PyExpr.MATH_CONSTANTS.get(name);
                }
            });
            assertEquals(python[i], ours, expressions.get(i));
        }
    }

    @Test
    void argsTypedInEvalAndSubstitutedEverywhere() throws Exception {
        LaunchConfig c = load("""
                <launch>
                  <arg name="n" default="3"/>
                  <arg name="name" default="arm"/>
                  <param name="twice" value="$(eval n * 2)"/>
                  <param name="is_arm" value="$(eval name == 'arm' and arg('n') > 2)"/>
                  <param name="home" value="$(env HOME)/x"/>
                  <param name="opt" value="$(optenv NOPE a b)"/>
                  <param name="anon1" value="$(anon cam)"/>
                  <param name="anon2" value="$(anon cam)"/>
                  <param name="here" value="$(dirname)"/>
                </launch>
                """, Map.of("n", "4"));
        assertEquals(8, c.params.get("/twice"));
        assertEquals(true, c.params.get("/is_arm"));
        assertEquals("/home/u/x", c.params.get("/home"));
        assertEquals("a b", c.params.get("/opt"));
        assertEquals(c.params.get("/anon1"), c.params.get("/anon2"));
        assertTrue(((String) c.params.get("/anon1")).startsWith("cam_box_"), (String) c.params.get("/anon1"));
        assertEquals(dir.toAbsolutePath().toString(), c.params.get("/here"));
    }

    @Test
    void aFileIncludesItselfUntilAnIfEndsItAsRoslaunchAllows() throws Exception {
        Files.writeString(dir.resolve("worker.launch"), """
                <launch>
                  <arg name="i"/>
                  <arg name="n"/>
                  <node pkg="p" type="t" name="w" ns="$(eval 'worker_' + str(arg('i')))"/>
                  <include if="$(eval arg('i') + 1 &lt; arg('n'))" file="$(dirname)/worker.launch">
                    <arg name="i" value="$(eval arg('i') + 1)"/>
                    <arg name="n" value="$(arg n)"/>
                  </include>
                </launch>
                """);
        LaunchConfig c = load("""
                <launch>
                  <include file="worker.launch"><arg name="i" value="0"/><arg name="n" value="3"/></include>
                </launch>
                """, Map.of());
        assertEquals(List.of("/worker_0/w", "/worker_1/w", "/worker_2/w"), c.nodes.stream().map(LaunchNode::fullName).toList());
        Files.writeString(dir.resolve("forever.launch"), "<launch><include file=\"$(dirname)/forever.launch\"/></launch>");
        assertTrue(error("<launch><include file=\"forever.launch\"/></launch>", Map.of()).contains("includes nest more than 256 deep"));
    }

    @Test
    void anEmptyMachineAttributeMeansThisComputerAsInRoslaunch() throws Exception {
        String xml = """
                <launch>
                  <arg name="m" default=""/>
                  <machine if="$(eval arg('m') != '')" name="$(arg m)" address="127.0.0.2" user="lab" ssh-port="2222" env-loader="/env.sh" timeout="30"/>
                  <node pkg="p" type="t" name="a" machine="$(arg m)"/>
                </launch>
                """;
        assertEquals(null, load(xml, Map.of()).nodes.get(0).machine());
        LaunchConfig far = load(xml, Map.of("m", "far"));
        assertEquals("far", far.nodes.get(0).machine());
        assertEquals("127.0.0.2", far.machines.get("far").address());
        assertTrue(error("<launch><node pkg=\"p\" type=\"t\" name=\"a\" machine=\"far\"/></launch>", Map.of()).contains("machine 'far' is not declared"));
    }

    @Test
    void includesPassArgsExplicitlyOrAll() throws Exception {
        Files.writeString(dir.resolve("inner.launch"), """
                <launch>
                  <arg name="who"/>
                  <arg name="n" default="1"/>
                  <node pkg="p" type="t" name="$(arg who)" ns="inner"><param name="n" value="$(arg n)"/></node>
                </launch>
                """);
        LaunchConfig c = load("""
                <launch>
                  <arg name="who" default="a"/>
                  <arg name="n" default="5"/>
                  <include file="$(dirname)/inner.launch" ns="one"><arg name="who" value="x"/></include>
                  <include file="inner.launch" ns="two" pass_all_args="true"/>
                </launch>
                """, Map.of());
        assertEquals(List.of("/one/inner/x", "/two/inner/a"), c.nodes.stream().map(LaunchNode::fullName).toList());
        assertEquals(1, c.params.get("/one/inner/x/n"));
        assertEquals(5, c.params.get("/two/inner/a/n"));
        assertTrue(error("<launch>\n<include file=\"inner.launch\">\n<arg name=\"who\" value=\"x\"/>\n<arg name=\"typo\" value=\"1\"/>\n</include>\n</launch>",
                Map.of()).contains("t.launch:2: unused args [typo]"));
    }

    @Test
    void groupsScopeRemapsNamespacesAndPrivateParams() throws Exception {
        LaunchConfig c = load("""
                <launch>
                  <remap from="a" to="b"/>
                  <group ns="g">
                    <remap from="c" to="d"/>
                    <param name="~rate" value="10"/>
                    <node pkg="p" type="t" name="n1" args="--x 'two words'"><remap from="e" to="f"/></node>
                  </group>
                  <node pkg="p" type="t" name="n2" respawn="true" respawn_delay="2.5" output="screen"/>
                </launch>
                """, Map.of());
        LaunchNode n1 = c.nodes.get(0), n2 = c.nodes.get(1);
        assertEquals("/g/n1", n1.fullName());
        assertEquals(Map.of("a", "b", "c", "d", "e", "f"), n1.remaps());
        assertEquals(List.of("--x", "two words"), n1.args());
        assertEquals(10, c.params.get("/g/n1/rate"));
        assertEquals(Map.of("a", "b"), n2.remaps());
        assertTrue(n2.respawn() && n2.respawnDelay() == 2.5 && n2.output().equals("screen"));
        assertEquals(null, c.params.get("/n2/rate"));
    }

    @Test
    void rosparamCommandsAndFileParamsAreKept() throws Exception {
        Files.write(dir.resolve("blob.bin"), new byte[] {0, 1, 2, (byte) 255});
        Files.writeString(dir.resolve("text.txt"), "line\n");
        LaunchConfig c = load("""
                <launch>
                  <group ns="arm" clear_params="true">
                    <rosparam command="dump" file="$(dirname)/out.yaml"/>
                    <rosparam command="delete" param="old"/>
                    <rosparam command="load" file="$(dirname)/p.yaml"/>
                  </group>
                  <param name="blob" binfile="$(dirname)/blob.bin"/>
                  <param name="text" textfile="$(dirname)/text.txt"/>
                  <param name="n" type="yaml" value="{a: [1, yes]}"/>
                </launch>
                """.replace("p.yaml", writeYaml()), Map.of());
        assertEquals(List.of(new LaunchConfig.SetupAction("dump", "/arm/", dir.toAbsolutePath() + "/out.yaml"),
                new LaunchConfig.SetupAction("delete", "/arm/old", null)), c.setup);
        assertEquals(List.of("/arm/"), c.clearParams);
        assertEquals(2.5, c.params.get("/arm/gain"));
        assertTrue(java.util.Arrays.equals(new byte[] {0, 1, 2, (byte) 255}, (byte[]) c.params.get("/blob")));
        assertEquals("line\n", c.params.get("/text"));
        assertEquals(Map.of("a", List.of(1, true)), c.params.get("/n"));
    }

    /**
     * roslaunch sets a node's {@code <rosparam>} children first, then the scope's ~params, then the node's {@code <param>}s; a
     * key set again keeps its first place, a ~param given twice moves to the end, an empty dictionary sets nothing. The order of
     * setParam calls is the order of the master's keys, so it is compared with roslaunch's own {@code config.params}.
     */
    @Test
    void parametersInRoslaunchOrder() throws Exception {
        String xml = """
                <launch>
                  <param name="a" value="1"/>
                  <param name="b" value="1"/>
                  <param name="a" value="2"/>
                  <group ns="order">
                    <param name="~from_scope" value="scope"/>
                    <param name="~moved" value="1"/>
                    <param name="~later" value="1"/>
                    <param name="~moved" value="2"/>
                    <node pkg="p" type="t" name="n">
                      <param name="zeta" value="1"/>
                      <param name="alpha" value="2"/>
                      <rosparam>
                        gains: {p: 1.0, i: 0.1, d: 0.01}
                        mode: fast
                        empty: {}
                      </rosparam>
                      <param name="gains/i" value="0.2"/>
                      <param name="~zeta" value="3"/>
                      <param name="later" value="own"/>
                      <rosparam param="limits">{upper: 2, lower: -2}</rosparam>
                      <param name="beta" type="yaml" value="{y: 1, x: 2}"/>
                    </node>
                  </group>
                  <rosparam ns="blank">{}</rosparam>
                </launch>
                """;
        LaunchConfig c = load(xml, Map.of());
        String py = "import roslaunch.config\n"
                + "c = roslaunch.config.load_config_default(['" + dir.resolve("t.launch") + "'], None, verbose=False)\n"
                + "for k, p in c.params.items():\n"
                + "    if k not in ('/rosversion', '/rosdistro'): print(k, repr(p.value))\n";
        Process p = new ProcessBuilder(RosPeers.PYTHON, "-c", py).redirectErrorStream(true).start();
        String roslaunch = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), roslaunch);
        StringBuilder ours = new StringBuilder();
        c.params.forEach((k, v) -> ours.append(k).append(' ').append(pyRepr(v)).append('\n'));
        assertEquals(roslaunch, ours.toString().strip());
        assertEquals(List.of("/a", "/b", "/order/n/gains/p", "/order/n/gains/i", "/order/n/gains/d", "/order/n/mode", "/order/n/limits/upper",
                "/order/n/limits/lower", "/order/n/from_scope", "/order/n/later", "/order/n/moved", "/order/n/zeta", "/order/n/alpha",
                "/order/n/beta"), List.copyOf(c.params.keySet()), "roslaunch's order, spelled out");
    }

    /** Python's repr() of the parameter values used above. */
    private static String pyRepr(Object v) {
        if (v instanceof String s) return "'" + s + "'";
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            m.forEach((k, x) -> sb.append(sb.length() > 1 ? ", " : "").append(pyRepr(k)).append(": ").append(pyRepr(x)));
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }

    private String writeYaml() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), "gain: 2.5\n");
        return "p.yaml";
    }

    @Test
    void errorsNameFileAndLine() {
        assertTrue(error("<launch>\n\n  <param name=\"x\" value=\"$(arg nope)\"/>\n</launch>", Map.of()).endsWith("t.launch:3: <param>: arg 'nope' is not defined"));
        assertTrue(error("<launch>\n  <arg name=\"req\"/>\n  <param name=\"x\" value=\"$(arg req)\"/>\n</launch>", Map.of()).contains("t.launch:3: <param>: arg 'req' is not set"));
        assertTrue(error("<launch>\n  <node pkg=\"p\" type=\"t\" name=\"n\" if=\"maybe\"/>\n</launch>", Map.of()).contains("t.launch:2: if=\"maybe\" is not a boolean"));
        assertTrue(error("<launch>\n  <node pkg=\"p\" type=\"t\" name=\"n\"/>\n  <node pkg=\"p\" type=\"u\" name=\"n\"/>\n</launch>", Map.of()).contains("t.launch:3: a second node named /n"));
        assertTrue(error("<launch>\n  <node pkg=\"p\" type=\"t\"/>\n</launch>", Map.of()).contains("t.launch:2: <node> needs the attribute 'name'"));
        assertTrue(error("<launch>\n  <param name=\"x\"/>\n</launch>", Map.of()).contains("t.launch:2: <param name=\"x\"> needs exactly one of value"));
        assertTrue(error("<launch>\n  <rosparam>\n    a: [1, 2\n  </rosparam>\n</launch>", Map.of()).contains("t.launch:2: invalid YAML"));
        assertTrue(error("<launch>\n  <param name=\"x\" value=\"1\">\n</launch>", Map.of()).contains("t.launch:3: invalid XML"));
        assertTrue(error("<launch/>", Map.of("extra", "1")).contains("unused args [extra]"));
        assertTrue(error("<launch>\n  <arg name=\"a\" value=\"1\"/>\n</launch>", Map.of("a", "2")).contains("t.launch:2: cannot override arg 'a'"));
    }
}
