package io.transfer4j.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The losses domain adaptation adds to the classification loss, as whole-batch tensor
 * operations (no element loops in Java): source rows {@code fs} and target rows {@code ft} of
 * one step's features.
 */
public final class DomainLosses {
    /** DAN's kernel bandwidths, as multiples of the batch's mean squared distance (TLlib's 2^-3 .. 2^1). */
    static final float[] MMD_BANDWIDTHS = {0.125f, 0.25f, 0.5f, 1f, 2f};

    private DomainLosses() {}

    /**
     * Deep CORAL as TLlib writes it: the mean squared difference of the domains' feature means
     * plus that of their covariance matrices.
     */
    public static NDArray coral(NDArray fs, NDArray ft) {
        NDArray ms = fs.mean(new int[] {0}, true);
        NDArray mt = ft.mean(new int[] {0}, true);
        NDArray cs = covariance(fs, ms);
        NDArray ct = covariance(ft, mt);
        return ms.sub(mt).square().mean().add(cs.sub(ct).square().mean());
    }

    private static NDArray covariance(NDArray x, NDArray mean) {
        long n = x.getShape().get(0);
        NDArray c = x.sub(mean);
        return c.transpose().matMul(c).div(Math.max(1, n - 1));
    }

    /**
     * Multi-kernel maximum mean discrepancy (DAN): the biased estimate of MMD^2 under a sum of
     * Gaussian kernels whose bandwidths are multiples of the batch's mean squared distance (that
     * scale is a constant to the gradient, as in the reference implementations).
     */
    public static NDArray mkMmd(NDManager m, NDArray fs, NDArray ft) {
        int ns = (int) fs.getShape().get(0);
        int nt = (int) ft.getShape().get(0);
        NDArray z = fs.concat(ft, 0);
        NDArray d2 = squaredDistances(z);
        NDArray scale = d2.mean().stopGradient();
        NDArray k = null;
        for (float a : MMD_BANDWIDTHS) {
            NDArray term = d2.div(scale.mul(2 * a)).neg().exp();
            k = k == null ? term : k.add(term);
        }
        return k.mul(mmdWeights(m, ns, nt)).sum();
    }

    /** Pairwise squared Euclidean distances between the rows of {@code z}, clamped at zero. */
    static NDArray squaredDistances(NDArray z) {
        NDArray sq = z.square().sum(new int[] {1}, true);
        return sq.add(sq.transpose()).sub(z.matMul(z.transpose()).mul(2)).maximum(0f);
    }

    /** The weights that turn a joint kernel matrix into mean(K_ss) + mean(K_tt) - 2 mean(K_st). */
    static NDArray mmdWeights(NDManager m, int ns, int nt) {
        int n = ns + nt;
        float[] w = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean si = i < ns;
                boolean sj = j < ns;
                w[i * n + j] = si && sj ? 1f / ((float) ns * ns) : !si && !sj ? 1f / ((float) nt * nt) : -1f / ((float) ns * nt);
            }
        }
        return m.create(w, new Shape(n, n));
    }

    /**
     * The identity forward, the gradient times {@code -lambda} backward: (1 + lambda) sg(x) - lambda x
     * has the value x and the derivative -lambda, with no custom autograd function.
     */
    public static NDArray reverseGradient(NDArray x, float lambda) {
        return x.stopGradient().mul(1 + lambda).sub(x.mul(lambda));
    }

    /**
     * DANN's coefficient at training progress {@code p} in [0, 1]: 2 / (1 + exp(-10 p)) - 1, so the
     * discriminator's pull on the features grows from 0 while the classifier is still poor.
     */
    public static float reversalSchedule(double p) {
        return (float) (2 / (1 + Math.exp(-10 * Math.max(0, Math.min(1, p)))) - 1);
    }

    /**
     * Binary cross-entropy of discriminator logits {@code d} [n, 1] against "is source" (the first
     * {@code ns} rows), each row weighted by {@code w} [n] (null = 1), each domain's loss averaged
     * separately and the two averaged, so unequal batches weigh the domains equally.
     */
    public static NDArray domainLoss(NDManager m, NDArray d, int ns, NDArray w) {
        int n = (int) d.getShape().get(0);
        float[] isSource = new float[n];
        float[] perDomain = new float[n];
        for (int i = 0; i < n; i++) {
            isSource[i] = i < ns ? 1f : 0f;
            perDomain[i] = i < ns ? 0.5f / ns : 0.5f / (n - ns);
        }
        NDArray logits = d.reshape(n);
        NDArray y = m.create(isSource);
        // log(1 + e^x) - y x, written stably: max(x, 0) + log(1 + e^-|x|) - y x
        NDArray bce = logits.maximum(0f).add(logits.abs().neg().exp().add(1).log()).sub(logits.mul(y));
        if (w != null) {
            bce = bce.mul(w);
        }
        return bce.mul(m.create(perDomain)).sum();
    }

    /** Row entropies of probabilities {@code p} [n, k]. */
    public static NDArray entropy(NDArray p) {
        return p.mul(p.add(1e-5f).log()).sum(new int[] {1}).neg();
    }

    /**
     * CDAN+E's weights 1 + exp(-H(p)) per row, normalised within each domain to mean 1, so confident
     * predictions count more in the discriminator's loss.
     */
    public static NDArray entropyWeights(NDArray p, int ns) {
        NDArray w = entropy(p).neg().exp().add(1).stopGradient();
        int n = (int) w.getShape().get(0);
        NDArray s = w.get("0:" + ns);
        NDArray t = w.get(ns + ":" + n);
        return s.div(s.mean()).concat(t.div(t.mean()), 0);
    }

    /**
     * CDAN's multilinear map of features {@code f} [n, d] and predictions {@code g} [n, k]: the outer
     * product per row flattened to k·d, or, when that exceeds {@code maxWidth}, its randomised
     * estimate (f R_f) ⊙ (g R_g) / sqrt(width) with fixed Gaussian matrices.
     */
    public static NDArray multilinear(NDArray f, NDArray g, NDArray rf, NDArray rg) {
        long n = f.getShape().get(0);
        if (rf == null) {
            return g.expandDims(2).mul(f.expandDims(1)).reshape(n, g.getShape().get(1) * f.getShape().get(1));
        }
        return f.matMul(rf).mul(g.matMul(rg)).div((float) Math.sqrt(rf.getShape().get(1)));
    }

    /**
     * Self-training's loss on target rows: cross-entropy of {@code strong} logits against the argmax
     * of {@code weak}'s predictions, counted only where the weak prediction's probability reaches
     * {@code threshold}, averaged over all target rows (FixMatch).
     */
    public static NDArray pseudoLabelLoss(NDArray weak, NDArray strong, float threshold) {
        NDArray p = weak.softmax(-1).stopGradient();
        NDArray conf = p.max(new int[] {1});
        NDArray mask = conf.gte(threshold).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray target = p.argMax(1).oneHot((int) p.getShape().get(1)).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray ce = strong.logSoftmax(-1).mul(target).sum(new int[] {1}).neg();
        return ce.mul(mask).mean();
    }

    /** Mean softmax cross-entropy of {@code logits} against one-hot (or smoothed) targets {@code q}. */
    public static NDArray crossEntropy(NDArray logits, NDArray q) {
        return logits.logSoftmax(-1).mul(q).sum(new int[] {1}).mean().neg();
    }
}
