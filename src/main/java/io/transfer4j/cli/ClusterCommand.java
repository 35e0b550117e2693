package io.transfer4j.cli;

import io.transfer4j.Transfer;
import io.transfer4j.cluster.ClusterConfig;
import io.transfer4j.cluster.ClusterRun;
import io.transfer4j.cluster.Clustering;
import io.transfer4j.data.Labelled;
import io.transfer4j.model.Classifier;
import io.transfer4j.report.RunReport;
import io.transfer4j.report.Table;
import io.transfer4j.run.RunSettings;
import io.transfer4j.train.Strategy;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Unsupervised transfer: cluster texts or images in a pre-trained backbone's frozen feature space (or in raw "
                + "features with --raw, the baseline): k-means with k chosen by the silhouette unless --k is given, or Ward's "
                + "agglomerative clustering. Writes each row's cluster and each cluster's most typical rows; with labels, NMI "
                + "(= V-measure) and ARI.")
public final class ClusterCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin DataOptions text;
    @Mixin ImageOptions images;

    @Option(names = {"-d", "--data"}, required = true, description = "Texts (.csv, .jsonl, ...) or images (folder, CSV, IDX).")
    Path dataPath;

    @Option(names = {"-b", "--backbone"}, defaultValue = io.transfer4j.backbone.BackboneCatalogue.DEFAULT_ID,
            description = "The feature space: a catalogue id, an .onnx model or a bundle (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--k", defaultValue = "0", description = "Clusters; 0 = chosen by the mean silhouette over --k-min..--k-max "
            + "(default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--k-min", defaultValue = "2", description = "Smallest k tried (default: ${DEFAULT-VALUE}).")
    int kMin;

    @Option(names = "--k-max", defaultValue = "12", description = "Largest k tried (default: ${DEFAULT-VALUE}).")
    int kMax;

    @Option(names = "--algorithm", defaultValue = "kmeans", description = "kmeans or agglomerative (Ward; at most 4,000 rows) "
            + "(default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--raw", description = "Cluster raw features instead (pixels; TF-IDF for texts): the baseline without transfer.")
    boolean raw;

    @Option(names = "--unlabelled", description = "Texts: the data has no label column (nothing to score against).")
    boolean unlabelled;

    @Option(names = "--max-length", defaultValue = "0", description = "Texts: tokens per window (0 = the backbone's maximum).")
    int maxLength;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of k-means' restarts and the silhouette sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--out"}, required = true, description = "Folder for clusters.csv and clusters.json (replaced atomically).")
    Path out;

    @Override
    public Integer call() {
        ClusterConfig config = ClusterConfig.builder().k(k).kRange(kMin, kMax).algorithm(ClusterConfig.Algorithm.parse(algorithm))
                .raw(raw).seed(seed).build();
        if (io.transfer4j.data.ImageDatasetReader.isImageData(dataPath, images.imageColumn)) {
            if (backbone.equals(io.transfer4j.backbone.BackboneCatalogue.DEFAULT_ID) && !raw) {
                throw new io.transfer4j.util.UserException("images need an image backbone (a bundle or an .onnx model), or --raw for pixels");
            }
            String b = backbone.equals(io.transfer4j.backbone.BackboneCatalogue.DEFAULT_ID) ? "smallcnn" : backbone;
            var cfg = ImageRunner.inputConfig(b, seed, images);
            if (unlabelled) {
                throw new io.transfer4j.util.UserException("--unlabelled is for texts; images are read as labelled folders, CSV or IDX "
                        + "(their labels only score the clustering)");
            }
            var in = ImageRunner.read(cfg, images, dataPath, null, null, common.progress());
            return run(Clustering.of(Transfer.image(in.backbone(), cfg).progress(common.progress())).config(config), in.data());
        }
        var cfg = io.transfer4j.run.RunConfig.builder().backbone(backbone).maxLength(maxLength).seed(seed)
                .strategy(Strategy.of(Strategy.Kind.LINEAR_PROBE)).build();
        var rows = unlabelled ? text.unlabelled(dataPath) : text.labelled(dataPath);
        return run(Clustering.of(Transfer.text(cfg).progress(common.progress())).config(config), rows);
    }

    private <D extends Labelled<D>, M extends Classifier<D>, C extends RunSettings<C>> int run(Clustering<D, M, C> clustering, D rows) {
        ClusterRun run = clustering.run(rows);
        Clustering.save(run, rows, out);
        System.out.print(report(run));
        System.out.println("clusters: " + out.resolve(Clustering.CLUSTERS_CSV) + "  (summary: " + out.resolve(Clustering.CLUSTERS_JSON) + ")");
        return 0;
    }

    static String report(ClusterRun run) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s: %,d rows in %s, %s, k = %d%s; silhouette %.3f (%,d rows)%n",
                run.source(), run.rows(), run.features(), run.algorithm(), run.k(), run.kChoice().isEmpty() ? " (given)" : " (by silhouette)",
                run.silhouette(), run.silhouetteRows()));
        if (!run.kChoice().isEmpty()) {
            s.append("silhouette per k: ");
            run.kChoice().forEach(c -> s.append(String.format(Locale.ROOT, "%d: %.3f  ", c.k(), c.silhouette())));
            s.append('\n');
        }
        if (run.labelled()) {
            s.append(String.format(Locale.ROOT, "against the labels: NMI (V-measure) %.3f, ARI %.3f%n", run.nmi(), run.ari()));
        }
        Table t = new Table("cluster", "size", "majority label", "share", "nearest the centre");
        for (ClusterRun.Cluster c : run.clusters()) {
            String first = c.nearestToCentre().isEmpty() ? "" : c.nearestToCentre().get(0);
            t.row(c.id(), c.size(), c.majorityLabel() == null ? "-" : c.majorityLabel(),
                    Double.isNaN(c.majorityShare()) ? "-" : RunReport.pct(c.majorityShare()), first.length() > 60 ? first.substring(0, 60) + "..." : first);
        }
        return s.append('\n').append(t).toString();
    }
}
