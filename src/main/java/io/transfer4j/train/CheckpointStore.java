package io.transfer4j.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Json;
import io.transfer4j.util.UserException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint directory: {@code state.json} (position, history, best so far), {@code weights.params}
 * (the block now), {@code best.params} (the best epoch's block) and {@code optimizer.bin}. Each save
 * replaces the whole directory atomically, so a kill at any moment leaves the previous checkpoint.
 */
final class CheckpointStore {
    static final String STATE = "state.json";
    static final String WEIGHTS = "weights.params";
    static final String BEST = "best.params";
    static final String OPTIMIZER = "optimizer.bin";

    record Restored(LoopState state, byte[] best) {}

    private CheckpointStore() {}

    static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(STATE));
    }

    static void save(Path dir, Block block, Updater updater, byte[] best, LoopState state) {
        AtomicDirectory.write(dir, tmp -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp.resolve(WEIGHTS))))) {
                block.saveParameters(out);
            }
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp.resolve(OPTIMIZER))))) {
                updater.save(out);
            }
            if (best != null) {
                Files.write(tmp.resolve(BEST), best);
            }
            Files.write(tmp.resolve(STATE), Json.bytes(state));
        });
    }

    static Restored load(Path dir, Block block, NDManager manager, Updater updater) {
        try {
            LoopState state = Json.MAPPER.readValue(dir.resolve(STATE).toFile(), LoopState.class);
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(WEIGHTS))))) {
                block.loadParameters(manager, in);
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(OPTIMIZER))))) {
                updater.load(in);
            }
            byte[] best = Files.isRegularFile(dir.resolve(BEST)) ? Files.readAllBytes(dir.resolve(BEST)) : null;
            return new Restored(state, best);
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            throw new UserException("cannot resume from the checkpoint in " + dir + " (" + e.getMessage()
                    + "); it is damaged or from another model: delete it or drop --resume");
        }
    }
}
