package io.transfer4j.run;

import io.transfer4j.train.Strategy;

/**
 * What every modality's configuration builder sets the same way: the backbone, the strategy, the
 * seed, the split and the probe's L2 grid ({@link RunSettings}); each modality's builder adds its own.
 *
 * @param <B> the builder itself, so that chained calls keep its type
 * @param <C> the configuration it builds
 */
public abstract class SettingsBuilder<B extends SettingsBuilder<B, C>, C extends RunSettings<C>> {
    protected String backbone;
    protected Strategy strategy;
    protected long seed;
    protected double validationFraction;
    protected double testFraction;
    protected float[] l2Grid;

    protected SettingsBuilder(RunSettings<?> c, float[] l2Grid) {
        backbone = c.backbone();
        strategy = c.strategy();
        seed = c.seed();
        validationFraction = c.validationFraction();
        testFraction = c.testFraction();
        this.l2Grid = l2Grid;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** A catalogue id, id@layer, an .onnx file, a bundle folder or a built-in architecture, as the modality reads them. */
    public B backbone(String v) {
        backbone = v;
        return self();
    }

    public B strategy(Strategy v) {
        strategy = v;
        return self();
    }

    /** The seed drives the split, the initialisation and the batch order. */
    public B seed(long v) {
        seed = v;
        return self();
    }

    /** Shares of each class held out for validation and (without test data) test. */
    public B split(double validation, double test) {
        validationFraction = validation;
        testFraction = test;
        return self();
    }

    /** L2 strengths the linear probe chooses from on the validation split; one value fixes it. */
    public B l2Grid(float... v) {
        l2Grid = v.clone();
        return self();
    }

    public abstract C build();
}
