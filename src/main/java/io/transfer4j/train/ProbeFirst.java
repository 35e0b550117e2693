package io.transfer4j.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.transfer4j.util.Progress;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * LP-FT's first stage, for every modality: a head fitted to convergence on the network's frozen
 * features (L2 chosen on validation, as in a linear probe), folded with its standardisation into
 * the network's new linear layer, so fine-tuning starts from a good head instead of a random one
 * and distorts the pre-trained features less (Kumar et al., 2022).
 */
public final class ProbeFirst {
    private static final int BATCH = 64;

    private ProbeFirst() {}

    /**
     * @param trainRows training rows as the frozen network sees them (not augmented)
     */
    public static void fit(HeadedNetwork net, Model model, Rows trainRows, int[] trainY, Rows valRows, int[] valY, int classes,
            LinearProbe probe, Progress progress) {
        float[][] tf = pooled(net, model, trainRows);
        float[][] vf = pooled(net, model, valRows);
        try (LinearProbe.Fitted fit = probe.fit("probe", classes, tf, trainY, vf, valY, progress)) {
            float[][] wb = fit.folded();
            Block head = net.head();
            Weights.assign(head.getParameters().valueAt(0).getArray(), wb[0]);
            Weights.assign(head.getParameters().valueAt(1).getArray(), wb[1]);
        }
    }

    private static float[][] pooled(HeadedNetwork net, Model model, Rows rows) {
        float[][] out = new float[rows.size()][];
        ParameterStore ps = new ParameterStore(model.getNDManager(), false);
        for (int start = 0; start < rows.size(); start += BATCH) {
            int[] idx = IntStream.range(start, Math.min(rows.size(), start + BATCH)).toArray();
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList in = rows.batch(m, idx);
                NDArray p = net.pooled(ps, in, false);
                p.attach(m);
                int w = (int) p.getShape().get(1);
                float[] flat = p.toFloatArray();
                for (int r = 0; r < idx.length; r++) {
                    out[idx[r]] = Arrays.copyOfRange(flat, r * w, (r + 1) * w);
                }
            }
        }
        return out;
    }
}
