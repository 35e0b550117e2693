package io.transfer4j.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Block;
import io.transfer4j.util.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Fits one model per L2 strength of a grid through the {@link TrainingLoop} and keeps the one with
 * the best validation accuracy (ties: lower validation loss). The strength is thus chosen on the
 * validation split, never on test data.
 */
public final class HeadFitter {
    private final Progress progress;

    public HeadFitter(Progress progress) {
        this.progress = progress;
    }

    /** The chosen model (caller closes it), its run, every grid point's run, and what choosing and fitting took in all. */
    public record Fitted(Model model, FitResult best, List<FitResult> grid, long millis) {}

    public Fitted fit(String name, Supplier<Block> blocks, Rows trainX, int[] trainY, Rows valX, int[] valY,
            TrainConfig cfg, float[] l2Grid) {
        Model best = null;
        FitResult bestRun = null;
        List<FitResult> runs = new ArrayList<>();
        String label = l2Grid.length > 1 ? name + " (" + l2Grid.length + " L2 values)" : name;
        try (Progress.Task task = progress.start(label, l2Grid.length * TrainingLoop.maxSteps(trainX.size(), cfg), "steps")) {
            for (float l2 : l2Grid) {
                Model m = Model.newInstance(name, Device.cpu(), "PyTorch");
                m.setBlock(blocks.get());
                FitResult r;
                try {
                    r = TrainingLoop.fit(m, trainX, trainY, valX, valY, cfg.withL2(l2), name, task);
                } catch (RuntimeException e) {
                    m.close();
                    if (best != null) {
                        best.close();
                    }
                    throw e;
                }
                runs.add(r);
                if (bestRun == null || better(r, bestRun)) {
                    if (best != null) {
                        best.close();
                    }
                    best = m;
                    bestRun = r;
                } else {
                    m.close();
                }
            }
        }
        return new Fitted(best, bestRun, runs, runs.stream().mapToLong(FitResult::millis).sum());
    }

    private static boolean better(FitResult a, FitResult b) {
        return a.bestValidationAccuracy() > b.bestValidationAccuracy()
                || (a.bestValidationAccuracy() == b.bestValidationAccuracy() && a.bestValidationLoss() < b.bestValidationLoss());
    }
}
