package org.teachlearn.learn.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Where recorded demonstrations come from. {@code learn} knows nothing of ROS, so the reader of
 * ROS bags lives in {@code nodes} ({@code BagDemos}) and is handed to the train command by
 * {@code ./teach_learn}'s entry point; this module samples and labels what it reads.
 */
public interface DemoSource {

    /**
     * Reads every recording under {@code where} (a folder, searched recursively, or one file), in
     * name order, and hands each to {@code each} before reading the next; one that cannot be used
     * at all comes as {@link Demonstration#unreadable}. Throws when {@code where} holds none.
     */
    void read(Path where, DemoSpec spec, Consumer<Demonstration> each) throws IOException;
}
