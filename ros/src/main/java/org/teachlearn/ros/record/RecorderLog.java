package org.teachlearn.ros.record;

/** Where the recorder says what it did and what went wrong; a node sends it to /rosout. */
public interface RecorderLog {

    void info(String message);

    void warn(String message);

    void error(String message);

    /** A node's log. */
    static RecorderLog of(org.teachlearn.ros.node.RosLog log) {
        return new RecorderLog() {
            @Override
            public void info(String message) {
                log.info(message);
            }

            @Override
            public void warn(String message) {
                log.warn(message);
            }

            @Override
            public void error(String message) {
                log.error(message);
            }
        };
    }
}
