package org.teachlearn.nodes.demos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.teachlearn.learn.demo.DemoSource;
import org.teachlearn.learn.demo.DemoSpec;
import org.teachlearn.learn.demo.Demonstration;
import org.teachlearn.ros.bag.BagReader;

/**
 * Demonstrations from ROS bags (format 2.0: our recorder's, {@code rosbag record}'s, the Python
 * rosbag API's) for {@code ./teach_learn train bc|dagger --bags DIR}: every {@code *.bag} under
 * the folder, in name order, read one at a time by {@link DemoBag}. A bag that cannot be read
 * (damaged, still being recorded, without joint_states) is handed on as unreadable, with what to
 * do, and the others are read.
 */
public final class BagDemos implements DemoSource {

    @Override
    public void read(Path where, DemoSpec spec, Consumer<Demonstration> each) throws IOException {
        List<Path> files = recordingsUnder(where);
        for (Path f : files) {
            String name = Files.isDirectory(where) ? where.relativize(f).toString() : f.getFileName().toString();
            if (f.getFileName().toString().endsWith(".bag.active")) {
                each.accept(Demonstration.unreadable(name, "still being recorded, or its recorder died: run ./teach_learn bag reindex " + f));
                continue;
            }
            each.accept(readOne(f, name, spec));
        }
    }

    /** One bag as a demonstration, or as unreadable with the reason. */
    static Demonstration readOne(Path file, String name, DemoSpec spec) {
        try (BagReader bag = new BagReader(file)) {
            return new DemoBag(bag, name, spec).read();
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            if (why.startsWith(file + " ")) why = "it" + why.substring(file.toString().length());   // the summary names the file
            return Demonstration.unreadable(name, "cannot read it: " + why);
        }
    }

    /** The bags under {@code where} (and recordings left unfinished), sorted; a bag given directly is read whatever its name. */
    static List<Path> recordingsUnder(Path where) throws IOException {
        if (!Files.exists(where)) throw new IllegalArgumentException("--bags: no file or folder " + where.toAbsolutePath());
        if (Files.isRegularFile(where)) return List.of(where);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> all = Files.walk(where)) {
            all.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                // NAME.orig.bag is the original a `bag reindex` kept of a repaired NAME.bag
                return (n.endsWith(".bag") && !n.endsWith(".orig.bag")) || n.endsWith(".bag.active");
            }).sorted().forEach(found::add);
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("--bags: no .bag files in " + where.toAbsolutePath()
                    + " (record demonstrations with the recorder node, rosbag record or ./teach_learn bag record)");
        }
        return found;
    }
}
