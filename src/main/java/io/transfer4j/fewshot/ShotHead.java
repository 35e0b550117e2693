package io.transfer4j.fewshot;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.transfer4j.train.HeadType;
import io.transfer4j.train.Standardizer;
import io.transfer4j.train.Weights;

/**
 * What every few-shot method yields: a linear head {@code W·std(x) + b} on frozen features. It is
 * the shape of a linear probe's head, so a few-shot model is saved as an ordinary bundle and read
 * back by {@code predict}, {@code evaluate} and {@code export} unchanged: nearest-prototype
 * classifiers are exactly linear (cosine: on unit-length rows; Euclidean: {@code -|x-p|^2} differs
 * from {@code 2x·p - |p|^2} only by {@code |x|^2}, the same for every class).
 *
 * @param weight [classes][width]
 * @param bias [classes]
 */
public record ShotHead(Standardizer standardizer, float[][] weight, float[] bias) {
    public int classes() {
        return bias.length;
    }

    public int width() {
        return weight[0].length;
    }

    /** Logits of each row. */
    public float[][] logits(float[][] features) {
        float[][] z = standardizer.apply(features);
        float[][] out = new float[z.length][classes()];
        for (int i = 0; i < z.length; i++) {
            for (int c = 0; c < classes(); c++) {
                double s = bias[c];
                float[] w = weight[c];
                for (int d = 0; d < w.length; d++) {
                    s += (double) w[d] * z[i][d];
                }
                out[i][c] = (float) s;
            }
        }
        return out;
    }

    /** The most likely class of each row. */
    public int[] predict(float[][] features) {
        float[][] l = logits(features);
        int[] p = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            p[i] = io.transfer4j.train.Inference.argMax(l[i]);
        }
        return p;
    }

    /** The head as a probe's logistic block holding these weights; the caller closes the model. */
    public Model toModel() {
        Model m = Model.newInstance("head", Device.cpu(), "PyTorch");
        try {
            Block block = HeadType.LOGISTIC.build(classes(), 0);
            block.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, width()));
            float[] flat = new float[classes() * width()];
            for (int c = 0; c < classes(); c++) {
                System.arraycopy(weight[c], 0, flat, c * width(), width());
            }
            Weights.assign(block.getParameters().valueAt(0).getArray(), flat);
            Weights.assign(block.getParameters().valueAt(1).getArray(), bias.clone());
            m.setBlock(block);
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }
}
