package io.transfer4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimizer: Adam, AdamW or SGD with momentum, applied per parameter with its own
 * learning-rate factor, after global-norm clipping. Frozen parameters are never passed in, so they
 * get no update and no decay. Its state (moments, step counts, pre-trained anchors) can be saved
 * and restored, so a resumed run continues exactly.
 */
public final class Updater {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    private final Optimization opt;
    private final NDManager stateManager;
    private final Map<String, NDArray> first = new HashMap<>();
    private final Map<String, NDArray> second = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();
    private final Map<String, NDArray> anchors = new HashMap<>();

    public Updater(Optimization opt, NDManager stateManager) {
        this.opt = opt;
        this.stateManager = stateManager;
    }

    /** Records the pre-trained values L2-SP pulls towards; call before the first step. */
    public void anchor(List<TunedParameter> body) {
        if (opt.l2sp() <= 0) {
            return;
        }
        for (TunedParameter t : body) {
            if (t.role() == TunedParameter.Role.BODY && !t.isState() && !anchors.containsKey(t.key())) {
                NDArray a = t.parameter().getArray().duplicate();
                a.setRequiresGradient(false);
                a.attach(stateManager);
                anchors.put(t.key(), a);
            }
        }
    }

    /**
     * Applies one update to {@code active} (key to learning-rate factor) at base rate {@code lr};
     * clears their gradients. Returns the global gradient norm before clipping; when it is not
     * finite, nothing is updated (the caller counts the skipped update).
     */
    public double step(Map<String, TunedParameter> table, Map<String, Float> active, double lr, NDManager scratch) {
        Map<String, NDArray> grads = new HashMap<>();
        for (String key : active.keySet()) {
            NDArray g = table.get(key).parameter().getArray().getGradient();
            g.attach(scratch);
            grads.put(key, g);
        }
        double norm = FusedAdam.globalNorm(new ArrayList<>(grads.values()));
        if (!Double.isFinite(norm)) {
            // a non-finite gradient would poison the weights and the moments: skip this update
            clear(table, active, scratch);
            return norm;
        }
        float clip = opt.clipNorm() > 0 && norm > opt.clipNorm() ? (float) (opt.clipNorm() / (norm + 1e-6)) : 1f;
        for (Map.Entry<String, Float> e : active.entrySet()) {
            TunedParameter t = table.get(e.getKey());
            NDArray w = t.parameter().getArray();
            NDArray raw = grads.get(e.getKey());
            NDArray anchor = anchors.get(e.getKey());
            if (anchor != null) {
                // the L2-SP pull joins the gradient (the buffer is cleared after the update anyway)
                NDArray pull = w.sub(anchor).muli(opt.l2sp() / clip);
                pull.attach(scratch);
                raw.addi(pull);
            }
            float rate = (float) (lr * e.getValue());
            boolean decay = opt.weightDecay() > 0 && t.isMatrix() && t.role() != TunedParameter.Role.ADAPTER;
            switch (opt.kind()) {
                case SGD -> {
                    NDArray g = clip != 1f ? raw.mul(clip) : raw.duplicate();
                    g.attach(scratch);
                    sgd(e.getKey(), w, g, rate, decay, scratch);
                }
                case ADAM, ADAMW -> adam(e.getKey(), w, raw, clip, rate, decay, scratch);
            }
            raw.subi(raw); // the gradient buffer itself: cleared for the next accumulation
        }
        return norm;
    }

    /** Zeroes the gradients of {@code active} without updating anything (a skipped step). */
    public void clear(Map<String, TunedParameter> table, Map<String, Float> active, NDManager scratch) {
        for (String key : active.keySet()) {
            NDArray g = table.get(key).parameter().getArray().getGradient();
            g.attach(scratch);
            // An indexed assignment copies into libtorch's own buffer. NDArray.set(float[]) would not:
            // it re-points the gradient at a Java buffer freed once `scratch` closes, and the next
            // backward pass would accumulate into freed heap. Subtracting or multiplying keeps NaN.
            g.set(new NDIndex("..."), 0f);
        }
    }

    private void sgd(String key, NDArray w, NDArray g, float rate, boolean decay, NDManager scratch) {
        if (decay) {
            NDArray d = w.mul(opt.weightDecay());
            d.attach(scratch);
            g.addi(d);
        }
        NDArray buf = first.get(key);
        if (buf == null) {
            buf = g.duplicate();
            buf.attach(stateManager);
            first.put(key, buf);
        } else {
            buf.muli(opt.momentum()).addi(g);
        }
        NDArray upd = buf.mul(rate);
        upd.attach(scratch);
        w.subi(upd);
        steps.merge(key, 1, Integer::sum);
    }

    /** One fused libtorch Adam/AdamW update of a parameter, moments and weight in place ({@link FusedAdam}). */
    private void adam(String key, NDArray w, NDArray grad, float gradScale, float rate, boolean decay, NDManager scratch) {
        NDArray m = first.computeIfAbsent(key, k -> zerosLike(w));
        NDArray v = second.computeIfAbsent(key, k -> zerosLike(w));
        int t = steps.merge(key, 1, Integer::sum);
        FusedAdam.update(opt.kind() == Optimization.Kind.ADAMW, w, grad, m, v, t, rate, decay ? opt.weightDecay() : 0f, gradScale,
                BETA1, BETA2, EPS, scratch);
    }

    private NDArray zerosLike(NDArray w) {
        NDArray z = stateManager.zeros(w.getShape(), w.getDataType());
        z.setRequiresGradient(false);
        return z;
    }

    /**
     * Frees the moments and anchors once training is over: they would otherwise live on the
     * model's manager while the tuned network is exported and the test rows are scored (for
     * BERT-Base, AdamW's two moments are 0.9 GB).
     */
    public void release() {
        for (Map<String, NDArray> m : List.of(first, second, anchors)) {
            m.values().forEach(NDArray::close);
            m.clear();
        }
        steps.clear();
    }

    /** Writes moments, step counts and anchors, keyed by parameter. */
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(steps.size());
        for (Map.Entry<String, Integer> e : steps.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue());
        }
        writeArrays(out, first);
        writeArrays(out, second);
        writeArrays(out, anchors);
    }

    public void load(DataInputStream in) throws IOException {
        steps.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            steps.put(in.readUTF(), in.readInt());
        }
        readArrays(in, first);
        readArrays(in, second);
        readArrays(in, anchors);
    }

    private static void writeArrays(DataOutputStream out, Map<String, NDArray> m) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, NDArray> e : m.entrySet()) {
            out.writeUTF(e.getKey());
            byte[] b = e.getValue().encode();
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private void readArrays(DataInputStream in, Map<String, NDArray> m) throws IOException {
        m.values().forEach(NDArray::close);
        m.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            NDArray a = NDArray.decode(stateManager, b);
            a.setRequiresGradient(false);
            m.put(key, a);
        }
    }
}
