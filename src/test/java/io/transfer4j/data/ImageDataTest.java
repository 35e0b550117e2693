package io.transfer4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.util.UserException;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDataTest {
    static final Path DEMO = Path.of("data/demo/fashion");
    @TempDir Path dir;

    /** Writes n images of h x w (pixel j of image i = (i*7 + j) mod 256) and labels i mod 3 as IDX. */
    static Path idx(Path dir, int n, int h, int w, boolean gzip) throws IOException {
        String ext = gzip ? ".gz" : "";
        Path images = dir.resolve("train-images-idx3-ubyte" + ext);
        try (DataOutputStream out = new DataOutputStream(open(images, gzip))) {
            out.writeInt(0x0803);
            out.writeInt(n);
            out.writeInt(h);
            out.writeInt(w);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < h * w; j++) {
                    out.writeByte((i * 7 + j) % 256);
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(open(dir.resolve("train-labels-idx1-ubyte" + ext), gzip))) {
            out.writeInt(0x0801);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(i % 3);
            }
        }
        return images;
    }

    private static OutputStream open(Path p, boolean gzip) throws IOException {
        OutputStream o = Files.newOutputStream(p);
        return gzip ? new GZIPOutputStream(o) : o;
    }

    @Test
    void readsIdxFilesPlainAndGzippedAtTheirOwnShape() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path d = Files.createDirectories(dir.resolve("gz" + gz));
            ImageDataset data = ImageDatasetReader.defaults().read(idx(d, 6, 8, 10, gz), null);
            assertEquals(6, data.size());
            assertEquals(new ImageShape(1, 8, 10), ImageDatasetReader.nativeShape(d.resolve(gz ? "train-images-idx3-ubyte.gz" : "train-images-idx3-ubyte")));
            assertEquals(List.of("0", "1", "2", "0", "1", "2"), data.labels());
            assertEquals(7 * 4 + 5, data.pixels()[4][5] & 0xff);
            assertEquals("gz" + gz, data.subset(new int[] {0, 1}, "#train").name(), "MNIST-style files are named by their folder");
        }
    }

    @Test
    void resamplingRepeatsGreyIntoThreeChannelsAndKeepsAConstantImageConstant() {
        byte[] grey = new byte[8 * 8];
        java.util.Arrays.fill(grey, (byte) 200);
        byte[] rgb = ImageResampler.fit(grey, 1, 8, 8, new ImageShape(3, 16, 16));
        assertEquals(3 * 16 * 16, rgb.length);
        for (byte b : rgb) {
            assertEquals(200, b & 0xff);
        }
        // a horizontal ramp stays increasing left to right after shrinking 32 -> 8
        byte[] ramp = new byte[32 * 32];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                ramp[y * 32 + x] = (byte) (x * 8);
            }
        }
        byte[] small = ImageResampler.fit(ramp, 1, 32, 32, new ImageShape(1, 8, 8));
        for (int x = 1; x < 8; x++) {
            assertTrue((small[x] & 0xff) > (small[x - 1] & 0xff));
        }
    }

    @Test
    void readsTheDemoFolderPerClassWithDjlDecoding() throws IOException {
        ImageDataset data = ImageDatasetReader.defaults().read(DEMO, new ImageShape(1, 28, 28));
        assertEquals(400, data.size());
        assertEquals(10, data.classCounts().size());
        assertEquals(40, data.classCounts().get("bag"));
        // the decoded pixels are the PNG's grey values
        Path first = Path.of(data.sources().get(0));
        BufferedImage img = ImageIO.read(first.toFile());
        assertEquals(img.getRaster().getSample(14, 10, 0), data.pixels()[0][10 * 28 + 14] & 0xff);
        assertTrue(ImageDatasetReader.isImageData(DEMO, "path"));
        assertTrue(!ImageDatasetReader.isImageData(Path.of("data/demo/imdb-demo.csv"), "path"));
    }

    @Test
    void readsACsvOfRelativePathsAndLabels() throws IOException {
        Path d = Files.createDirectories(dir.resolve("csv"));
        List<Path> pngs;
        try (var s = Files.list(DEMO.resolve("bag"))) {
            pngs = s.sorted().limit(2).toList();
        }
        Files.copy(pngs.get(0), d.resolve("a.png"));
        Files.copy(pngs.get(1), d.resolve("b.png"));
        Files.writeString(d.resolve("list.csv"), "path,label\na.png,bag\nb.png,other\n");
        ImageDataset data = ImageDatasetReader.defaults().read(d.resolve("list.csv"), new ImageShape(3, 32, 32));
        assertEquals(List.of("bag", "other"), data.labels());
        assertEquals(3 * 32 * 32, data.pixelsPerImage());
        assertEquals("list", data.name());
        assertEquals(null, data.groups(), "no --group-column, no groups");
        Files.writeString(d.resolve("grouped.csv"), "path,label,site\na.png,bag,north\nb.png,other,south\n");
        ImageDataset grouped = new ImageDatasetReader("path", "label", "site", io.transfer4j.util.Progress.SILENT)
                .read(d.resolve("grouped.csv"), new ImageShape(1, 8, 8));
        assertEquals(List.of("north", "south"), grouped.groups());
        assertEquals(List.of("south"), grouped.subset(new int[] {1}, "#one").groups(), "groups travel with their rows");
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.transfer4j.util.UserException.class,
                () -> new ImageDatasetReader("path", "label", "region", io.transfer4j.util.Progress.SILENT)
                        .read(d.resolve("grouped.csv"), new ImageShape(1, 8, 8)));
        assertTrue(e.getMessage().contains("has no column 'region'"), e.getMessage());
    }

    @Test
    void badImageInputFailsWithOneLineErrors() throws IOException {
        Path d = Files.createDirectories(dir.resolve("bad/cat"));
        Files.writeString(d.resolve("broken.png"), "not an image");
        Files.createDirectories(dir.resolve("bad/dog"));
        Files.copy(Files.list(DEMO.resolve("bag")).findFirst().orElseThrow(), dir.resolve("bad/dog/x.png"));
        UserException e = assertThrows(UserException.class,
                () -> ImageDatasetReader.defaults().read(dir.resolve("bad"), new ImageShape(1, 28, 28)));
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
        Path only = idx(Files.createDirectories(dir.resolve("nolabels")), 3, 8, 8, false);
        Files.delete(only.resolveSibling("train-labels-idx1-ubyte"));
        e = assertThrows(UserException.class, () -> ImageDatasetReader.defaults().read(only, null));
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
        Path csv = dir.resolve("nolabel.csv");
        Files.writeString(csv, "path,kind\na.png,x\n");
        e = assertThrows(UserException.class, () -> ImageDatasetReader.defaults().read(csv, new ImageShape(1, 28, 28)));
        assertTrue(e.getMessage().contains("no column 'label'"), e.getMessage());
        ImageDataset one = ImageDatasetReader.defaults().read(DEMO, new ImageShape(1, 28, 28)).withClasses(List.of("bag"));
        e = assertThrows(UserException.class, one::requireTrainable);
        assertTrue(e.getMessage().contains("single class"), e.getMessage());
        assertThrows(UserException.class, () -> Augmentation.parse("sharpen"));
    }

    @Test
    void augmentationSpecsRoundTrip() {
        Augmentation a = Augmentation.parse("standard,mixup=0.4");
        assertEquals(0.35f, a.crop());
        assertTrue(a.flip());
        assertEquals(0.4f, a.mixup());
        assertEquals(a, Augmentation.parse(a.toString()));
        assertEquals(Augmentation.NONE, Augmentation.parse("none"));
    }

    @Test
    void flipAloneMirrorsEachRowAndTheSameSeedGivesTheSameImage() {
        Augmenter flip = new Augmenter(Augmentation.parse("flip"), 1, 8, 8);
        float[] img = new float[64];
        for (int i = 0; i < 64; i++) {
            img[i] = i / 64f;
        }
        int flipped = 0;
        for (int s = 0; s < 20; s++) {
            float[] out = flip.geometryAndColour(img, new Random(s));
            boolean mirrored = Math.abs(out[0] - img[7]) < 1e-5 && Math.abs(out[7] - img[0]) < 1e-5;
            boolean same = Math.abs(out[0] - img[0]) < 1e-5 && Math.abs(out[7] - img[7]) < 1e-5;
            assertTrue(mirrored || same);
            flipped += mirrored ? 1 : 0;
        }
        assertTrue(flipped > 3 && flipped < 17, "flips about half the time: " + flipped);
        Augmenter all = new Augmenter(Augmentation.parse("standard"), 1, 8, 8);
        assertArrayEquals(all.geometryAndColour(img, new Random(9)), all.geometryAndColour(img, new Random(9)));
        assertNotEquals(java.util.Arrays.toString(all.geometryAndColour(img, new Random(9))),
                java.util.Arrays.toString(all.geometryAndColour(img, new Random(10))));
    }

    @Test
    void erasingBlanksOneRectangle() {
        Augmenter erase = new Augmenter(Augmentation.parse("erase=1"), 1, 16, 16);
        float[] img = new float[256];
        java.util.Arrays.fill(img, 1f);
        erase.erase(img, new Random(3));
        int zeros = 0;
        for (float v : img) {
            zeros += v == 0f ? 1 : 0;
        }
        assertTrue(zeros >= 256 * 0.02 - 1 && zeros <= 256 * 0.34 + 8, "erased " + zeros);
    }

    @Test
    void betaDrawsHaveTheirMoments() {
        Random rng = new Random(1);
        double a = 0.4;
        double sum = 0;
        double sq = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double b = Augmenter.beta(a, rng);
            sum += b;
            sq += b * b;
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        assertEquals(0.5, mean, 0.005);
        assertEquals(1 / (4 * (2 * a + 1)), var, 0.005); // Var Beta(a, a) = 1 / (4 (2a + 1))
    }

    @Test
    void mixupBlendsPairsAndCutmixPastesABoxWhoseAreaIsTheWeight() {
        Augmenter mix = new Augmenter(Augmentation.parse("mixup=1"), 1, 8, 8);
        Augmenter.Mixing m = mix.mixing(4, new Random(5));
        float[] batch = new float[4 * 64];
        for (int r = 0; r < 4; r++) {
            java.util.Arrays.fill(batch, r * 64, (r + 1) * 64, r);
        }
        mix.mix(batch, 4, m);
        assertEquals(m.lambda() * 0 + (1 - m.lambda()) * 3, batch[0], 1e-5);
        Augmenter cut = new Augmenter(Augmentation.parse("cutmix=1"), 1, 8, 8);
        Augmenter.Mixing c = cut.mixing(4, new Random(6));
        float[] b2 = new float[4 * 64];
        for (int r = 0; r < 4; r++) {
            java.util.Arrays.fill(b2, r * 64, (r + 1) * 64, r);
        }
        cut.mix(b2, 4, c);
        int fromPartner = 0;
        for (int j = 0; j < 64; j++) {
            fromPartner += b2[j] == 3f ? 1 : 0;
        }
        assertEquals(1 - c.lambda(), fromPartner / 64f, 1e-6);
    }
}
