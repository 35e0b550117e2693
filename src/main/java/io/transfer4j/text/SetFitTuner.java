package io.transfer4j.text;

import io.transfer4j.backbone.BackboneFiles;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.Pooling;
import io.transfer4j.backbone.TextEncoder;
import io.transfer4j.data.LabelMap;
import io.transfer4j.data.TextDataset;
import io.transfer4j.fewshot.SetFitConfig;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.run.RunConfig;
import io.transfer4j.run.TransferRun;
import io.transfer4j.train.Checkpoints;
import io.transfer4j.train.FineTuning;
import io.transfer4j.train.Optimization;
import io.transfer4j.train.PairEncoder;
import io.transfer4j.train.PairRows;
import io.transfer4j.train.Rows;
import io.transfer4j.train.Strategy;
import io.transfer4j.train.TrainConfig;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;

/**
 * SetFit's first stage for a text encoder: every weight trained (the paper's recipe) on pairs of
 * the labelled texts ({@link PairRows}) to give same-class pairs a cosine of 1 and others 0
 * ({@link PairEncoder}), through the same fine-tuning job as every other strategy, then exported so
 * that the few-shot head reads the tuned encoder's features like any backbone's.
 */
final class SetFitTuner {
    private SetFitTuner() {}

    /** The tuned encoder as a backbone spec in {@code work}, with what training did. */
    record Result(BackboneSpec spec, TransferRun.Tuning tuning, io.transfer4j.train.FitResult fit) {}

    static Result tune(RunConfig config, BackboneSpec spec, BackboneFiles files, TextDataset shots, LabelMap labels, SetFitConfig s,
            io.transfer4j.util.WorkDirectory work, Progress progress) {
        int maxLength = Math.min(s.maxLength(), spec.maxLength());
        long[][] ids;
        int width;
        try (TextEncoder enc = TextEncoder.open(spec, files, maxLength, 32, 1)) {
            width = enc.width();
            ids = enc.tokenize(shots.texts()).ids();
        }
        int[] y = shots.labelIndices(labels);
        long seed = config.seed();
        // SetFit's optimiser: AdamW at its rate, warmed up over the first 10% of updates, linear decay; no early stop within its epochs
        Optimization opt = Optimization.FINE_TUNING;
        TrainConfig tc = new TrainConfig(s.epochs(), s.batchSize(), s.learningRate(), 0, s.epochs(), seed, opt);
        Strategy full = Strategy.of(Strategy.Kind.FULL);
        FineTuning.Job job = new FineTuning.Job("setfit pairs", spec.id(), FineTuner.tokenStates(files), full, tc, seed, null,
                labels.size(), PairRows.targets(ids.length, s.iterations()), PairRows.targets(ids.length, 1), null, Checkpoints.NONE, progress);
        boolean cls = spec.pooling() == Pooling.CLS;
        PairRows[] rows = new PairRows[2];
        FineTuning.Network<PairEncoder> network = new FineTuning.Network<>() {
            @Override
            public PairEncoder network(OnnxBlock body, int classes) {
                rows[0] = new PairRows(ids, y, classes, s.iterations(), seed, body.inputNames());
                // no rows are left to validate on: a fresh draw of pairs from the same texts only tracks the fit
                rows[1] = new PairRows(ids, y, classes, 1, seed + 1, body.inputNames());
                return new PairEncoder(body, cls);
            }

            @Override
            public Rows trainRows(OnnxBlock body) {
                return rows[0];
            }

            @Override
            public Rows plainTrainRows(OnnxBlock body) {
                return rows[0];
            }

            @Override
            public Rows validationRows(OnnxBlock body) {
                return rows[1];
            }
        };
        try {
            return FineTuning.run(job, network, t -> {
                BackboneSpec tuned = FineTuner.exportEncoder(t.body(), spec, files, work, "setfit", spec.pooling(), maxLength, width);
                TransferRun.Tuning tuning = TransferRun.Tuning.of(t, s.pairs(shots.size()) + " pairs per epoch (" + s.iterations()
                        + " same-class and " + s.iterations() + " other-class partners per text), texts cut to " + maxLength + " tokens",
                        work.path());
                return new Result(tuned, tuning, t.fit());
            });
        } catch (java.io.IOException e) {
            throw new UserException("could not write the SetFit-tuned encoder to " + work.path() + ": " + e.getMessage());
        }
    }
}
