package org.teachlearn.nodes.train;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.teachlearn.ros.node.RosLog;

/**
 * A PrintStream whose lines go to the node's log (and so to {@code /rosout}): the learning code
 * reports progress to a PrintStream in {@code ./teach_learn train} and to the node's log here.
 */
final class LogLines extends OutputStream {

    private final RosLog log;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private LogLines(RosLog log) {
        this.log = log;
    }

    static PrintStream of(RosLog log) {
        return new PrintStream(new LogLines(log), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else if (b != '\r') {
            line.write(b);
        }
    }

    private void flushLine() {
        if (line.size() > 0) log.info(line.toString(StandardCharsets.UTF_8));
        line.reset();
    }
}
