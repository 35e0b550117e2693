package io.transfer4j.adapt;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.transfer4j.data.Augmenter;
import io.transfer4j.train.Inference;
import io.transfer4j.train.Objective;
import io.transfer4j.train.Rows;
import java.util.Random;

/**
 * One adaptation method as the training loop's objective: each micro-batch of {@link DomainRows}
 * (source rows, as many target rows, the source targets, and for self-training an augmented
 * view of the target rows) goes through the network in one forward pass, so BatchNorm sees both
 * domains; the loss is source cross-entropy plus {@code tradeOff} times the method's domain loss.
 * Validation is the classifier's source-validation loss and accuracy: target labels are never read.
 */
public final class DomainObjective implements Objective {
    /** Above this many outer-product features CDAN uses its randomised multilinear map of {@link #RANDOM_WIDTH}. */
    static final int MAX_MULTILINEAR = 4096;
    static final int RANDOM_WIDTH = 1024;

    private final Method method;
    private final float tradeOff;
    private final float threshold;
    private final long seed;
    private double progress;
    private float[] rf;
    private float[] rg;

    public DomainObjective(Method method, float tradeOff, float threshold, long seed) {
        this.method = method;
        this.tradeOff = tradeOff;
        this.threshold = threshold;
        this.seed = seed;
    }

    public Method method() {
        return method;
    }

    /** How wide the discriminator's input is for features of {@code width} and {@code classes} predictions. */
    int discriminatorInput(int width, int classes) {
        if (method != Method.CDAN) {
            return width;
        }
        return (long) width * classes <= MAX_MULTILINEAR ? width * classes : RANDOM_WIDTH;
    }

    @Override
    public String id() {
        return "domain-" + method.id() + "-" + tradeOff + "-" + threshold;
    }

    @Override
    public void at(long index, long total) {
        progress = total <= 0 ? 1 : (double) index / total;
    }

    /** Unused: {@link #batchStep} computes every loss; the classifier's own cross-entropy for completeness. */
    @Override
    public NDArray loss(NDManager m, NDArray output, int[] y, int[] idx, float smoothing, Augmenter.Mixing mix) {
        return Objective.CROSS_ENTROPY.loss(m, output, y, idx, smoothing, mix);
    }

    @Override
    public double[] evaluate(Model model, Rows x, int[] y, int batch) {
        return Inference.lossAndAccuracy(model, x, y, batch);
    }

    @Override
    public BatchStep batchStep() {
        return this::accumulate;
    }

    private double accumulate(Model model, NDList batch, NDManager m, float weight) {
        AdaptiveNetwork net = (AdaptiveNetwork) model.getBlock();
        NDArray xs = batch.get(0);
        NDArray xt = batch.get(1);
        NDArray q = batch.get(2);
        NDArray strong = batch.size() > 3 ? batch.get(3) : null;
        int ns = (int) xs.getShape().get(0);
        int nt = (int) xt.getShape().get(0);
        ParameterStore ps = new ParameterStore(m, false);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray x = strong == null ? xs.concat(xt, 0) : NDArrays.concat(new NDList(xs, xt, strong), 0);
            NDArray f = net.features(ps, x, true);
            NDArray logits = net.logits(ps, f, true);
            NDArray classification = DomainLosses.crossEntropy(logits.get("0:" + ns), q);
            NDArray fs = f.get("0:" + ns);
            NDArray ft = f.get(ns + ":" + (ns + nt));
            NDArray domain = switch (method) {
                case CORAL -> DomainLosses.coral(fs, ft);
                case DAN -> DomainLosses.mkMmd(m, fs, ft);
                case DANN -> DomainLosses.domainLoss(m, net.discriminate(ps, reversed(f.get("0:" + (ns + nt))), true), ns, null);
                case CDAN -> cdan(net, ps, m, f.get("0:" + (ns + nt)), logits.get("0:" + (ns + nt)), ns);
                case SELF_TRAINING -> {
                    NDArray weak = logits.get(ns + ":" + (ns + nt));
                    yield DomainLosses.pseudoLabelLoss(weak, strong == null ? weak : logits.get((ns + nt) + ":"), threshold);
                }
                default -> throw new IllegalStateException(method.id() + " adds no domain loss");
            };
            NDArray total = classification.add(domain.mul(tradeOff));
            float value = total.getFloat();
            gc.backward(weight == 1f ? total : total.mul(weight));
            return value;
        }
    }

    private NDArray reversed(NDArray f) {
        return DomainLosses.reverseGradient(f, DomainLosses.reversalSchedule(progress));
    }

    private NDArray cdan(AdaptiveNetwork net, ParameterStore ps, NDManager m, NDArray f, NDArray logits, int ns) {
        NDArray g = logits.softmax(-1).stopGradient();
        int width = (int) f.getShape().get(1);
        int classes = (int) g.getShape().get(1);
        NDArray h;
        if ((long) width * classes <= MAX_MULTILINEAR) {
            h = DomainLosses.multilinear(reversed(f), g, null, null);
        } else {
            randomMaps(width, classes);
            h = DomainLosses.multilinear(reversed(f), g, m.create(rf, new Shape(width, RANDOM_WIDTH)),
                    m.create(rg, new Shape(classes, RANDOM_WIDTH)));
        }
        return DomainLosses.domainLoss(m, net.discriminate(ps, h, true), ns, DomainLosses.entropyWeights(g, ns));
    }

    /** CDAN's fixed Gaussian projections, drawn once per run from its seed. */
    private void randomMaps(int width, int classes) {
        if (rf == null) {
            Random r = new Random(seed * 31 + 17);
            rf = new float[width * RANDOM_WIDTH];
            rg = new float[classes * RANDOM_WIDTH];
            for (int i = 0; i < rf.length; i++) {
                rf[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < rg.length; i++) {
                rg[i] = (float) r.nextGaussian();
            }
        }
    }
}
