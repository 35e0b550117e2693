package io.transfer4j.data;

import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which augmentations an audio training batch gets (validation and test batches never get any),
 * each off at 0.
 *
 * @param shift largest time shift of the clip inside its window, in seconds either way
 * @param gain largest gain change, in dB either way
 * @param speed largest speed change as a share (0.1: 0.9x to 1.1x; pitch moves with it, as in tape speed perturbation)
 * @param noise lowest signal-to-noise ratio in dB when a background recording is mixed in (the SNR is drawn from
 *     [noise, noise + 15]; 4 clips in 5 get noise); needs noise recordings
 * @param timeMasks SpecAugment: how many time masks (each up to 10 frames) blank the log-mel frames
 * @param freqMasks SpecAugment: how many frequency masks (each up to 4 bins)
 */
public record AudioAugmentation(float shift, float gain, float speed, float noise, int timeMasks, int freqMasks) {
    public static final AudioAugmentation NONE = new AudioAugmentation(0, 0, 0, 0, 0, 0);
    /** Frames a time mask covers at most, and bins a frequency mask: SpecAugment's small-model settings scaled to 32 bins. */
    public static final int TIME_MASK = 10;
    public static final int FREQ_MASK = 4;

    public AudioAugmentation {
        if (shift < 0 || shift > 5 || gain < 0 || gain > 40 || speed < 0 || speed >= 0.5 || noise < -20 || noise > 60
                || timeMasks < 0 || timeMasks > 10 || freqMasks < 0 || freqMasks > 10) {
            throw new UserException("audio augmentation out of range: shift " + shift + " s (0..5), gain " + gain + " dB (0..40), speed "
                    + speed + " (0..0.5), noise " + noise + " dB SNR (-20..60), timemask/freqmask counts 0..10");
        }
    }

    /**
     * A comma-separated list such as {@code shift=0.1,gain=6,speed=0.1,noise=5,timemask=2,freqmask=2};
     * a name alone takes its default (shift 0.1, gain 6, speed 0.1, noise 5, 2 masks each);
     * {@code specaugment} = 2 time and 2 frequency masks; {@code standard} = shift, gain, speed and
     * SpecAugment (and noise when noise recordings are given); {@code none} = nothing.
     */
    public static AudioAugmentation parse(String spec, boolean haveNoise) {
        AudioAugmentation a = NONE;
        for (NamedValues item : NamedValues.parse(spec, "shift=0.1")) {
            String name = item.name();
            a = switch (name) {
                case "standard" -> new AudioAugmentation(0.1f, 6, 0.1f, haveNoise ? 5 : 0, 2, 2);
                case "shift" -> new AudioAugmentation(item.or(0.1f), a.gain, a.speed, a.noise, a.timeMasks, a.freqMasks);
                case "gain" -> new AudioAugmentation(a.shift, item.or(6), a.speed, a.noise, a.timeMasks, a.freqMasks);
                case "speed" -> new AudioAugmentation(a.shift, a.gain, item.or(0.1f), a.noise, a.timeMasks, a.freqMasks);
                case "noise" -> new AudioAugmentation(a.shift, a.gain, a.speed, item.or(5), a.timeMasks, a.freqMasks);
                case "timemask" -> new AudioAugmentation(a.shift, a.gain, a.speed, a.noise, (int) item.or(2), a.freqMasks);
                case "freqmask" -> new AudioAugmentation(a.shift, a.gain, a.speed, a.noise, a.timeMasks, (int) item.or(2));
                case "specaugment" -> new AudioAugmentation(a.shift, a.gain, a.speed, a.noise, 2, 2);
                default -> throw new UserException("unknown audio augmentation '" + name
                        + "'; choose from shift, gain, speed, noise, timemask, freqmask, specaugment, standard, none");
            };
            if (name.equals("noise") && !haveNoise) {
                throw new UserException("audio augmentation 'noise' mixes in background recordings; give them with --noise DIR "
                        + "(a folder of WAV/FLAC files)");
            }
        }
        return a;
    }

    public boolean any() {
        return !equals(NONE);
    }

    /** Whether the waveform itself changes (so the front end must run per batch). */
    public boolean changesWaveform() {
        return shift > 0 || gain > 0 || speed > 0 || noise != 0;
    }

    public boolean mixesNoise() {
        return noise != 0;
    }

    /** The canonical list, parseable by {@link #parse}. */
    @Override
    public String toString() {
        List<String> p = new ArrayList<>();
        if (shift > 0) {
            p.add("shift=" + shift);
        }
        if (gain > 0) {
            p.add("gain=" + gain);
        }
        if (speed > 0) {
            p.add("speed=" + speed);
        }
        if (noise != 0) {
            p.add("noise=" + noise);
        }
        if (timeMasks > 0) {
            p.add("timemask=" + timeMasks);
        }
        if (freqMasks > 0) {
            p.add("freqmask=" + freqMasks);
        }
        return p.isEmpty() ? "none" : String.join(",", p);
    }
}
