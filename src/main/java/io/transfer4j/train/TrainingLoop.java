package io.transfer4j.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.transfer4j.util.Hashing;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The one training loop. Every model, from a logistic head on cached features to a whole
 * fine-tuned transformer, trains here: seeded mini-batches, the network's {@link Objective}
 * (softmax cross-entropy, optionally label-smoothed, unless it plugs in another) plus an optional
 * L2 penalty, gradient accumulation, the {@link Updater}'s optimizer with its schedule, a {@link Strategy} deciding per epoch what is frozen, validation
 * after every epoch, early stopping on validation loss or accuracy with the best epoch restored, and
 * checkpoints from which a killed run continues exactly.
 */
public final class TrainingLoop {
    /** Non-finite updates tolerated (and skipped) in one run before it is stopped as diverged. */
    static final int MAX_SKIPPED = 10;

    private TrainingLoop() {}

    /**
     * What to train, how to survive interruption, and who else listens (benchmarks' timers);
     * {@link #HEAD} trains every parameter.
     */
    public record Tuning(ParameterTable table, Strategy strategy, Checkpoints checkpoints, List<LoopListener> listeners,
            Objective objective) {
        public static final Tuning HEAD = new Tuning(null, Strategy.of(Strategy.Kind.FULL), Checkpoints.NONE);

        public Tuning(ParameterTable table, Strategy strategy, Checkpoints checkpoints) {
            this(table, strategy, checkpoints, List.of());
        }

        public Tuning(ParameterTable table, Strategy strategy, Checkpoints checkpoints, List<LoopListener> listeners) {
            this(table, strategy, checkpoints, listeners, Objective.CROSS_ENTROPY);
        }

        public Tuning {
            listeners = List.copyOf(listeners);
            objective = objective == null ? Objective.CROSS_ENTROPY : objective;
        }
    }

    /** Micro-batches one run takes at most; a caller's progress task counts these. */
    public static long maxSteps(int rows, TrainConfig cfg) {
        return (long) cfg.maxEpochs() * batches(rows, cfg);
    }

    private static int batches(int rows, TrainConfig cfg) {
        return (rows + cfg.batchSize() - 1) / cfg.batchSize();
    }

    public static FitResult fit(Model model, Rows trainX, int[] trainY, Rows valX, int[] valY, TrainConfig cfg,
            String name, Progress.Task task) {
        return fit(model, trainX, trainY, valX, valY, cfg, Tuning.HEAD, name, task);
    }

    /**
     * Trains {@code model}'s block and leaves it holding the best epoch's weights. Advances
     * {@code task} by exactly {@link #maxSteps} steps, early stop or not.
     */
    public static FitResult fit(Model model, Rows trainX, int[] trainY, Rows valX, int[] valY, TrainConfig cfg,
            Tuning tuning, String name, Progress.Task task) {
        if (!(cfg.learningRate() > 0)) {
            // a programming error, not a user's: an unset rate is resolved by LearningRates before training starts
            throw new IllegalStateException(name + ": learning rate " + cfg.learningRate() + " was not resolved to the strategy's default");
        }
        long t0 = System.nanoTime();
        Block block = model.getBlock();
        int n = trainX.size();
        if (n == 0 || valX.size() == 0) {
            throw new UserException(name + ": nothing to train on (" + n + " training, " + valX.size()
                    + " validation rows); give more labelled data");
        }
        Seeds.beforeInit(cfg.seed());
        if (!block.isInitialized()) {
            block.initialize(model.getNDManager(), DataType.FLOAT32, trainX.shapes(Math.min(cfg.batchSize(), n)));
        }
        ParameterTable table = tuning.table() != null ? tuning.table() : ParameterTable.allHead(block);
        Map<String, TunedParameter> byKey = table.byKey();
        Optimization opt = cfg.optimization();
        Updater updater = new Updater(opt, model.getNDManager());
        updater.anchor(table.entries());
        int micro = batches(n, cfg);
        int stepsPerEpoch = (micro + opt.accumulation() - 1) / opt.accumulation();
        long totalSteps = (long) cfg.maxEpochs() * stepsPerEpoch;
        Checkpoints ck = tuning.checkpoints();
        List<LoopListener> told = new ArrayList<>(List.of(LoopListener.progress(task)));
        if (ck.enabled()) {
            told.add(LoopListener.checkpoints(ck.dir(), ck.everySteps()));
        }
        if (ck.interruptAfter() > 0) {
            told.add(LoopListener.interruptAfter(ck.interruptAfter()));
        }
        told.addAll(tuning.listeners());
        LoopListener events = LoopListener.all(told);
        Objective objective = tuning.objective();
        // the objective joins the fingerprint only when it is not the classifiers' own, so existing checkpoints still resume
        String fingerprint = Hashing.sha256Hex(cfg + "|" + tuning.strategy() + (objective == Objective.CROSS_ENTROPY ? "" : "|" + objective.id())
                + "|" + n + "|" + valX.size() + "|"
                + Arrays.hashCode(trainY) + "|" + byKey.keySet());
        LoopState st = new LoopState(fingerprint, 1, 0, 0, 0, 0, List.of(), Double.POSITIVE_INFINITY, 0, 0, 0, false, 0);
        byte[] best = null;
        if (ck.enabled() && ck.resume() && CheckpointStore.exists(ck.dir())) {
            CheckpointStore.Restored r = CheckpointStore.load(ck.dir(), block, model.getNDManager(), updater);
            if (!r.state().fingerprint().equals(fingerprint)) {
                throw new UserException("the checkpoint in " + ck.dir() + " was written by a run with other data or settings; "
                        + "resume with the same command, or drop --resume to start afresh");
            }
            st = r.state();
            best = r.best();
            resyncGradients(table);
            events.resumed(Math.min(maxSteps(n, cfg), (long) (st.epoch() - 1) * micro + st.batch()));
        }
        List<EpochLog> history = new ArrayList<>(st.history());
        long step = st.step();
        long priorMillis = st.millis();
        double bestLoss = st.bestLoss();
        double bestAcc = st.bestAccuracy();
        int bestEpoch = st.bestEpoch();
        int epoch = st.epoch();
        boolean stopped = st.stopped();
        int skipped = st.skipped();
        boolean badGroup = false;
        String lastBad = null;
        for (; epoch <= cfg.maxEpochs() && !stopped; epoch++) {
            Map<String, Float> active = tuning.strategy().phase(table, epoch, cfg.maxEpochs(), opt.layerDecay());
            freezeAllBut(table, active);
            int[] order = io.transfer4j.util.Permutations.shuffled(n, new Random(cfg.seed() * 1_000_003L + epoch));
            int first = epoch == st.epoch() ? st.batch() : 0;
            double sum = epoch == st.epoch() ? st.lossSum() : 0;
            int count = epoch == st.epoch() ? st.lossCount() : 0;
            for (int b = first; b < micro; b++) {
                int[] idx = Arrays.copyOfRange(order, b * cfg.batchSize(), Math.min(n, (b + 1) * cfg.batchSize()));
                int groupStart = b / opt.accumulation() * opt.accumulation();
                int groupEnd = Math.min(micro, groupStart + opt.accumulation());
                int groupRows = Math.min(n, groupEnd * cfg.batchSize()) - groupStart * cfg.batchSize();
                Seeds.beforeBatch(cfg.seed(), (long) (epoch - 1) * micro + b);
                objective.at((long) (epoch - 1) * micro + b, (long) cfg.maxEpochs() * micro);
                double loss = microStep(model, byKey, active, cfg, objective, trainX, trainY, idx, (float) idx.length / groupRows);
                if (Double.isFinite(loss)) {
                    sum += loss * idx.length;
                    count += idx.length;
                } else {
                    badGroup = true;
                    lastBad = "training loss became " + loss + " at epoch " + epoch + ", batch " + (b + 1);
                }
                events.microBatch(epoch, b, loss);
                if (b + 1 == groupEnd) {
                    double lr = cfg.learningRate() * opt.schedule().factor(step, totalSteps, opt.warmup());
                    double norm = Double.NaN;
                    try (NDManager scratch = model.getNDManager().newSubManager()) {
                        if (badGroup) {
                            updater.clear(byKey, active, scratch);
                        } else {
                            norm = updater.step(byKey, active, lr, scratch);
                        }
                    }
                    if (badGroup || !Double.isFinite(norm)) {
                        // Rare non-finite steps are skipped (the weights are untouched); many mean divergence.
                        skipped++;
                        if (lastBad == null) {
                            lastBad = "the gradient norm became " + norm + " at epoch " + epoch + ", batch " + (b + 1);
                        }
                        if (skipped > MAX_SKIPPED) {
                            throw new UserException(name + ": " + lastBad + " (" + skipped + " updates skipped as non-finite, "
                                    + "learning rate " + String.format(java.util.Locale.ROOT, "%.3g", lr)
                                    + "); lower the learning rate or check the inputs for NaN/inf values");
                        }
                    }
                    badGroup = false;
                    step++;
                    events.updated(step, b + 1 == micro, new LoopListener.Position(block, updater, best, new LoopState(fingerprint,
                            epoch, b + 1, step, sum, count, history, bestLoss, bestAcc, bestEpoch, priorMillis + millisSince(t0), false,
                            skipped)));
                }
            }
            if (count == 0) {
                throw new UserException(name + ": every batch of epoch " + epoch + " gave a non-finite loss ("
                        + lastBad + "); lower the learning rate or check the inputs for NaN/inf values");
            }
            double trainLoss = sum / count;
            // the training batch size: an interpreted encoder holds every activation of a batch until it ends
            double[] val = objective.evaluate(model, valX, valY, cfg.batchSize());
            if (!Double.isFinite(val[0])) {
                throw new UserException(name + ": validation loss became " + val[0] + " at epoch " + epoch
                        + (lastBad != null ? " (" + lastBad + ")" : "")
                        + "; lower the learning rate or check the inputs for NaN/inf values");
            }
            EpochLog log = new EpochLog(epoch, trainLoss, val[0], val[1]);
            history.add(log);
            if (cfg.improves(val[0], val[1], bestLoss, bestAcc)) {
                bestLoss = val[0];
                bestAcc = val[1];
                bestEpoch = epoch;
                best = snapshot(block);
            } else if (epoch - bestEpoch >= cfg.patience()) {
                events.stoppedEarly((long) (cfg.maxEpochs() - epoch) * micro);
                stopped = true;
            }
            events.epochEnded(log, new LoopListener.Position(block, updater, best, new LoopState(fingerprint, epoch + 1, 0, step, 0, 0,
                    history, bestLoss, bestAcc, bestEpoch, priorMillis + millisSince(t0), stopped, skipped)));
        }
        restore(block, model.getNDManager(), best);
        updater.release();
        resyncGradients(table);
        int epochsRun = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
        return new FitResult(cfg.l2(), epochsRun, bestEpoch, bestLoss, bestAcc, history, priorMillis + millisSince(t0), skipped);
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Frozen means no gradient, no update, no decay, and (in graph blocks) BatchNorm in inference mode. */
    private static void freezeAllBut(ParameterTable table, Map<String, Float> active) {
        for (TunedParameter t : table.entries()) {
            boolean train = active.containsKey(t.key());
            if (t.parameter().requiresGradient() != train && !t.isState()) {
                t.parameter().freeze(!train);
            }
        }
    }

    /** Loading weights replaces the parameters' arrays; give the new arrays their parameters' gradient flags. */
    private static void resyncGradients(ParameterTable table) {
        for (TunedParameter t : table.entries()) {
            if (!t.isState()) {
                t.parameter().getArray().setRequiresGradient(t.parameter().requiresGradient());
            }
        }
    }

    private static double microStep(Model model, Map<String, TunedParameter> table, Map<String, Float> active,
            TrainConfig cfg, Objective objective, Rows x, int[] y, int[] idx, float weight) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList in = x.batch(m, idx);
            if (objective.batchStep() != null) {
                return objective.batchStep().accumulate(model, in, m, weight);
            }
            float value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.getBlock().forward(new ParameterStore(m, false), in, true).singletonOrThrow();
                NDArray l = objective.loss(m, logits, y, idx, cfg.optimization().labelSmoothing(), x.mixing(idx));
                value = l.getFloat();
                if (cfg.l2() > 0) {
                    for (String key : active.keySet()) {
                        TunedParameter t = table.get(key);
                        if (t.isMatrix()) {
                            // Ops on a parameter land on the parameter's (long-lived) manager; move the
                            // temporaries to the step's manager or every step leaks a weight-sized array.
                            NDArray sq = onto(m, t.parameter().getArray().square());
                            l = l.add(onto(m, onto(m, sq.sum()).mul(cfg.l2() / 2f)));
                        }
                    }
                }
                gc.backward(weight == 1f ? l : l.mul(weight));
            }
            return value;
        }
    }

    /**
     * Mean cross-entropy against targets smoothed by {@code smoothing} (0 = one-hot) and, when the
     * batch's inputs were mixed in pairs, mixed in the same proportion.
     */
    static NDArray crossEntropy(NDManager m, NDArray logits, int[] y, int[] idx, float smoothing,
            io.transfer4j.data.Augmenter.Mixing mix) {
        int k = (int) logits.getShape().get(1);
        float[] q = new float[idx.length * k];
        float off = smoothing / k;
        Arrays.fill(q, off);
        for (int r = 0; r < idx.length; r++) {
            if (mix == null) {
                q[r * k + y[idx[r]]] += 1 - smoothing;
            } else {
                q[r * k + y[idx[r]]] += (1 - smoothing) * mix.lambda();
                q[r * k + y[idx[mix.partner()[r]]]] += (1 - smoothing) * (1 - mix.lambda());
            }
        }
        NDArray target = m.create(q, new ai.djl.ndarray.types.Shape(idx.length, k));
        return logits.logSoftmax(-1).mul(target).sum(new int[] {1}).mean().neg();
    }

    private static NDArray onto(NDManager m, NDArray a) {
        a.attach(m);
        return a;
    }

    static byte[] snapshot(Block block) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    static void restore(Block block, NDManager manager, byte[] snapshot) {
        if (snapshot == null) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            block.loadParameters(manager, in);
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException("could not restore saved weights", e);
        }
    }
}
