package io.transfer4j.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The one training loop: seeded mini-batch Adam on softmax cross-entropy plus an L2 penalty on
 * weight matrices, validation after every epoch, early stopping on validation loss, and the best
 * epoch's weights restored at the end. Models differ only in their block and their {@link Rows}.
 */
public final class TrainingLoop {
    private TrainingLoop() {}

    /** Steps one run takes at most; a caller's progress task counts these. */
    public static long maxSteps(int rows, TrainConfig cfg) {
        return (long) cfg.maxEpochs() * ((rows + cfg.batchSize() - 1) / cfg.batchSize());
    }

    /**
     * Trains {@code model}'s block and leaves it holding the best epoch's weights. Advances
     * {@code task} by exactly {@link #maxSteps} steps, early stop or not.
     */
    public static FitResult fit(Model model, Rows trainX, int[] trainY, Rows valX, int[] valY, TrainConfig cfg,
            String name, Progress.Task task) {
        long t0 = System.nanoTime();
        Engine.getInstance().setRandomSeed((int) cfg.seed());
        Loss loss = Loss.softmaxCrossEntropyLoss();
        DefaultTrainingConfig tc = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(cfg.learningRate())).build())
                .optDevices(new Device[] {Device.cpu()});
        Block block = model.getBlock();
        List<EpochLog> history = new ArrayList<>();
        Random rng = new Random(cfg.seed());
        int n = trainX.size();
        int stepsPerEpoch = (n + cfg.batchSize() - 1) / cfg.batchSize();
        byte[] best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        double bestAcc = 0;
        int bestEpoch = 0;
        try (Trainer trainer = model.newTrainer(tc)) {
            trainer.initialize(trainX.shapes(Math.min(cfg.batchSize(), n)));
            List<Parameter> penalised = block.getParameters().values().stream()
                    .filter(p -> p.getType() == Parameter.Type.WEIGHT && p.requiresGradient()).toList();
            int epoch;
            for (epoch = 1; epoch <= cfg.maxEpochs(); epoch++) {
                int[] order = shuffled(n, rng);
                double sum = 0;
                for (int start = 0; start < n; start += cfg.batchSize()) {
                    int[] idx = java.util.Arrays.copyOfRange(order, start, Math.min(n, start + cfg.batchSize()));
                    sum += step(trainer, loss, penalised, cfg.l2(), trainX, trainY, idx, model) * idx.length;
                    task.step(1);
                }
                double trainLoss = sum / n;
                if (!Double.isFinite(trainLoss)) {
                    throw new UserException(name + ": training loss became " + trainLoss + " at epoch " + epoch
                            + "; lower the learning rate or check the features for NaN/inf values");
                }
                double[] val = Inference.lossAndAccuracy(model, valX, valY);
                history.add(new EpochLog(epoch, trainLoss, val[0], val[1]));
                task.message(String.format("val loss %.4f acc %.3f", val[0], val[1]));
                if (val[0] < bestLoss - 1e-6) {
                    bestLoss = val[0];
                    bestAcc = val[1];
                    bestEpoch = epoch;
                    best = snapshot(block);
                } else if (epoch - bestEpoch >= cfg.patience()) {
                    task.step((long) (cfg.maxEpochs() - epoch) * stepsPerEpoch);
                    break;
                }
            }
            restore(block, model.getNDManager(), best);
            return new FitResult(cfg.l2(), Math.min(epoch, cfg.maxEpochs()), bestEpoch, bestLoss, bestAcc, history,
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private static double step(Trainer trainer, Loss loss, List<Parameter> penalised, float l2, Rows x, int[] y,
            int[] idx, Model model) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList in = x.batch(m, idx);
            long[] labels = new long[idx.length];
            for (int k = 0; k < idx.length; k++) {
                labels[k] = y[idx[k]];
            }
            NDArray target = m.create(labels);
            float value;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(in);
                NDArray l = loss.evaluate(new NDList(target), pred);
                value = l.getFloat();
                if (l2 > 0) {
                    for (Parameter p : penalised) {
                        // Ops on a parameter land on the parameter's (long-lived) manager; move the
                        // temporaries to the step's manager or every step leaks a weight-sized array.
                        NDArray sq = onto(m, p.getArray().square());
                        l = l.add(onto(m, onto(m, sq.sum()).mul(l2 / 2f)));
                    }
                }
                gc.backward(l);
            }
            trainer.step();
            return value;
        }
    }

    private static NDArray onto(NDManager m, NDArray a) {
        a.attach(m);
        return a;
    }

    private static int[] shuffled(int n, Random rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static byte[] snapshot(Block block) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    private static void restore(Block block, NDManager manager, byte[] snapshot) {
        if (snapshot == null) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            block.loadParameters(manager, in);
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException("could not restore the best epoch's weights", e);
        }
    }
}
