package io.transfer4j.data;

import io.transfer4j.util.UserException;

/** Channels and size every image is brought to before it reaches a network (C x H x W). */
public record ImageShape(int channels, int height, int width) {
    public ImageShape {
        if (channels != 1 && channels != 3) {
            throw new UserException("images must have 1 (grey) or 3 (colour) channels, not " + channels);
        }
        if (height < 8 || width < 8 || height > 4096 || width > 4096) {
            throw new UserException("image size " + height + "x" + width + " is out of range; use 8..4096 pixels a side");
        }
    }

    /** "32" (square) or "48x192" (height x width). */
    public static ImageShape parse(int channels, String size) {
        try {
            String[] p = size.toLowerCase(java.util.Locale.ROOT).split("x");
            int h = Integer.parseInt(p[0].trim());
            int w = p.length > 1 ? Integer.parseInt(p[1].trim()) : h;
            return new ImageShape(channels, h, w);
        } catch (NumberFormatException e) {
            throw new UserException("cannot read image size '" + size + "'; give pixels as 32 or 48x192 (height x width)");
        }
    }

    public int values() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
