package io.transfer4j.backbone;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.transfer4j.util.UserException;

/** ONNX Runtime sessions for frozen image and audio backbones: full graph optimisation, every core, one error for a bad file. */
final class OrtSessions {
    private OrtSessions() {}

    /** A session on {@code file}, or on the graph {@code bytes} when {@code file} is null. */
    static OrtSession open(OrtEnvironment env, String file, byte[] bytes) {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            opts.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            return file != null ? env.createSession(file, opts) : env.createSession(bytes, opts);
        } catch (OrtException e) {
            throw new UserException("cannot load ONNX model " + (file != null ? file : "(cut graph)") + " (" + e.getMessage()
                    + "); the file is corrupt or not an ONNX model");
        }
    }
}
