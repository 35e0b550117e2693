package io.transfer4j.selfsup;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.transfer4j.data.Augmenter;
import io.transfer4j.train.Objective;
import io.transfer4j.train.Rows;

/**
 * SimCLR's objective on the one training loop: NT-Xent over the projections of a batch's two views
 * ({@link ViewRows}). Labels play no part. Validation is the same loss on held-out images' views,
 * in batches of the training size (the loss depends on how many negatives a batch holds), and its
 * "accuracy" is the share of views whose nearest other view is their twin.
 */
public final class ContrastiveObjective implements Objective {
    private final float temperature;

    public ContrastiveObjective(float temperature) {
        this.temperature = temperature;
    }

    @Override
    public String id() {
        return "nt-xent(t=" + temperature + ")";
    }

    @Override
    public NDArray loss(NDManager m, NDArray output, int[] y, int[] idx, float smoothing, Augmenter.Mixing mix) {
        return NtXent.loss(m, output, temperature);
    }

    @Override
    public double[] evaluate(Model model, Rows x, int[] y, int batch) {
        ParameterStore ps = new ParameterStore(model.getNDManager(), false);
        double loss = 0;
        double hits = 0;
        long rows = 0;
        // a last batch of one image would have no negatives: it joins the batch before it
        for (int start = 0; start < x.size(); ) {
            int end = x.size() - (start + batch) < 2 ? x.size() : start + batch;
            int[] idx = java.util.stream.IntStream.range(start, end).toArray();
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray z = model.getBlock().forward(ps, x.batch(m, idx), false).singletonOrThrow();
                double[] lh = NtXent.lossAndHits(m, z, temperature);
                loss += lh[0];
                hits += lh[1];
                rows += 2L * idx.length;
            }
            start = end;
        }
        return new double[] {loss / rows, hits / rows};
    }
}
