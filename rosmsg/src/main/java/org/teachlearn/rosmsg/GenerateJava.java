package org.teachlearn.rosmsg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Command line of the generator, run by the Maven build for the shipped packages and by
 * {@code ./teach_learn msg gen} for users' own:
 * <pre>
 *   GenerateJava --out DIR [--package NAME=DIR]... [--packages-in DIR]... [--ros-package-path PATH] [PKG...]
 * </pre>
 * Without PKG arguments it generates every package given with --package or --packages-in;
 * dependencies are looked up in all of them and on the ROS package path.
 */
public final class GenerateJava {

    private GenerateJava() {
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        MsgCatalog catalog = new MsgCatalog();
        List<String> selected = new ArrayList<>();
        List<String> given = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--out" -> out = Path.of(need(args, ++i, a));
                case "--package" -> {
                    String v = need(args, ++i, a);
                    int eq = v.indexOf('=');
                    if (eq <= 0) throw new IllegalArgumentException("--package takes NAME=DIR, got '" + v + "'");
                    catalog.addPackage(v.substring(0, eq), Path.of(v.substring(eq + 1)));
                    given.add(v.substring(0, eq));
                }
                case "--packages-in" -> {
                    try (Stream<Path> dirs = Files.list(Path.of(need(args, ++i, a)))) {
                        for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                            catalog.addPackage(d.getFileName().toString(), d);
                            given.add(d.getFileName().toString());
                        }
                    }
                }
                case "--ros-package-path" -> catalog.addPackagePath(need(args, ++i, a));
                default -> {
                    if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
                    selected.add(a);
                }
            }
        }
        if (out == null) throw new IllegalArgumentException("--out DIR is required");
        List<String> packages = selected.isEmpty() ? given : selected;
        JavaGenerator generator = new JavaGenerator(catalog);
        int count = 0;
        for (String pkg : packages) {
            if (!catalog.packages().contains(pkg)) {
                throw new IllegalArgumentException("package '" + pkg + "' not found (known: "
                        + String.join(", ", catalog.packages()) + ")");
            }
            for (String type : catalog.typesIn(pkg, "msg")) {
                generator.writeMessage(type, out);
                count++;
            }
            for (String type : catalog.typesIn(pkg, "srv")) {
                generator.writeService(type, out);
                count++;
            }
        }
        System.out.println("generated " + count + " message and service types of " + packages + " into " + out);
    }

    private static String need(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }
}
