package io.transfer4j.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a directory so that readers see either nothing or the whole of it: the content goes to a
 * hidden sibling temp directory, which is renamed onto the target once complete. A crash leaves
 * at most a ".tmp-" sibling, never a half-written target.
 */
public final class AtomicDirectory {
    /** Fills a directory with content; may throw, in which case the target is untouched. */
    public interface Writer {
        void write(Path dir) throws IOException;
    }

    private AtomicDirectory() {}

    public static void write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        try {
            Files.createDirectories(parent);
            if (Files.exists(abs) && !Files.isDirectory(abs)) {
                throw new UserException("output " + target + " exists and is not a directory; choose another --out");
            }
            Path tmp = Files.createTempDirectory(parent, ".tmp-" + abs.getFileName() + "-");
            try {
                ordinaryPermissions(tmp, "rwxr-xr-x");
                writer.write(tmp);
                Path old = null;
                if (Files.exists(abs)) {
                    old = parent.resolve(".old-" + abs.getFileName() + "-" + System.nanoTime());
                    Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
                }
                moveAtomically(tmp, abs);
                if (old != null) {
                    deleteTree(old);
                }
            } catch (IOException | RuntimeException e) {
                deleteTree(tmp);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException | DirectoryNotEmptyException e) {
            throw new IOException("could not rename " + from + " to " + to, e);
        }
    }

    /** Writes one file through a temp file in the same directory and a rename. */
    public static void writeFile(Path target, byte[] content) {
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".tmp-" + target.getFileName(), "");
            try {
                ordinaryPermissions(tmp, "rw-r--r--");
                Files.write(tmp, content);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Temp files are created private; what we publish gets the usual permissions. */
    private static void ordinaryPermissions(Path p, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException notPosix) {
            // other file systems keep their defaults
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
