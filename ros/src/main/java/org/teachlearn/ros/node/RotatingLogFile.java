package org.teachlearn.ros.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A log file that rotates as ROS's do (Python's RotatingFileHandler for node logs, roscpp's rosout
 * for {@code rosout.log}): when the next line would take it past {@code maxBytes}, {@code NAME} becomes
 * {@code NAME.1}, {@code NAME.1} becomes {@code NAME.2} and so on, the oldest beyond {@code backups}
 * is deleted — so a flood of log lines keeps the directory at most {@code (backups + 1) × maxBytes}.
 * Each line goes to the file as it is logged (what a crash leaves is on disk), through buffers sized
 * once, so logging allocates nothing here. Thread-safe. An I/O error stops the file, never the node.
 */
public final class RotatingLogFile implements AutoCloseable {

    /** How big a log file may grow and how many rotated ones are kept. */
    public record Limits(long maxBytes, int backups) {
        /** roscpp's rosout node: rosout.log rotates at 100 MiB, keeping rosout.log.1 … .10. */
        public static final Limits ROSOUT = new Limits(100L << 20, 10);
        /** rospy's /etc/ros/python_logging.conf: node logs rotate at 50 MB, keeping 4. */
        public static final Limits NODE = new Limits(50_000_000L, 4);

        public Limits {
            if (maxBytes < 1024) throw new IllegalArgumentException("a log file's size limit must be at least 1024 bytes, not " + maxBytes);
            if (backups < 0) throw new IllegalArgumentException("the number of rotated log files to keep must be >= 0, not " + backups);
        }

        /** {@code defaults}, overridden by $TEACH_LEARN_LOG_MAX_BYTES (e.g. 1048576, 512k, 100M) and $TEACH_LEARN_LOG_BACKUPS. */
        public static Limits fromEnv(Limits defaults) {
            String max = System.getenv("TEACH_LEARN_LOG_MAX_BYTES"), backups = System.getenv("TEACH_LEARN_LOG_BACKUPS");
            try {
                return new Limits(max == null || max.isBlank() ? defaults.maxBytes : bytes(max.trim()),
                        backups == null || backups.isBlank() ? defaults.backups : Integer.parseInt(backups.trim()));
            } catch (IllegalArgumentException e) {
                System.err.println("[WARN] TEACH_LEARN_LOG_MAX_BYTES=" + max + " / TEACH_LEARN_LOG_BACKUPS=" + backups + ": " + e.getMessage()
                        + "; using " + defaults.maxBytes + " bytes and " + defaults.backups + " backups (give e.g. 100M and 10)");
                return defaults;
            }
        }

        static long bytes(String s) {
            long unit = switch (Character.toUpperCase(s.charAt(s.length() - 1))) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                case 'G' -> 1L << 30;
                default -> 1;
            };
            return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1).trim()) * unit;
        }
    }

    private static final int BUFFER = 64 * 1024;

    private final Path path;
    private final Limits limits;
    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer bytes = ByteBuffer.allocateDirect(BUFFER);
    private char[] chars = new char[256];
    private CharBuffer charBuffer = CharBuffer.wrap(chars);
    private FileChannel file;
    private long size;

    /** Opens (appends to) {@code path}, creating its directory. */
    public RotatingLogFile(Path path, Limits limits) throws IOException {
        this.path = path;
        this.limits = limits;
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = file.size();
    }

    public Path path() {
        return path;
    }

    /** Appends {@code line} and a newline; rotates first when it would not fit. A line longer than the limit is cut at it. */
    public synchronized void println(CharSequence line) {
        if (file == null) return;
        try {
            CharBuffer in = chars(line);
            utf8.reset();
            bytes.clear();
            CoderResult r = utf8.encode(in, bytes, true);
            if (!r.isOverflow()) {   // the usual case: the whole line is in the buffer
                utf8.flush(bytes);
                bytes.flip();
                if (size > 0 && size + bytes.remaining() > limits.maxBytes) rotate();
                write();
                return;
            }
            if (size > 0) rotate();   // a line of more than 64 KB starts a file of its own
            while (true) {
                bytes.flip();
                if (size + bytes.remaining() > limits.maxBytes) bytes.limit(bytes.position() + (int) (limits.maxBytes - size));
                write();
                if (size >= limits.maxBytes || !r.isOverflow()) return;
                bytes.clear();
                r = utf8.encode(in, bytes, true);
                if (!r.isOverflow()) utf8.flush(bytes);
            }
        } catch (IOException e) {
            System.err.println("[ERROR] cannot write the log file " + path + " (" + e.getMessage() + "); no more lines go to it");
            closeQuietly();
        }
    }

    /** The line and a newline in the reused char buffer (grown, never shrunk, so a steady log allocates nothing). */
    private CharBuffer chars(CharSequence line) {
        int n = line.length();
        if (n + 1 > chars.length) {
            chars = new char[Math.max(n + 1, chars.length * 2)];
            charBuffer = CharBuffer.wrap(chars);
        }
        if (line instanceof String s) {
            s.getChars(0, n, chars, 0);
        } else if (line instanceof StringBuilder sb) {
            sb.getChars(0, n, chars, 0);
        } else {
            for (int i = 0; i < n; i++) chars[i] = line.charAt(i);
        }
        chars[n] = '\n';
        charBuffer.clear().limit(n + 1);
        return charBuffer;
    }

    private void write() throws IOException {
        int n = bytes.remaining();
        while (bytes.hasRemaining()) file.write(bytes);
        size += n;
    }

    /** NAME.(i) → NAME.(i+1), the oldest deleted, NAME → NAME.1; a fresh NAME. With no backups, NAME starts again empty. */
    private void rotate() throws IOException {
        file.close();
        if (limits.backups > 0) {
            Files.deleteIfExists(backup(limits.backups));
            for (int i = limits.backups - 1; i >= 1; i--) {
                if (Files.exists(backup(i))) Files.move(backup(i), backup(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(path, backup(1), StandardCopyOption.REPLACE_EXISTING);
        }
        file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        size = 0;
    }

    private Path backup(int i) {
        return path.resolveSibling(path.getFileName() + "." + i);
    }

    private void closeQuietly() {
        try {
            if (file != null) file.close();
        } catch (IOException ignored) {
            // already failing: the error was reported
        }
        file = null;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
