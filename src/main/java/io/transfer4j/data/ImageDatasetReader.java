package io.transfer4j.data;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads labelled images from three layouts, bringing each to one {@link ImageShape}:
 * <ul>
 *   <li>a folder with one sub-folder of images (JPEG, PNG, BMP, GIF) per class;</li>
 *   <li>a CSV with a column of image paths (relative to the CSV's folder) and a label column;</li>
 *   <li>IDX files (the MNIST format, optionally gzipped): the images file, its labels file next to
 *       it with {@code images-idx3} replaced by {@code labels-idx1}.</li>
 * </ul>
 * Image files are decoded through DJL's {@link ImageFactory}. Without a target shape an IDX set
 * keeps its own, and image files need one.
 */
public final class ImageDatasetReader {
    /** The image files read here, as listings name them. */
    public static final LabelledFiles.Kind KIND = new LabelledFiles.Kind(Set.of("jpg", "jpeg", "png", "bmp", "gif"), "image", "--image-column");
    private static final int IDX_IMAGES = 0x0803;
    private static final int IDX_LABELS = 0x0801;

    private final String pathColumn;
    private final String labelColumn;
    private final String groupColumn;
    private final Progress progress;

    public ImageDatasetReader(String pathColumn, String labelColumn, Progress progress) {
        this(pathColumn, labelColumn, null, progress);
    }

    /** @param groupColumn a CSV column naming each image's group for the bias audit; null for none */
    public ImageDatasetReader(String pathColumn, String labelColumn, String groupColumn, Progress progress) {
        this.pathColumn = pathColumn;
        this.labelColumn = labelColumn;
        this.groupColumn = groupColumn;
        this.progress = progress;
    }

    public static ImageDatasetReader defaults() {
        return new ImageDatasetReader("path", "label", Progress.SILENT);
    }

    /** Whether {@code path} holds images in one of the layouts read here (so a command can tell texts from images). */
    public static boolean isImageData(Path path, String pathColumn) {
        if (Files.isRegularFile(path)) {
            String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.contains("idx3") || n.endsWith(".idx")) {
                return true;
            }
            if (n.endsWith(".csv") && pathColumn != null && LabelledFiles.csvHeader(path).contains(pathColumn)) {
                Path first = LabelledFiles.firstListed(path, pathColumn);
                return first == null || !AudioDatasetReader.KIND.accepts(first); // a CSV of audio files lists paths too
            }
            return false;
        }
        return Files.isDirectory(path) && LabelledFiles.holds(path, KIND);
    }

    /** The shape the images have on disk when they all share one (IDX), else null. */
    public static ImageShape nativeShape(Path path) {
        if (Files.isRegularFile(path) && !path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            try (DataInputStream in = open(path)) {
                int magic = in.readInt();
                if (magic != IDX_IMAGES) {
                    return null;
                }
                in.readInt();
                return new ImageShape(1, in.readInt(), in.readInt());
            } catch (IOException e) {
                throw new UserException("cannot read IDX file " + path + ": " + e.getMessage());
            }
        }
        return null;
    }

    /** What the first image of a folder (in name order) looks like: its channels and shorter side. */
    public record FirstImage(int channels, int side) {}

    /** The first image file in a folder, or null when {@code path} is not a folder or it has none to read. */
    public static FirstImage firstImage(Path path) {
        if (!Files.isDirectory(path)) {
            return null;
        }
        try (Stream<Path> s = Files.walk(path)) {
            Path first = s.filter(Files::isRegularFile).filter(KIND::accepts).sorted().findFirst().orElse(null);
            if (first == null) {
                return null;
            }
            BufferedImage img = (BufferedImage) ImageFactory.getInstance().fromFile(first).getWrappedImage();
            return new FirstImage(img.getRaster().getNumBands() == 1 ? 1 : 3, Math.min(img.getHeight(), img.getWidth()));
        } catch (IOException | RuntimeException e) {
            return null; // the read itself names the unreadable file
        }
    }

    /** All images at {@code path}, each brought to {@code shape} (null: an IDX file's own shape). */
    public ImageDataset read(Path path, ImageShape shape) {
        if (!Files.exists(path)) {
            throw new UserException("image data " + path + " does not exist; check the path");
        }
        if (Files.isDirectory(path)) {
            if (groupColumn != null) {
                throw new UserException("--group-column reads a column of a CSV of images, but " + path + " is a folder; "
                        + "list the images in a CSV with path, label and group columns");
            }
            return folder(path, require(shape, path));
        }
        String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv")) {
            return csv(path, require(shape, path), true);
        }
        if (groupColumn != null) {
            throw new UserException("--group-column reads a column of a CSV of images, but " + path + " is an IDX file; "
                    + "list the images in a CSV with path, label and group columns");
        }
        return idx(path, shape);
    }

    /**
     * Images to classify, without labels: image files given directly, a folder searched
     * recursively for images, a CSV's path column, or an IDX images file (its labels, if any, are
     * ignored).
     */
    public ImageDataset unlabelled(List<Path> paths, ImageShape shape) {
        if (paths.size() == 1 && paths.get(0).getFileName().toString().contains("images-idx3")) {
            ImageDataset d = idx(paths.get(0), shape);
            return new ImageDataset(d.source(), d.pixels(), d.channels(), d.height(), d.width(),
                    java.util.Collections.nCopies(d.size(), ""), d.sources());
        }
        List<Path> files = LabelledFiles.unlabelled(paths, KIND, pathColumn);
        return decodeAll(paths.size() == 1 ? paths.get(0).toString() : paths.toString(), files, java.util.Collections.nCopies(files.size(), ""), shape);
    }

    private static ImageShape require(ImageShape shape, Path path) {
        if (shape == null) {
            throw new UserException("the images in " + path + " need a target size; give --image-size (e.g. 64) and --channels 1 or 3");
        }
        return shape;
    }

    private ImageDataset folder(Path dir, ImageShape shape) {
        LabelledFiles f = LabelledFiles.folder(dir, KIND);
        return decodeAll(f.source(), f.files(), f.labels(), shape);
    }

    /** A CSV of image paths and (when {@code labelled}) labels; unlabelled rows get the label "". */
    private ImageDataset csv(Path file, ImageShape shape, boolean labelled) {
        LabelledFiles f = LabelledFiles.csv(file, KIND, pathColumn, labelColumn, groupColumn, labelled);
        ImageDataset d = decodeAll(f.source(), f.files(), f.labels(), shape);
        return f.groups() == null ? d
                : new ImageDataset(d.source(), d.pixels(), d.channels(), d.height(), d.width(), d.labels(), d.sources(), f.groups());
    }

    private ImageDataset decodeAll(String source, List<Path> files, List<String> labels, ImageShape shape) {
        byte[][] px = new byte[files.size()][];
        try (Progress.Task task = progress.start("decode images", files.size(), "images")) {
            for (int i = 0; i < px.length; i++) {
                px[i] = decode(files.get(i), shape);
                task.step(1);
            }
        }
        return new ImageDataset(source, px, shape.channels(), shape.height(), shape.width(), labels,
                files.stream().map(Path::toString).toList());
    }

    /** One image file, decoded and brought to {@code shape}. */
    public static byte[] decode(Path file, ImageShape shape) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("image " + file + " does not exist; check the path");
        }
        BufferedImage img;
        try {
            Image image = ImageFactory.getInstance().fromFile(file);
            img = (BufferedImage) image.getWrappedImage();
        } catch (IOException | RuntimeException e) {
            throw new UserException("cannot decode image " + file + " (" + e.getMessage() + "); it is corrupt or not an image: replace or remove it");
        }
        if (img == null) {
            throw new UserException("cannot decode image " + file + "; it is corrupt or not an image: replace or remove it");
        }
        int h = img.getHeight();
        int w = img.getWidth();
        if (img.getRaster().getNumBands() == 1 && img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY) {
            // Grey PNGs are stored linear; getRGB would re-encode them as sRGB and brighten every pixel.
            int[] g = img.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
            int max = (1 << img.getColorModel().getComponentSize(0)) - 1;
            byte[] grey = new byte[h * w];
            for (int i = 0; i < g.length; i++) {
                grey[i] = (byte) Math.round(g[i] * 255.0 / max);
            }
            return ImageResampler.fit(grey, 1, h, w, shape);
        }
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] chw = new byte[3 * h * w];
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            chw[i] = (byte) (rgb[i] >> 16);
            chw[plane + i] = (byte) (rgb[i] >> 8);
            chw[2 * plane + i] = (byte) rgb[i];
        }
        return ImageResampler.fit(chw, 3, h, w, shape);
    }

    private ImageDataset idx(Path images, ImageShape shape) {
        String name = images.getFileName().toString();
        if (!name.contains("images-idx3")) {
            throw new UserException(images + " is not an IDX images file (named *-images-idx3-ubyte[.gz]); "
                    + "give the images file, with its *-labels-idx1-ubyte[.gz] next to it");
        }
        Path labelsFile = images.resolveSibling(name.replace("images-idx3", "labels-idx1"));
        if (!Files.isRegularFile(labelsFile)) {
            throw new UserException("no labels file " + labelsFile + " next to " + images + "; IDX images need their labels file");
        }
        try (DataInputStream in = open(images); DataInputStream lin = open(labelsFile)) {
            if (in.readInt() != IDX_IMAGES) {
                throw new UserException(images + " is not an IDX images file (wrong magic number); check the file");
            }
            if (lin.readInt() != IDX_LABELS) {
                throw new UserException(labelsFile + " is not an IDX labels file (wrong magic number); check the file");
            }
            int n = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            int nl = lin.readInt();
            if (n != nl || n <= 0 || h <= 0 || w <= 0) {
                throw new UserException(images + " holds " + n + " images of " + h + "x" + w + " but " + labelsFile + " holds "
                        + nl + " labels; they must match");
            }
            ImageShape to = shape == null ? new ImageShape(1, h, w) : shape;
            byte[][] px = new byte[n][];
            List<String> labels = new ArrayList<>(n);
            List<String> sources = new ArrayList<>(n);
            byte[] buf = new byte[h * w];
            try (Progress.Task task = progress.start("read IDX", n, "images")) {
                for (int i = 0; i < n; i++) {
                    in.readFully(buf);
                    px[i] = ImageResampler.fit(buf.clone(), 1, h, w, to);
                    labels.add(Integer.toString(lin.readUnsignedByte()));
                    sources.add(name + "#" + i);
                    task.step(1);
                }
            }
            return new ImageDataset(images.toString(), px, to.channels(), to.height(), to.width(), labels, sources);
        } catch (java.io.EOFException e) {
            throw new UserException(images + " or its labels file ends early; the download is truncated: fetch it again");
        } catch (IOException e) {
            throw new UserException("cannot read IDX file " + images + ": " + e.getMessage());
        }
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        return new DataInputStream(b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw), 1 << 16) : raw);
    }

}
