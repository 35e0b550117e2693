package io.transfer4j.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary directory owned by the object that holds it (a tuned network's exported ONNX file,
 * say) and deleted when that object is closed, not when the JVM ends: a process that trains many
 * models (curve, the multi-seed guard) would otherwise keep every one of them on disk until exit.
 */
public final class WorkDirectory implements AutoCloseable {
    private final Path path;
    private boolean closed;

    private WorkDirectory(Path path) {
        this.path = path;
    }

    public static WorkDirectory create(String prefix) {
        try {
            return new WorkDirectory(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return path;
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            AtomicDirectory.deleteTree(path);
        }
    }
}
