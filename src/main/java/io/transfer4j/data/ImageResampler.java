package io.transfer4j.data;

/**
 * Brings 8-bit channel-major pixels to an {@link ImageShape}: the shorter side is scaled to the
 * target's (bilinear, with area averaging when shrinking a lot), the centre is cropped, grey is
 * repeated into three channels or colour is reduced to luminance.
 */
public final class ImageResampler {
    private ImageResampler() {}

    public static byte[] fit(byte[] src, int channels, int height, int width, ImageShape to) {
        if (channels == to.channels() && height == to.height() && width == to.width()) {
            return src;
        }
        byte[] c = channels == to.channels() ? src : convertChannels(src, channels, height * width, to.channels());
        double scale = Math.max((double) to.height() / height, (double) to.width() / width);
        double cropY = (height * scale - to.height()) / 2;
        double cropX = (width * scale - to.width()) / 2;
        byte[] out = new byte[to.values()];
        int plane = height * width;
        // When shrinking, average a footprint of source pixels instead of reading only four (aliasing).
        int step = Math.max(1, (int) Math.floor(1 / scale));
        for (int ch = 0; ch < to.channels(); ch++) {
            for (int y = 0; y < to.height(); y++) {
                for (int x = 0; x < to.width(); x++) {
                    double sum = 0;
                    for (int dy = 0; dy < step; dy++) {
                        for (int dx = 0; dx < step; dx++) {
                            double sy = (y + cropY + (dy + 0.5) / step) / scale - 0.5;
                            double sx = (x + cropX + (dx + 0.5) / step) / scale - 0.5;
                            sum += bilinear(c, ch * plane, height, width, sy, sx);
                        }
                    }
                    out[ch * to.height() * to.width() + y * to.width() + x] = (byte) Math.round(Math.min(255, Math.max(0, sum / (step * step))));
                }
            }
        }
        return out;
    }

    static double bilinear(byte[] img, int offset, int h, int w, double y, double x) {
        y = Math.max(0, Math.min(h - 1, y));
        x = Math.max(0, Math.min(w - 1, x));
        int y0 = (int) y;
        int x0 = (int) x;
        int y1 = Math.min(h - 1, y0 + 1);
        int x1 = Math.min(w - 1, x0 + 1);
        double fy = y - y0;
        double fx = x - x0;
        double a = img[offset + y0 * w + x0] & 0xff;
        double b = img[offset + y0 * w + x1] & 0xff;
        double c = img[offset + y1 * w + x0] & 0xff;
        double d = img[offset + y1 * w + x1] & 0xff;
        return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
    }

    private static byte[] convertChannels(byte[] src, int from, int plane, int to) {
        byte[] out = new byte[plane * to];
        if (from == 1) {
            for (int ch = 0; ch < to; ch++) {
                System.arraycopy(src, 0, out, ch * plane, plane);
            }
        } else {
            for (int i = 0; i < plane; i++) {
                double l = 0.299 * (src[i] & 0xff) + 0.587 * (src[plane + i] & 0xff) + 0.114 * (src[2 * plane + i] & 0xff);
                out[i] = (byte) Math.round(l);
            }
        }
        return out;
    }
}
