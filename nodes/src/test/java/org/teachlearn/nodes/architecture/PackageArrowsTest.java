package org.teachlearn.nodes.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The folder tree is the architecture (STYLE.md), checked from the sources of every module: no
 * import cycles between packages, {@code robot} and {@code learn} know nothing of {@code ros} or
 * {@code nodes}, {@code ros} nothing of {@code robot}, {@code learn} or {@code nodes}, and {@code web}
 * (the operator's web server) nothing of the others. A
 * package uses another where it imports it or names one of its classes fully qualified.
 */
class PackageArrowsTest {

    static final String[] MODULES = {"rosmsg", "ros", "robot", "learn", "web", "nodes", "bench"};
    // org.teachlearn.a.b.Type: the package is every lower-case segment before the first capitalised one
    static final Pattern REFERENCE = Pattern.compile("\\borg\\.teachlearn((?:\\.[a-z_][a-z0-9_]*)+)\\.[A-Z]");
    static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");

    /** Package → module, for every package with sources. */
    static final Map<String, String> moduleOf = new TreeMap<>();
    /** Package → package → the first file that makes the arrow. */
    static final Map<String, Map<String, String>> uses = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        Path root = Path.of("..");
        for (String module : MODULES) {
            Path src = root.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(src)) continue;
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) read(module, f);
            }
        }
    }

    private static void read(String module, Path file) throws IOException {
        String text = STRING.matcher(COMMENT.matcher(Files.readString(file)).replaceAll(" ")).replaceAll("\"\"");
        Matcher p = PACKAGE.matcher(text);
        if (!p.find()) return;
        String pkg = p.group(1);
        moduleOf.put(pkg, module);
        Map<String, String> out = uses.computeIfAbsent(pkg, k -> new TreeMap<>());
        Matcher r = REFERENCE.matcher(text);
        while (r.find()) {
            String used = "org.teachlearn" + r.group(1);
            if (!used.equals(pkg)) out.putIfAbsent(used, file.getFileName().toString());
        }
    }

    /** Generated message classes live in ros (its build generates them). */
    private static String module(String pkg) {
        if (pkg.startsWith("org.teachlearn.msgs")) return "ros";
        return moduleOf.getOrDefault(pkg, "?");
    }

    @Test
    void everyModuleWasRead() {
        Set<String> read = new TreeSet<>(moduleOf.values());
        assertEquals(new TreeSet<>(List.of(MODULES)), read, "modules whose sources were found under ../*/src/main/java");
    }

    @Test
    void robotAndLearnKnowNothingOfRosAndRosNothingOfTheSuite() {
        Map<String, Set<String>> forbidden = Map.of(
                "robot", Set.of("ros", "nodes", "bench", "learn", "web"),
                "web", Set.of("ros", "robot", "learn", "nodes", "bench"),
                "learn", Set.of("ros", "nodes", "bench", "web"),
                "ros", Set.of("robot", "learn", "nodes", "bench", "web"),
                "rosmsg", Set.of("ros", "robot", "learn", "nodes", "bench"),
                "nodes", Set.of("bench"));
        List<String> wrong = new ArrayList<>();
        uses.forEach((from, to) -> to.forEach((used, file) -> {
            if (forbidden.getOrDefault(module(from), Set.of()).contains(module(used))) {
                wrong.add(file + ": " + from + " (" + module(from) + ") uses " + used + " (" + module(used) + ")");
            }
        }));
        assertTrue(wrong.isEmpty(), "arrows that point the wrong way between modules:\n  " + String.join("\n  ", wrong));
    }

    @Test
    void noImportCyclesBetweenPackages() {
        List<List<String>> cycles = stronglyConnected();
        List<String> report = new ArrayList<>();
        for (List<String> c : cycles) {
            StringBuilder b = new StringBuilder(String.join(" ↔ ", c)).append(':');
            for (String from : c) {
                for (String to : c) {
                    String file = uses.getOrDefault(from, Map.of()).get(to);
                    if (file != null) b.append("\n    ").append(from).append(" → ").append(to).append(" (").append(file).append(')');
                }
            }
            report.add(b.toString());
        }
        assertTrue(report.isEmpty(), "package cycles (make the arrow point one way):\n  " + String.join("\n  ", report));
    }

    /** Tarjan's strongly connected components of more than one package. */
    private static List<List<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : uses.keySet()) if (!index.containsKey(v)) connect(v, index, low, stack, onStack, out, counter);
        return out;
    }

    private static void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
            List<List<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : uses.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) out.add(component);
        }
    }
}
