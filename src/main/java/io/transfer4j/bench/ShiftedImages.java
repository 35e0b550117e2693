package io.transfer4j.bench;

import io.transfer4j.data.ImageDataset;
import io.transfer4j.data.ImageDatasetReader;
import io.transfer4j.data.ImageShape;
import io.transfer4j.util.AtomicDirectory;
import io.transfer4j.util.Progress;
import io.transfer4j.util.UserException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Target domains made from a labelled image set, for domain-adaptation evidence: the same classes
 * and labels under a shift of appearance, written as a folder per class of PNGs (what
 * {@code adapt --target} and {@code --target-test} read).
 * <ul>
 *   <li>{@code photo-blend}: MNIST-M's construction (Ganin et al., 2016): each grey image blended with
 *       a random patch of a real colour photograph, out = |patch - image| per channel;</li>
 *   <li>{@code appearance}: contrast inverted, a 3x3 box blur, Gaussian noise (sd 25 of 255);</li>
 *   <li>{@code none}: the images as they are (a source domain of the same size and format).</li>
 * </ul>
 */
public final class ShiftedImages {
    public enum Kind {
        PHOTO_BLEND, APPEARANCE, NONE;

        public static Kind parse(String s) {
            return switch (s) {
                case "photo-blend" -> PHOTO_BLEND;
                case "appearance" -> APPEARANCE;
                case "none" -> NONE;
                default -> throw new UserException("unknown shift '" + s + "'; choose photo-blend, appearance or none (a plain copy)");
            };
        }
    }

    private ShiftedImages() {}

    /**
     * Writes {@code images} (grey) shifted by {@code kind} into {@code out}/label/i.png, atomically;
     * {@code photos} (photo-blend only) is a folder of JPEG/PNG photographs. Returns the images written.
     */
    public static int write(ImageDataset images, Kind kind, Path photos, Path out, long seed, Progress progress) {
        return write(images, kind, photos, out, seed, images.size(), progress);
    }

    /** {@link #write} of the first {@code limit} images only. */
    public static int write(ImageDataset images, Kind kind, Path photos, Path out, long seed, int limit, Progress progress) {
        int count = Math.min(limit, images.size());
        if (images.channels() != 1) {
            throw new UserException("the images to shift must be grey (1 channel); read them with --channels 1");
        }
        List<int[]> pictures = kind == Kind.PHOTO_BLEND ? photos(photos) : List.of();
        int h = images.height();
        int w = images.width();
        Random rng = new Random(seed);
        AtomicDirectory.write(out, tmp -> {
            try (Progress.Task task = progress.start("shift " + kind.name().toLowerCase(java.util.Locale.ROOT), count, "images")) {
                for (int i = 0; i < count; i++) {
                    byte[] g = images.pixels()[i];
                    BufferedImage img = switch (kind) {
                        case PHOTO_BLEND -> blend(g, h, w, pictures.get(rng.nextInt(pictures.size())), rng);
                        case APPEARANCE -> appearance(g, h, w, rng);
                        case NONE -> plain(g, h, w);
                    };
                    Path dir = tmp.resolve(images.labels().get(i));
                    Files.createDirectories(dir);
                    javax.imageio.ImageIO.write(img, "png", dir.resolve(String.format("%05d.png", i)).toFile());
                    task.step(1);
                }
            }
        });
        return count;
    }

    /** Each photograph as {width, height, rgb...}. */
    private static List<int[]> photos(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserException("photo-blend needs --photos DIR, a folder of JPEG or PNG photographs");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<int[]> out = new java.util.ArrayList<>();
            for (Path p : files.sorted().toList()) {
                String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                if (!(n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"))) {
                    continue;
                }
                BufferedImage b = javax.imageio.ImageIO.read(p.toFile());
                if (b == null) {
                    throw new UserException("cannot decode photograph " + p + "; replace or remove it");
                }
                int[] px = new int[2 + b.getWidth() * b.getHeight()];
                px[0] = b.getWidth();
                px[1] = b.getHeight();
                b.getRGB(0, 0, b.getWidth(), b.getHeight(), px, 2, b.getWidth());
                out.add(px);
            }
            if (out.isEmpty()) {
                throw new UserException("no JPEG or PNG photographs in " + dir);
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A random h x w patch of {@code photo} (scaled down 4x first, so a patch holds texture rather than a flat area), |patch - grey|. */
    static BufferedImage blend(byte[] grey, int h, int w, int[] photo, Random rng) {
        int pw = photo[0];
        int ph = photo[1];
        int scale = Math.max(1, Math.min(4, Math.min(pw / w, ph / h)));
        int x0 = rng.nextInt(pw - w * scale + 1);
        int y0 = rng.nextInt(ph - h * scale + 1);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = photo[2 + (y0 + y * scale) * pw + x0 + x * scale];
                int v = grey[y * w + x] & 0xff;
                int r = Math.abs(((rgb >> 16) & 0xff) - v);
                int g = Math.abs(((rgb >> 8) & 0xff) - v);
                int b = Math.abs((rgb & 0xff) - v);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    static BufferedImage plain(byte[] grey, int h, int w) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.getRaster().setSample(x, y, 0, grey[y * w + x] & 0xff);
            }
        }
        return out;
    }

    static BufferedImage appearance(byte[] grey, int h, int w, Random rng) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        java.awt.image.WritableRaster r = out.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sum = 0;
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                            sum += 255 - (grey[yy * w + xx] & 0xff);
                            n++;
                        }
                    }
                }
                double v = sum / n + 25 * rng.nextGaussian();
                r.setSample(x, y, 0, (int) Math.max(0, Math.min(255, Math.round(v))));
            }
        }
        return out;
    }

    /** Reads an IDX or folder of grey images as they are. */
    public static ImageDataset read(Path images, Progress progress) {
        ImageDatasetReader reader = new ImageDatasetReader(null, null, progress);
        return reader.read(images, images.getFileName().toString().contains("idx3") ? null : new ImageShape(1, 28, 28));
    }
}
