package io.transfer4j.run;

import io.transfer4j.data.AudioAugmentation;
import io.transfer4j.train.Optimization;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;

/**
 * Everything that decides an audio-transfer run, recorded in its bundle. Immutable: change it
 * through {@link #toBuilder()}.
 *
 * @param backbone {@code speech-embedding}, a built-in architecture (smallcnn, ... over the same
 *     log-mel windows), a bundle directory or an .onnx encoder
 * @param clipSeconds every clip is padded or cropped to this length ({@link io.transfer4j.data.ClipLength});
 *     0 = chosen from the clips ({@link io.transfer4j.data.ClipLength#choose}: their 95th-percentile
 *     duration plus one window, at most 10 s)
 * @param sampleRate for an .onnx encoder that reads the waveform: its rate; 0 = 16 kHz (the speech embedding's own)
 * @param noise a folder of background recordings for noise augmentation; null for none
 * @param epochs fine-tuning epochs; 0 = chosen from the data size (about {@link ImageRunConfig#UPDATES} updates, 8 to 100 epochs)
 * @param learningRate 0 = the strategy's default for CNNs ({@link io.transfer4j.train.LearningRates#cnn})
 * @param scratch whether to train the from-scratch baseline (a fresh {@code scratchArch} on the same log-mel windows)
 * @param scratchArch the baseline's architecture; null = the backbone's own, else smallcnn
 */
public record AudioRunConfig(String backbone, Strategy strategy, double clipSeconds, int sampleRate, String noise, int epochs,
        int batchSize, float learningRate, Optimization optimization, int patience, TrainConfig.Selection selectBy,
        AudioAugmentation augmentation, long seed, double validationFraction, double testFraction, float[] l2Grid, boolean scratch,
        String scratchArch) implements RunSettings<AudioRunConfig> {

    /** The longest clip length chosen automatically. */
    public static final double MAX_SECONDS = 10;

    public AudioRunConfig {
        strategy = strategy == null ? Strategy.of(Strategy.Kind.AUTO) : strategy;
        optimization = optimization == null ? Optimization.FINE_TUNING : optimization;
        selectBy = selectBy == null ? TrainConfig.Selection.ACCURACY : selectBy;
        augmentation = augmentation == null ? AudioAugmentation.NONE : augmentation;
        if (clipSeconds < 0 || clipSeconds > 60) {
            throw new io.transfer4j.util.UserException("--clip-seconds " + clipSeconds + " is out of range; give 0 (chosen from the data) to 60");
        }
    }

    public static AudioRunConfig defaults() {
        return new AudioRunConfig(io.transfer4j.backbone.AudioBackbones.SPEECH_EMBEDDING, Strategy.of(Strategy.Kind.AUTO), 0, 0, null, 0,
                32, 0, Optimization.FINE_TUNING, 0, TrainConfig.Selection.ACCURACY, AudioAugmentation.NONE, 42, 0.15, 0.2,
                null, true, null);
    }

    public static Builder builder() {
        return defaults().toBuilder();
    }

    @Override
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The baseline's architecture: the one asked for, else the backbone's own (a pre-trained built-in), else the small CNN. */
    public String scratchArchFor(io.transfer4j.backbone.AudioBackbone backbone) {
        return scratchArch != null ? scratchArch : backbone.arch() != null ? backbone.arch() : "smallcnn";
    }

    /** The sample rate an imported waveform encoder reads. */
    public int sampleRateOrDefault() {
        return sampleRate > 0 ? sampleRate : io.transfer4j.backbone.AudioBackbones.RATE;
    }

    /** Training settings for {@code rows} clips, every unset control resolved as for images ({@link ImageRunConfig#training}). */
    public TrainConfig training(Strategy s, int rows, boolean fromScratch) {
        return ImageRunConfig.cnnTraining(s, rows, fromScratch, epochs, batchSize, learningRate, patience, seed, optimization, selectBy);
    }

    public static final class Builder extends SettingsBuilder<Builder, AudioRunConfig> {
        private double clipSeconds;
        private int sampleRate;
        private String noise;
        private int epochs;
        private int batchSize;
        private float learningRate;
        private Optimization optimization;
        private int patience;
        private TrainConfig.Selection selectBy;
        private AudioAugmentation augmentation;
        private boolean scratch;
        private String scratchArch;

        private Builder(AudioRunConfig c) {
            super(c, c.l2Grid);
            clipSeconds = c.clipSeconds;
            sampleRate = c.sampleRate;
            noise = c.noise;
            epochs = c.epochs;
            batchSize = c.batchSize;
            learningRate = c.learningRate;
            optimization = c.optimization;
            patience = c.patience;
            selectBy = c.selectBy;
            augmentation = c.augmentation;
            scratch = c.scratch;
            scratchArch = c.scratchArch;
        }

        /** 0 = chosen from the training clips. */
        public Builder clipSeconds(double v) {
            clipSeconds = v;
            return this;
        }

        /** For a waveform .onnx encoder; 0 = 16 kHz. */
        public Builder sampleRate(int v) {
            sampleRate = v;
            return this;
        }

        /** A folder of background recordings for noise augmentation; null for none. */
        public Builder noise(String v) {
            noise = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder learningRate(float v) {
            learningRate = v;
            return this;
        }

        public Builder optimization(Optimization v) {
            optimization = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder selectBy(TrainConfig.Selection v) {
            selectBy = v;
            return this;
        }

        public Builder augmentation(AudioAugmentation v) {
            augmentation = v;
            return this;
        }

        public Builder scratch(boolean v) {
            scratch = v;
            return this;
        }

        public Builder scratchArch(String v) {
            scratchArch = v;
            return this;
        }

        @Override
        public AudioRunConfig build() {
            return new AudioRunConfig(backbone, strategy, clipSeconds, sampleRate, noise, epochs, batchSize, learningRate, optimization,
                    patience, selectBy, augmentation, seed, validationFraction, testFraction, l2Grid, scratch, scratchArch);
        }
    }
}
