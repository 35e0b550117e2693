package io.transfer4j.tensorflow;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.transfer4j.tensorflow.proto.Tf.MetaGraphDef;
import io.transfer4j.tensorflow.proto.Tf.SavedModel;
import io.transfer4j.tensorflow.proto.Tf.SignatureDef;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A TensorFlow SavedModel directory: {@code saved_model.pb} (graphs and signatures) and its
 * {@code variables/} checkpoint. Only the protobuf is parsed; nothing in the directory is run.
 */
public record SavedModelFile(Path dir, MetaGraphDef metaGraph, String signatureKey, SignatureDef signature) {
    public static final String SERVE = "serve";
    public static final String DEFAULT_SIGNATURE = "serving_default";

    /** The graph tagged "serve" and its {@code signature} (serving_default when null). */
    public static SavedModelFile open(Path dir, String signature) {
        Path pb = dir.resolve("saved_model.pb");
        if (!Files.isRegularFile(pb)) {
            throw new UserException(dir + " holds no saved_model.pb; give the folder of a TensorFlow SavedModel");
        }
        SavedModel sm;
        try (InputStream in = Files.newInputStream(pb)) {
            CodedInputStream cis = CodedInputStream.newInstance(in);
            cis.setSizeLimit(Integer.MAX_VALUE);
            sm = SavedModel.parseFrom(cis);
        } catch (InvalidProtocolBufferException e) {
            throw new UserException(pb + " is not a valid SavedModel (" + e.getMessage() + "); re-export or re-download it");
        } catch (IOException e) {
            throw new UserException("cannot read " + pb + ": " + e.getMessage());
        }
        MetaGraphDef mg = sm.getMetaGraphsList().stream()
                .filter(m -> m.getMetaInfoDef().getTagsList().contains(SERVE)).findFirst()
                .orElseGet(() -> sm.getMetaGraphsCount() == 1 ? sm.getMetaGraphs(0) : null);
        if (mg == null) {
            throw new UserException(pb + " has no graph tagged '" + SERVE + "' (it has " + sm.getMetaGraphsCount()
                    + "); export the model for serving");
        }
        String key = signature == null ? DEFAULT_SIGNATURE : signature;
        SignatureDef sig = mg.getSignatureDefMap().get(key);
        if (sig == null) {
            throw new UserException(pb + " has no signature '" + key + "'; it has " + mg.getSignatureDefMap().keySet()
                    + ": choose one of those");
        }
        return new SavedModelFile(dir, mg, key, sig);
    }

    /** The checkpoint holding the variables' values. */
    public TensorBundle variables() {
        return TensorBundle.open(dir.resolve("variables").resolve("variables"));
    }

    public String tensorflowVersion() {
        return metaGraph.getMetaInfoDef().getTensorflowVersion();
    }
}
