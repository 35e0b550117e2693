package io.transfer4j.data;

import java.util.Random;

/**
 * Applies an {@link Augmentation} to images held as floats in [0, 1], channel-major. All
 * randomness comes from the caller's {@link Random}, so a batch drawn with the same seed is the
 * same batch (a resumed run sees the images it would have seen).
 */
public final class Augmenter {
    private final Augmentation aug;
    private final int channels;
    private final int height;
    private final int width;

    public Augmenter(Augmentation aug, int channels, int height, int width) {
        this.aug = aug;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /**
     * Two images of a batch mixed: row i takes {@code lambda} of itself and the rest of row
     * {@code partner[i]}, blended (mixup) or as the rectangle {@code box} = {y0, x0, y1, x1}
     * pasted from the partner (cutmix; lambda is then the area share kept).
     */
    public record Mixing(int[] partner, float lambda, int[] box) {}

    /** Crop, rotation and flip (one resampling), then colour jitter; the result stays in [0, 1]. */
    public float[] geometryAndColour(float[] img, Random rng) {
        float[] out = img;
        if (aug.crop() > 0 || aug.rotate() > 0 || aug.flip()) {
            out = resample(img, rng);
        }
        if (aug.jitter() > 0) {
            jitter(out, rng);
        }
        return out;
    }

    /** Random erasing, on a normalised image (the rectangle becomes 0, the mean). */
    public void erase(float[] img, Random rng) {
        if (aug.erase() <= 0 || rng.nextFloat() >= aug.erase()) {
            return;
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            double area = height * width * (0.02 + rng.nextDouble() * 0.31);
            double ratio = Math.exp(Math.log(0.3) + rng.nextDouble() * (Math.log(3.3) - Math.log(0.3)));
            int h = (int) Math.round(Math.sqrt(area * ratio));
            int w = (int) Math.round(Math.sqrt(area / ratio));
            if (h < height && w < width && h > 0 && w > 0) {
                int y0 = rng.nextInt(height - h + 1);
                int x0 = rng.nextInt(width - w + 1);
                for (int c = 0; c < channels; c++) {
                    for (int y = y0; y < y0 + h; y++) {
                        java.util.Arrays.fill(img, c * height * width + y * width + x0, c * height * width + y * width + x0 + w, 0f);
                    }
                }
                return;
            }
        }
    }

    /** The mixing of a batch of {@code n} rows, or null when this augmentation does not mix. */
    public Mixing mixing(int n, Random rng) {
        if (!aug.mixes() || n < 2) {
            return null;
        }
        boolean cut = aug.cutmix() > 0 && (aug.mixup() <= 0 || rng.nextBoolean());
        float alpha = cut ? aug.cutmix() : aug.mixup();
        float lambda = (float) beta(alpha, rng);
        int[] partner = new int[n];
        for (int i = 0; i < n; i++) {
            partner[i] = n - 1 - i; // timm's choice: the batch reversed, so every row has a partner
        }
        if (!cut) {
            return new Mixing(partner, lambda, null);
        }
        double side = Math.sqrt(1 - lambda);
        int h = (int) (height * side);
        int w = (int) (width * side);
        int cy = rng.nextInt(height);
        int cx = rng.nextInt(width);
        int y0 = Math.max(0, cy - h / 2);
        int y1 = Math.min(height, cy + h / 2);
        int x0 = Math.max(0, cx - w / 2);
        int x1 = Math.min(width, cx + w / 2);
        float kept = 1f - (float) ((y1 - y0) * (x1 - x0)) / (height * width);
        return new Mixing(partner, kept, new int[] {y0, x0, y1, x1});
    }

    /** Applies {@code m} to a batch of {@code n} images in {@code batch} (n·C·H·W floats), in place. */
    public void mix(float[] batch, int n, Mixing m) {
        int len = channels * height * width;
        float[] orig = batch.clone();
        for (int i = 0; i < n; i++) {
            int p = m.partner()[i];
            if (m.box() == null) {
                for (int j = 0; j < len; j++) {
                    batch[i * len + j] = m.lambda() * orig[i * len + j] + (1 - m.lambda()) * orig[p * len + j];
                }
            } else {
                int[] b = m.box();
                for (int c = 0; c < channels; c++) {
                    for (int y = b[0]; y < b[2]; y++) {
                        int off = c * height * width + y * width;
                        System.arraycopy(orig, p * len + off + b[1], batch, i * len + off + b[1], b[3] - b[1]);
                    }
                }
            }
        }
    }

    private float[] resample(float[] img, Random rng) {
        double scale = 1;
        double ratio = 1;
        if (aug.crop() > 0) {
            scale = aug.crop() + rng.nextDouble() * (1 - aug.crop());
            ratio = Math.exp(Math.log(3.0 / 4) + rng.nextDouble() * (Math.log(4.0 / 3) - Math.log(3.0 / 4)));
        }
        // crop box in source pixels, inside the image
        double ch = Math.min(height, Math.sqrt(scale * height * width / ratio));
        double cw = Math.min(width, Math.sqrt(scale * height * width * ratio));
        double cy = ch / 2 + rng.nextDouble() * (height - ch);
        double cx = cw / 2 + rng.nextDouble() * (width - cw);
        if (aug.crop() <= 0) {
            cy = height / 2.0;
            cx = width / 2.0;
        }
        double angle = aug.rotate() > 0 ? Math.toRadians((rng.nextDouble() * 2 - 1) * aug.rotate()) : 0;
        boolean flip = aug.flip() && rng.nextBoolean();
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        float[] out = new float[img.length];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // output pixel centre -> offset from the centre, in crop units -> rotated -> source pixel
                double u = ((x + 0.5) / width - 0.5) * cw;
                double v = ((y + 0.5) / height - 0.5) * ch;
                if (flip) {
                    u = -u;
                }
                double sx = cx + cos * u - sin * v - 0.5;
                double sy = cy + sin * u + cos * v - 0.5;
                boolean inside = sx > -1 && sy > -1 && sx < width && sy < height;
                for (int c = 0; c < channels; c++) {
                    out[c * plane + y * width + x] = inside ? bilinear(img, c * plane, sy, sx) : 0f;
                }
            }
        }
        return out;
    }

    private float bilinear(float[] img, int offset, double y, double x) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double fy = y - y0;
        double fx = x - x0;
        return (float) ((at(img, offset, y0, x0) * (1 - fx) + at(img, offset, y0, x0 + 1) * fx) * (1 - fy)
                + (at(img, offset, y0 + 1, x0) * (1 - fx) + at(img, offset, y0 + 1, x0 + 1) * fx) * fy);
    }

    /** Pixels outside the image are black (0), as torchvision fills rotations. */
    private float at(float[] img, int offset, int y, int x) {
        return y < 0 || x < 0 || y >= height || x >= width ? 0f : img[offset + y * width + x];
    }

    private void jitter(float[] img, Random rng) {
        float j = aug.jitter();
        float brightness = 1 + (rng.nextFloat() * 2 - 1) * j;
        float contrast = 1 + (rng.nextFloat() * 2 - 1) * j;
        float saturation = 1 + (rng.nextFloat() * 2 - 1) * j;
        int plane = height * width;
        double mean = 0;
        for (int i = 0; i < plane; i++) {
            mean += grey(img, i, plane);
        }
        mean /= plane;
        for (int i = 0; i < plane; i++) {
            float g = grey(img, i, plane);
            for (int c = 0; c < channels; c++) {
                float v = img[c * plane + i] * brightness;
                if (channels == 3) {
                    v = g * brightness + (v - g * brightness) * saturation;
                }
                v = (float) (mean * brightness + (v - mean * brightness) * contrast);
                img[c * plane + i] = Math.min(1f, Math.max(0f, v));
            }
        }
    }

    private float grey(float[] img, int i, int plane) {
        return channels == 3 ? 0.299f * img[i] + 0.587f * img[plane + i] + 0.114f * img[2 * plane + i] : img[i];
    }

    /** A draw from Beta(a, a), as the ratio of two Gamma(a) draws. */
    static double beta(double a, Random rng) {
        double x = gamma(a, rng);
        double y = gamma(a, rng);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /** Marsaglia and Tsang's Gamma(a, 1) sampler; a < 1 by the boost Gamma(a+1)·U^(1/a). */
    static double gamma(double a, Random rng) {
        if (a < 1) {
            return gamma(a + 1, rng) * Math.pow(rng.nextDouble(), 1 / a);
        }
        double d = a - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
