package io.transfer4j.backbone;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A frozen sentence encoder run by ONNX Runtime: texts to token ids (HuggingFace tokenizers) to
 * one pooled vector per text. Batches are built from texts of similar length (sorted by token
 * count), so padding, which costs as much compute as real tokens, stays small.
 */
public final class TextEncoder implements AutoCloseable {
    private static final int CHARS_PER_TOKEN_CAP = 32;
    /** Up to 8 windows (2,048 tokens at 256) per text by default: whole reviews and articles, bounded cost. */
    public static final int DEFAULT_MAX_WINDOWS = 8;
    private static final int TOKENS_PER_ROW = 256;
    /** Room for the special tokens, a prefix and some text in every window. */
    public static final int MIN_LENGTH = 16;

    private final BackboneSpec spec;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final int batchSize;
    private final int maxWindows;
    private final long[] prefixIds;
    private final boolean wantsTypeIds;
    /** The graph outputs pooled per pass: the backbone's own, or several inner layers at once. */
    private final List<String> outputNames;
    private final int width;

    private TextEncoder(BackboneSpec spec, OrtEnvironment env, OrtSession session, HuggingFaceTokenizer tokenizer,
            int maxLength, int batchSize, int maxWindows, List<String> outputs) throws OrtException {
        if (maxWindows < 1) {
            throw new UserException("--max-windows must be at least 1");
        }
        this.maxWindows = maxWindows;
        this.prefixIds = spec.prefix().isEmpty() ? new long[0]
                : tokenizer.encode(spec.prefix().strip(), false, false).getIds();
        this.spec = spec;
        this.env = env;
        this.session = session;
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.batchSize = batchSize;
        Set<String> inputs = session.getInputNames();
        for (String required : List.of("input_ids", "attention_mask")) {
            if (!inputs.contains(required)) {
                throw new UserException("backbone " + spec.id() + " has inputs " + inputs + " but a text encoder needs '"
                        + required + "'; give an ONNX sentence encoder exported with input_ids and attention_mask");
            }
        }
        this.wantsTypeIds = inputs.contains("token_type_ids");
        Map<String, NodeInfo> outs = session.getOutputInfo();
        for (String o : outputs) {
            if (!outs.containsKey(o)) {
                throw new UserException("backbone " + spec.id() + " has no output '" + o + "'; its outputs are " + outs.keySet());
            }
        }
        String pooled = spec.pooling().graphOutput();
        if (outputs.isEmpty() && pooled != null && !outs.containsKey(pooled)) {
            throw new UserException("backbone " + spec.id() + " has no output '" + pooled + "' for " + spec.pooling().name().toLowerCase(java.util.Locale.ROOT)
                    + " pooling; its outputs are " + outs.keySet() + ": choose mean or cls pooling");
        }
        this.outputNames = !outputs.isEmpty() ? List.copyOf(outputs)
                : pooled != null ? List.of(pooled)
                : List.of(outs.containsKey("last_hidden_state") ? "last_hidden_state" : outs.keySet().iterator().next());
        long[] shape = ((TensorInfo) outs.get(outputNames.get(0)).getInfo()).getShape();
        int w = shape.length == 0 ? -1 : (int) shape[shape.length - 1];
        if (w <= 0) {
            w = probeWidth();
        }
        if (spec.width() > 0 && spec.width() != w) {
            throw new UserException("backbone " + spec.id() + " outputs " + w + "-wide vectors but the catalogue says "
                    + spec.width() + "; the ONNX file is not the expected model");
        }
        this.width = w;
    }

    /**
     * Opens the encoder.
     *
     * @param maxLength tokens kept per text (at most the backbone's own limit)
     */
    public static TextEncoder open(BackboneSpec spec, BackboneFiles files, int maxLength, int batchSize) {
        return open(spec, files, maxLength, batchSize, DEFAULT_MAX_WINDOWS);
    }

    /**
     * @param maxWindows windows of {@code maxLength} tokens read per text; the rest of a longer
     *     text is cut (and counted as truncated). 1 means plain truncation.
     */
    public static TextEncoder open(BackboneSpec spec, BackboneFiles files, int maxLength, int batchSize, int maxWindows) {
        return open(spec, files, maxLength, batchSize, maxWindows, List.of());
    }

    /**
     * @param outputs graph outputs to pool, each into its own vectors, in one pass per batch (inner
     *     layers exposed as outputs, for ranking layers); empty means the backbone's own output
     */
    public static TextEncoder open(BackboneSpec spec, BackboneFiles files, int maxLength, int batchSize, int maxWindows,
            List<String> outputs) {
        return open(spec, files, maxLength, batchSize, maxWindows, outputs, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param threads ONNX Runtime's intra-op threads: every core for one process embedding alone;
     *     a Spark task gets the cores it was given, since other tasks run beside it
     */
    public static TextEncoder open(BackboneSpec spec, BackboneFiles files, int maxLength, int batchSize, int maxWindows,
            List<String> outputs, int threads) {
        if (threads < 1) {
            throw new UserException("ONNX Runtime needs at least one thread; got " + threads);
        }
        if (maxLength < MIN_LENGTH) {
            throw new UserException("--max-length " + maxLength + " is too short; use at least " + MIN_LENGTH + " tokens");
        }
        if (maxLength > spec.maxLength()) {
            throw new UserException("--max-length " + maxLength + " exceeds what " + spec.id() + " supports ("
                    + spec.maxLength() + " tokens); use at most " + spec.maxLength());
        }
        HuggingFaceTokenizer tok;
        try {
            // No truncation here: long texts are split into windows by tokenize(), not cut.
            tok = HuggingFaceTokenizer.builder().optTokenizerPath(files.tokenizer()).optTruncation(false)
                    .optPadding(false).optAddSpecialTokens(true).build();
        } catch (IOException | RuntimeException e) {
            throw new UserException("cannot load tokenizer " + files.tokenizer() + " (" + e.getMessage()
                    + "); give a HuggingFace tokenizer.json");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            opts.setIntraOpNumThreads(threads);
            session = env.createSession(files.onnx().toString(), opts);
            return new TextEncoder(spec, env, session, tok, maxLength, batchSize, maxWindows, outputs);
        } catch (OrtException e) {
            tok.close();
            closeQuietly(session);
            throw new UserException("cannot load ONNX model " + files.onnx() + " (" + firstLine(e.getMessage())
                    + "); the file is corrupt or not an ONNX model: re-download it or delete the backbone cache");
        } catch (RuntimeException e) {
            tok.close();
            closeQuietly(session);
            throw e;
        }
    }

    public BackboneSpec spec() {
        return spec;
    }

    public int width() {
        return width;
    }

    public int maxLength() {
        return maxLength;
    }

    /**
     * Token ids for each text (with the backbone's prefix). A text longer than {@code maxLength}
     * tokens is split into consecutive windows, each with the tokenizer's leading and trailing
     * special tokens, so the whole text is read rather than only its start.
     */
    public Tokenized tokenize(List<String> texts) {
        int charCap = maxLength * maxWindows * CHARS_PER_TOKEN_CAP;
        List<String> prepared = new ArrayList<>(texts.size());
        for (String t : texts) {
            // A multi-megabyte "text" would only be tokenized to be cut; cut it first.
            String s = t.length() > charCap ? t.substring(0, charCap) : t;
            prepared.add(spec.prefix() + s);
        }
        Encoding[] enc = tokenizer.batchEncode(prepared);
        List<long[]> ids = new ArrayList<>();
        List<long[]> types = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        int truncated = 0;
        for (int i = 0; i < enc.length; i++) {
            long[] all = enc[i].getIds();
            long[] special = enc[i].getSpecialTokenMask();
            int lead = 0;
            while (lead < all.length && special[lead] == 1) {
                lead++;
            }
            // e5-style prefixes ("query: ") belong to every window, like the special tokens.
            if (prefixIds.length > 0 && startsWith(all, lead, prefixIds)) {
                lead += prefixIds.length;
            }
            int trail = 0;
            while (trail < all.length - lead && special[all.length - 1 - trail] == 1) {
                trail++;
            }
            int room = maxLength - lead - trail;
            int content = all.length - lead - trail;
            int windows = Math.max(1, (content + room - 1) / room);
            if (windows > maxWindows || texts.get(i).length() > charCap) {
                truncated++;
                windows = Math.min(windows, maxWindows);
            }
            for (int w = 0; w < windows; w++) {
                int from = lead + w * room;
                int to = Math.min(lead + content, from + room);
                long[] win = new long[lead + (to - from) + trail];
                System.arraycopy(all, 0, win, 0, lead);
                System.arraycopy(all, from, win, lead, to - from);
                System.arraycopy(all, all.length - trail, win, lead + (to - from), trail);
                ids.add(win);
                types.add(new long[win.length]);
                owner.add(i);
            }
        }
        return new Tokenized(texts.size(), ids.toArray(long[][]::new), types.toArray(long[][]::new),
                owner.stream().mapToInt(Integer::intValue).toArray(), truncated);
    }

    private static boolean startsWith(long[] a, int at, long[] p) {
        if (a.length < at + p.length) {
            return false;
        }
        for (int k = 0; k < p.length; k++) {
            if (a[at + k] != p[k]) {
                return false;
            }
        }
        return true;
    }

    public float[][] encode(List<String> texts, Progress progress) {
        return embed(tokenize(texts), progress);
    }

    /**
     * Pooled vectors for already tokenized texts, in their original order. A text read in several
     * windows gets the token-weighted mean of its windows' vectors (for mean pooling this is the
     * mean over all its tokens; for CLS pooling, the mean of the windows' CLS vectors).
     */
    public float[][] embed(Tokenized tok, Progress progress) {
        return embedAll(tok, progress).get(0);
    }

    /** {@link #embed} for every output this encoder pools, in {@link #outputNames()} order. */
    public List<float[][]> embedAll(Tokenized tok, Progress progress) {
        float[][][] windows = new float[outputNames.size()][tok.size()][];
        // Counted in windows: a long text's windows fall into different length buckets.
        try (Progress.Task task = progress.start("embedding", tok.size(), "windows")) {
            for (int[] batch : lengthBuckets(tok.ids(), batchSize)) {
                float[][][] vecs = runBatch(tok, batch);
                for (int o = 0; o < vecs.length; o++) {
                    for (int k = 0; k < batch.length; k++) {
                        windows[o][batch[k]] = vecs[o][k];
                    }
                }
                task.step(batch.length);
            }
        }
        List<float[][]> all = new ArrayList<>(windows.length);
        for (float[][] w : windows) {
            all.add(combineWindows(tok, w));
        }
        return all;
    }

    public List<String> outputNames() {
        return outputNames;
    }

    private float[][] combineWindows(Tokenized tok, float[][] windows) {
        float[][] out = new float[tok.texts()][];
        double[] weight = new double[tok.texts()];
        for (int w = 0; w < tok.size(); w++) {
            int t = tok.owner()[w];
            float[] v = windows[w];
            double wt = spec.pooling() == Pooling.MEAN ? tok.ids()[w].length : 1;
            if (out[t] == null) {
                out[t] = new float[v.length];
            }
            for (int d = 0; d < v.length; d++) {
                out[t][d] += (float) (v[d] * wt);
            }
            weight[t] += wt;
        }
        for (int t = 0; t < out.length; t++) {
            float inv = (float) (1 / weight[t]);
            for (int d = 0; d < out[t].length; d++) {
                out[t][d] *= inv;
            }
        }
        return out;
    }

    /**
     * Indices grouped into batches of similar token length, longest first. A batch holds at most
     * {@code batchSize} rows and at most {@code batchSize * 256} tokens, so batches of 512-token
     * windows are smaller: attention memory grows with the square of the length.
     */
    public static List<int[]> lengthBuckets(long[][] ids, int batchSize) {
        Integer[] order = IntStream.range(0, ids.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -ids[i].length).thenComparingInt(i -> i));
        long tokenBudget = (long) batchSize * TOKENS_PER_ROW;
        List<int[]> batches = new ArrayList<>();
        int start = 0;
        while (start < order.length) {
            int longest = Math.max(1, ids[order[start]].length);
            int rows = (int) Math.max(1, Math.min(batchSize, tokenBudget / longest));
            int end = Math.min(order.length, start + rows);
            int[] b = new int[end - start];
            for (int k = start; k < end; k++) {
                b[k - start] = order[k];
            }
            batches.add(b);
            start = end;
        }
        return batches;
    }

    /** One batch of windows, padded to its longest, as flat row-major arrays. */
    public record PaddedBatch(int rows, int length, long[] ids, long[] mask, long[] typeIds) {}

    public static PaddedBatch pad(Tokenized tok, int[] batch) {
        int len = 0;
        for (int i : batch) {
            len = Math.max(len, tok.ids()[i].length);
        }
        int n = batch.length;
        long[] ids = new long[n * len];
        long[] mask = new long[n * len];
        long[] types = new long[n * len];
        for (int k = 0; k < n; k++) {
            long[] row = tok.ids()[batch[k]];
            System.arraycopy(row, 0, ids, k * len, row.length);
            System.arraycopy(tok.typeIds()[batch[k]], 0, types, k * len, row.length);
            Arrays.fill(mask, k * len, k * len + row.length, 1L);
        }
        return new PaddedBatch(n, len, ids, mask, types);
    }

    /** The session's inputs for a padded batch; the caller closes the tensors. */
    public Map<String, OnnxTensor> tensors(PaddedBatch b) throws OrtException {
        long[] shape = {b.rows(), b.length()};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(b.ids()), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(b.mask()), shape));
            if (wantsTypeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(b.typeIds()), shape));
            }
            return inputs;
        } catch (OrtException | RuntimeException e) {
            inputs.values().forEach(OnnxTensor::close);
            throw e;
        }
    }

    private float[][][] runBatch(Tokenized tok, int[] batch) {
        PaddedBatch b = pad(tok, batch);
        Map<String, OnnxTensor> inputs = Map.of();
        try {
            inputs = tensors(b);
            try (OrtSession.Result result = session.run(inputs, new java.util.LinkedHashSet<>(outputNames))) {
                float[][][] out = new float[outputNames.size()][][];
                for (int o = 0; o < out.length; o++) {
                    OnnxTensor t = (OnnxTensor) result.get(outputNames.get(o)).orElseThrow();
                    long[] s = t.getInfo().getShape();
                    FloatBuffer fb = t.getFloatBuffer();
                    out[o] = s.length == 3 ? pool(fb, b.mask(), b.rows(), (int) s[1], (int) s[2]) : rows(fb, b.rows(), (int) s[1]);
                }
                return out;
            }
        } catch (OrtException e) {
            throw new UserException("backbone " + spec.id() + " failed on a batch (" + firstLine(e.getMessage())
                    + "); the ONNX graph does not take [batch, sequence] token ids");
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[][] pool(FloatBuffer fb, long[] mask, int n, int len, int w) {
        float[][] out = new float[n][w];
        float[] token = new float[w];
        for (int k = 0; k < n; k++) {
            if (spec.pooling() == Pooling.CLS) {
                fb.get(k * len * w, out[k], 0, w);
                continue;
            }
            int count = 0;
            for (int j = 0; j < len; j++) {
                if (mask[k * len + j] == 0) {
                    continue;
                }
                fb.get((k * len + j) * w, token, 0, w);
                float[] o = out[k];
                for (int d = 0; d < w; d++) {
                    o[d] += token[d];
                }
                count++;
            }
            float inv = 1f / Math.max(1, count);
            for (int d = 0; d < w; d++) {
                out[k][d] *= inv;
            }
        }
        return out;
    }

    private static float[][] rows(FloatBuffer fb, int n, int w) {
        float[][] out = new float[n][w];
        for (int k = 0; k < n; k++) {
            fb.get(k * w, out[k], 0, w);
        }
        return out;
    }

    /** ONNX Runtime's session, for benchmarks that time the bare model on the same token ids. */
    public OrtSession session() {
        return session;
    }

    private int probeWidth() throws OrtException {
        Tokenized t = tokenize(List.of("probe"));
        return runBatch(t, new int[] {0})[0][0].length;
    }

    @Override
    public void close() {
        closeQuietly(session);
        tokenizer.close();
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // closing releases native memory; nothing useful to do if it fails
            }
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
