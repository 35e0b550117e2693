package io.transfer4j.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.transfer4j.data.Augmenter;

/**
 * What the training loop minimises and how it judges validation rows: softmax cross-entropy over
 * class logits for every classifier, or another loss a network plugs in (SetFit's pair
 * similarity). The loop itself (batches, accumulation, updates, checkpoints, early stopping) is
 * the same whatever the objective.
 */
public interface Objective {
    /** Recorded in the checkpoint fingerprint: a checkpoint of one objective never resumes another. */
    String id();

    /**
     * The mean loss of one micro-batch.
     *
     * @param output the network's output for rows {@code idx}
     * @param y every training row's target; the batch's are {@code y[idx[r]]}
     * @param mix how the batch's inputs were mixed in pairs, or null
     */
    NDArray loss(NDManager m, NDArray output, int[] y, int[] idx, float smoothing, Augmenter.Mixing mix);

    /** {loss, accuracy} of the model on validation rows, in batches of {@code batch}. */
    double[] evaluate(Model model, Rows x, int[] y, int batch);

    /**
     * How one micro-batch becomes gradients when that is more than one forward pass, the loss and
     * its backward pass (an episode's own inner loop: Reptile, first-order MAML, ANIL); null (the
     * default) = the loop's forward, {@link #loss} and backward.
     */
    default BatchStep batchStep() {
        return null;
    }

    /**
     * Told before micro-batch {@code index} (from the run's start, resumed runs included) of at most
     * {@code total}: for losses scheduled over training (domain adaptation's gradient reversal).
     */
    default void at(long index, long total) {}

    /** Gradients of one micro-batch added, times {@code weight}, to the trainable parameters' gradients. */
    @FunctionalInterface
    interface BatchStep {
        /** Returns the micro-batch's loss; leaves every weight as it found it (only the gradients change). */
        double accumulate(Model model, ai.djl.ndarray.NDList batch, NDManager m, float weight);
    }

    /** Classification: logits [rows, classes] against class indices, label smoothing and mixing honoured. */
    Objective CROSS_ENTROPY = new Objective() {
        @Override
        public String id() {
            return "cross-entropy";
        }

        @Override
        public NDArray loss(NDManager m, NDArray output, int[] y, int[] idx, float smoothing, Augmenter.Mixing mix) {
            return TrainingLoop.crossEntropy(m, output, y, idx, smoothing, mix);
        }

        @Override
        public double[] evaluate(Model model, Rows x, int[] y, int batch) {
            return Inference.lossAndAccuracy(model, x, y, batch);
        }
    };
}
