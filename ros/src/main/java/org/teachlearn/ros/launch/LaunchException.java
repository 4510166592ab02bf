package org.teachlearn.ros.launch;

import java.nio.file.Path;

/** A launch file that cannot be run, with the file and line at fault, as {@code FILE:LINE: what is wrong}. */
public final class LaunchException extends RuntimeException {

    public LaunchException(Path file, int line, String message) {
        super(file + ":" + line + ": " + message);
    }

    public LaunchException(Path file, int line, String message, Throwable cause) {
        super(file + ":" + line + ": " + message, cause);
    }
}
