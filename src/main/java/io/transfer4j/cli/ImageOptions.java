package io.transfer4j.cli;

import io.transfer4j.data.Augmentation;
import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** How images are read and augmented (used when --data holds images). */
public final class ImageOptions {
    @Option(names = "--image-column", defaultValue = "path",
            description = "Images: CSV column with each image's path, relative to the CSV (default: ${DEFAULT-VALUE}).")
    String imageColumn;

    @Option(names = "--image-size", description = "Images: size fed to the network, 32 or 48x192 (default: the backbone's; "
            + "for built-in networks the data's own: IDX images' size, or the first image file's shorter side, at most 64).")
    String imageSize;

    @Option(names = "--channels", defaultValue = "0", description = "Images: 1 (grey) or 3 (colour) (default: the backbone's or the data's).")
    int channels;

    @Option(names = "--feature-layer", description = "Images, .onnx backbone: tensor to take features from (default: what its classifier head reads).")
    String featureLayer;

    @Option(names = "--mean", split = ",", description = "Images: per-channel input mean on [0,1] pixels (default: the backbone's; 0.5 for .onnx models).")
    float[] mean;

    @Option(names = "--std", split = ",", description = "Images: per-channel input standard deviation (default: the backbone's; 0.5 for .onnx models).")
    float[] std;

    @Option(names = "--augment", defaultValue = "none",
            description = "Training-batch augmentations. Images: e.g. standard or crop,flip,rotate=15,jitter=0.2,erase=0.25,mixup=0.2,cutmix=1; "
                    + "audio: standard or shift=0.1,gain=6,speed=0.1,noise=5 (with --noise),timemask=2,freqmask=2 (default: ${DEFAULT-VALUE}).")
    String augment;

    @Option(names = "--classes", split = ",", description = "Images: keep only these classes of --data and --test-data (e.g. 5,6,7,8,9).")
    List<String> classes;

    @Option(names = "--scratch-arch",
            description = "Images: architecture of the from-scratch baseline (default: the backbone's own architecture; smallcnn for an imported model).")
    String scratchArch;

    Augmentation augmentation() {
        return Augmentation.parse(augment);
    }

    ImageDatasetReader reader(Progress progress) {
        return reader(null, progress);
    }

    /** @param groupColumn the CSV column naming each image's group for the bias audit; null for none */
    ImageDatasetReader reader(String groupColumn, Progress progress) {
        return new ImageDatasetReader(imageColumn, "label", groupColumn, progress);
    }

    ImageDataset keep(ImageDataset d) {
        if (d == null || classes == null || classes.isEmpty()) {
            return d;
        }
        ImageDataset kept = d.withClasses(classes);
        if (kept.size() == 0) {
            throw new UserException(d.source() + " has no images of classes " + classes + " (its classes: "
                    + d.classCounts().keySet() + "); fix --classes");
        }
        return kept;
    }

    static float[] orNull(float[] v) {
        return v == null || v.length == 0 ? null : Arrays.copyOf(v, v.length);
    }
}
