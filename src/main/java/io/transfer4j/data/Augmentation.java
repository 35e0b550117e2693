package io.transfer4j.data;

import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which augmentations a training batch gets (validation and test batches never get any), each
 * off at 0 / false.
 *
 * @param crop random resized crop: smallest share of the image's area kept (aspect 3/4..4/3)
 * @param flip horizontal flip with probability 1/2
 * @param rotate largest rotation, in degrees either way
 * @param jitter colour jitter: brightness, contrast (and saturation in colour) each scaled by a
 *     factor drawn from 1 ± jitter
 * @param erase random erasing: probability of blanking one rectangle (2-33% of the area)
 * @param mixup mixup: alpha of the Beta(alpha, alpha) mixing weight
 * @param cutmix cutmix: alpha of the Beta(alpha, alpha) area kept (with mixup too, each batch
 *     uses one of the two at random)
 */
public record Augmentation(float crop, boolean flip, float rotate, float jitter, float erase, float mixup, float cutmix) {
    public static final Augmentation NONE = new Augmentation(0, false, 0, 0, 0, 0, 0);

    public Augmentation {
        if (crop < 0 || crop >= 1 || rotate < 0 || rotate > 180 || jitter < 0 || jitter >= 1 || erase < 0 || erase > 1
                || mixup < 0 || cutmix < 0) {
            throw new UserException("augmentation out of range: crop " + crop + " (0..1), rotate " + rotate + " (0..180), jitter "
                    + jitter + " (0..1), erase " + erase + " (0..1), mixup/cutmix alpha >= 0");
        }
    }

    /**
     * A comma-separated list such as {@code crop,flip,rotate=15,erase=0.25,mixup=0.2}; a name alone
     * takes its default (crop 0.35, rotate 10, jitter 0.2, erase 0.25, mixup 0.2, cutmix 1.0).
     * {@code standard} = crop, flip, rotate, jitter, erase; {@code none} = nothing.
     */
    public static Augmentation parse(String spec) {
        Augmentation a = NONE;
        for (NamedValues item : NamedValues.parse(spec, "rotate=15")) {
            String name = item.name();
            Float v = item.value();
            a = switch (name) {
                case "standard" -> new Augmentation(0.35f, true, 10, 0.2f, 0.25f, a.mixup, a.cutmix);
                case "crop" -> new Augmentation(v != null ? v : 0.35f, a.flip, a.rotate, a.jitter, a.erase, a.mixup, a.cutmix);
                case "flip" -> new Augmentation(a.crop, v == null || v > 0, a.rotate, a.jitter, a.erase, a.mixup, a.cutmix);
                case "rotate" -> new Augmentation(a.crop, a.flip, v != null ? v : 10, a.jitter, a.erase, a.mixup, a.cutmix);
                case "jitter" -> new Augmentation(a.crop, a.flip, a.rotate, v != null ? v : 0.2f, a.erase, a.mixup, a.cutmix);
                case "erase" -> new Augmentation(a.crop, a.flip, a.rotate, a.jitter, v != null ? v : 0.25f, a.mixup, a.cutmix);
                case "mixup" -> new Augmentation(a.crop, a.flip, a.rotate, a.jitter, a.erase, v != null ? v : 0.2f, a.cutmix);
                case "cutmix" -> new Augmentation(a.crop, a.flip, a.rotate, a.jitter, a.erase, a.mixup, v != null ? v : 1.0f);
                default -> throw new UserException("unknown augmentation '" + name
                        + "'; choose from crop, flip, rotate, jitter, erase, mixup, cutmix, standard, none");
            };
        }
        return a;
    }

    public boolean any() {
        return !equals(NONE);
    }

    /** Whether batches mix pairs of images (and so their targets). */
    public boolean mixes() {
        return mixup > 0 || cutmix > 0;
    }

    /** The canonical list, parseable by {@link #parse}. */
    @Override
    public String toString() {
        List<String> out = new ArrayList<>();
        if (crop > 0) {
            out.add("crop=" + crop);
        }
        if (flip) {
            out.add("flip");
        }
        if (rotate > 0) {
            out.add("rotate=" + rotate);
        }
        if (jitter > 0) {
            out.add("jitter=" + jitter);
        }
        if (erase > 0) {
            out.add("erase=" + erase);
        }
        if (mixup > 0) {
            out.add("mixup=" + mixup);
        }
        if (cutmix > 0) {
            out.add("cutmix=" + cutmix);
        }
        return out.isEmpty() ? "none" : String.join(",", out);
    }
}
