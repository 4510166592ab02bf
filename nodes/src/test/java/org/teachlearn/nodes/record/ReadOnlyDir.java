package org.teachlearn.nodes.record;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory nobody can write in, root included (the tests may run as root, whom permission bits
 * do not stop): a read-only tmpfs mounted there when we are root, else mode 555.
 */
record ReadOnlyDir(Path path, boolean mounted) implements AutoCloseable {

    static ReadOnlyDir create(Path path) throws Exception {
        Files.createDirectories(path);
        boolean root = "0".equals(run("id", "-u").trim());
        if (root) {
            String out = run("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", path.toString());
            if (!isReadOnly(path)) {
                throw new AssertionError("as root, a read-only directory needs `mount -t tmpfs -o ro` (CAP_SYS_ADMIN), which failed: " + out);
            }
            return new ReadOnlyDir(path, true);
        }
        run("chmod", "555", path.toString());
        if (!isReadOnly(path)) throw new AssertionError("chmod 555 did not make " + path + " read-only");
        return new ReadOnlyDir(path, false);
    }

    private static boolean isReadOnly(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, "probe", ""));
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    @Override
    public void close() throws Exception {
        if (mounted) run("umount", path.toString());
        else run("chmod", "755", path.toString());
    }
}
