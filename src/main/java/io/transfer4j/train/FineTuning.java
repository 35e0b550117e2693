package io.transfer4j.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import io.transfer4j.onnx.OnnxBlock;
import io.transfer4j.onnx.OnnxFile;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import io.transfer4j.util.WorkDirectory;
import java.util.List;

/**
 * Fine-tuning an ONNX network under a {@link Strategy}, written once for every modality: the graph
 * loaded as a trainable block, LoRA adapters added when asked, the modality's network (body plus a
 * new head) initialised with the seed, LP-FT's probe fitted first when asked, then the one
 * training loop. The modality supplies only what differs ({@link Network}: the head and the
 * batches) and what it makes of the result ({@link Finish}: export, wrap, score), which runs while
 * the trained weights are still open.
 */
public final class FineTuning {
    private FineTuning() {}

    /**
     * One fine-tuning job.
     *
     * @param name for progress bars and messages ("fine-tune lora", "scratch smallcnn")
     * @param backboneId for the message when no weight matches the LoRA targets
     * @param loraDefault the modality's LoRA targets when {@code --lora-targets} is empty
     * @param probe LP-FT's first stage
     */
    public record Job(String name, String backboneId, OnnxFile graph, Strategy strategy, TrainConfig training, long seed,
            OnnxBlock.LoraTarget loraDefault, int classes, int[] trainY, int[] validationY, LinearProbe probe,
            Checkpoints checkpoints, Progress progress) {}

    /** What differs per modality: the network around the loaded body, and its batches. */
    public interface Network<N extends Block & TunableNetwork> {
        N network(OnnxBlock body, int classes);

        /** Training rows as the loop sees them (augmented where the modality augments). */
        Rows trainRows(OnnxBlock body);

        /** Training rows as the frozen network sees them, for LP-FT's probe. */
        Rows plainTrainRows(OnnxBlock body);

        Rows validationRows(OnnxBlock body);
    }

    /** The trained network, while its weights are open. */
    public record Tuned<N extends Block & TunableNetwork>(OnnxBlock body, N network, FitResult fit, long trainable, long total,
            int adapted, TrainConfig training, Strategy strategy) {
        /** Mean wall time of an epoch (0 when none ran). */
        public long millisPerEpoch() {
            return fit.history().isEmpty() ? 0 : fit.millis() / fit.history().size();
        }
    }

    /** What the modality makes of the trained network (export it, wrap it as its model) before the weights close. */
    @FunctionalInterface
    public interface Finish<N extends Block & TunableNetwork, T> {
        T apply(Tuned<N> tuned) throws java.io.IOException;
    }

    /**
     * What the modality makes of the trained network when its result lives in a folder of its own
     * (the exported graph): {@code owns} hands over the model made from it, which from then on owns
     * the folder, so that a later failure (scoring the test rows) closes that model.
     */
    @FunctionalInterface
    public interface Export<N extends Block & TunableNetwork, T> {
        T apply(Tuned<N> tuned, WorkDirectory dir, java.util.function.Consumer<AutoCloseable> owns) throws java.io.IOException;
    }

    /**
     * {@link #run} into a fresh temporary folder {@code dir} (named {@code prefix}...): a failed run
     * frees what it made, the model handed to {@code owns} (native head, ONNX sessions, and with them
     * the folder), or else the folder itself. Every modality's fine-tuning ends here.
     */
    public static <N extends Block & TunableNetwork, T> T runInto(String prefix, Job job, Network<N> modality, Export<N, T> export) {
        WorkDirectory dir = WorkDirectory.create(prefix);
        AutoCloseable[] made = new AutoCloseable[1];
        try {
            return run(job, modality, t -> export.apply(t, dir, m -> made[0] = m));
        } catch (java.io.IOException | RuntimeException e) {
            try {
                if (made[0] != null) {
                    made[0].close();
                } else {
                    dir.close();
                }
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof java.io.IOException io ? new java.io.UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public static <N extends Block & TunableNetwork, T> T run(Job job, Network<N> modality, Finish<N, T> finish)
            throws java.io.IOException {
        Strategy strategy = job.strategy();
        TrainConfig tc = job.training();
        try (Model model = Model.newInstance(job.name(), Device.cpu(), "PyTorch")) {
            OnnxBlock body = OnnxBlock.load(job.graph(), model.getNDManager());
            body.setPrecision(tc.optimization().precision());
            Seeds.beforeInit(job.seed());
            List<String> adapted = List.of();
            if (strategy.kind() == Strategy.Kind.LORA) {
                adapted = body.addLora(strategy.loraRank(), strategy.loraAlpha(), LoraTargets.of(strategy, job.loraDefault()),
                        model.getNDManager());
                if (adapted.isEmpty()) {
                    throw new UserException("no weight of " + job.backboneId() + " matches the LoRA targets '" + strategy.loraTargets()
                            + "'; give --lora-targets a regex over weight or node names (see `onnx inspect`)");
                }
            }
            N net = modality.network(body, job.classes());
            model.setBlock(net);
            Rows train = modality.trainRows(body);
            Rows validation = modality.validationRows(body);
            net.initialize(model.getNDManager(), DataType.FLOAT32, train.shapes(Math.min(tc.batchSize(), train.size())));
            if (strategy.kind() == Strategy.Kind.LP_FT) {
                if (!(net instanceof HeadedNetwork headed)) {
                    throw new UserException(strategy.kind().id() + " fits a probe on the head's features first; " + job.name()
                            + " has no classifier head: choose another strategy");
                }
                ProbeFirst.fit(headed, model, modality.plainTrainRows(body), job.trainY(), validation, job.validationY(), job.classes(),
                        job.probe(), job.progress());
            }
            ParameterTable table = net.table();
            FitResult fit;
            try (Progress.Task task = job.progress().start(job.name(), TrainingLoop.maxSteps(train.size(), tc), "batches")) {
                fit = TrainingLoop.fit(model, train, job.trainY(), validation, job.validationY(), tc,
                        new TrainingLoop.Tuning(table, strategy, job.checkpoints(), List.of(), net.objective()), job.name(), task);
            }
            return finish.apply(new Tuned<>(body, net, fit, table.trainedBy(strategy, tc), table.trainableTotal(), adapted.size(), tc,
                    strategy));
        }
    }
}
