package org.teachlearn.learn.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * ONNX Runtime's Java binding extracts its 20 MB of native libraries into the temp directory on
 * every start and leaves them there when the JVM is killed. We extract them once into a cache
 * directory of our own ({@code ~/.cache/teach_learn/onnxruntime-VERSION}, or
 * {@code $TEACH_LEARN_CACHE}) and point {@code onnxruntime.native.path} at it, so nothing is left
 * behind in the temp directory whatever happens to the process.
 */
public final class OrtNatives {

    private static final String[] LIBRARIES = {"libonnxruntime.so", "libonnxruntime4j_jni.so"};
    private static boolean prepared;

    private OrtNatives() {
    }

    /** Call before the first use of ONNX Runtime (idempotent). */
    public static synchronized void prepare() {
        if (prepared || System.getProperty("onnxruntime.native.path") != null) return;
        String os = System.getProperty("os.name").toLowerCase();
        String arch = System.getProperty("os.arch").replace("amd64", "x64").replace("x86_64", "x64").replace("aarch64", "aarch64");
        if (!os.contains("linux")) {
            prepared = true;   // elsewhere ORT's own loader (temp directory) is used
            return;
        }
        String version = ai.onnxruntime.OrtEnvironment.class.getPackage().getImplementationVersion();
        String base = System.getenv("TEACH_LEARN_CACHE");
        Path dir = (base != null ? Path.of(base) : Path.of(System.getProperty("user.home"), ".cache", "teach_learn"))
                .resolve("onnxruntime-" + (version != null ? version : "unknown") + "-linux-" + arch);
        try {
            Files.createDirectories(dir);
            for (String lib : LIBRARIES) {
                String resource = "/ai/onnxruntime/native/linux-" + arch + "/" + lib;
                try (InputStream in = ai.onnxruntime.OrtEnvironment.class.getResourceAsStream(resource)) {
                    if (in == null) throw new IllegalStateException("the onnxruntime jar has no " + resource + " for this platform");
                    Path target = dir.resolve(lib);
                    byte[] bytes = in.readAllBytes();
                    if (!Files.exists(target) || Files.size(target) != bytes.length) {
                        Path tmp = Files.createTempFile(dir, lib, ".part");
                        Files.write(tmp, bytes);
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare ONNX Runtime's native libraries in " + dir, e);
        }
        System.setProperty("onnxruntime.native.path", dir.toString());
        prepared = true;
    }
}
