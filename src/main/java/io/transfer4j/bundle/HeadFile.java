package io.transfer4j.bundle;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.transfer4j.util.UserException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bundle's {@code head.params}: the trained head's weights. Reading checks that every weight has
 * the shape the manifest implies (classes x input width), so a file and a manifest that disagree
 * (edited labels, a head from another model) are refused as a damaged bundle instead of failing
 * later with an index error.
 */
final class HeadFile {
    private HeadFile() {}

    static void write(Model head, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            head.getBlock().saveParameters(out);
        }
    }

    /** Loads {@code block}'s weights from {@code file}; the caller owns the returned model. */
    static Model read(Path dir, Block block, int inputWidth) {
        Path file = dir.resolve(Bundle.HEAD);
        Model head = Model.newInstance("head", Device.cpu(), "PyTorch");
        try {
            block.initialize(head.getNDManager(), DataType.FLOAT32, new Shape(1, inputWidth));
            List<Shape> expected = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                expected.add(p.getValue().getArray().getShape());
            }
            if (!Files.isRegularFile(file)) {
                throw damaged(file, "the file is missing");
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                block.loadParameters(head.getNDManager(), in);
            }
            int i = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                Shape got = p.getValue().getArray().getShape();
                if (!got.equals(expected.get(i))) {
                    throw damaged(file, "weight " + p.getKey() + " has shape " + got + " but the manifest's "
                            + "labels and width need " + expected.get(i));
                }
                i++;
            }
            head.setBlock(block);
            return head;
        } catch (UserException e) {
            head.close();
            throw e;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            head.close();
            throw damaged(file, describe(e));
        }
    }

    private static UserException damaged(Path file, String why) {
        return new UserException("cannot read the head weights in " + file + " (" + why
                + "); the bundle is damaged: retrain or restore it");
    }

    /** A cause a user can read: an early end of file says so, other errors give their message or kind. */
    static String describe(Throwable e) {
        if (e instanceof EOFException) {
            return "the file ends early: it is truncated";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
