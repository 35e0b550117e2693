package io.transfer4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.transfer4j.util.UserException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding, resampling, the clip-length policy and augmentation of audio, on written and real (Sonic Pi) files. */
class AudioDataTest {
    @TempDir Path dir;

    /** A WAV file of {@code x} (mono, repeated on every channel) in the given format. */
    static byte[] wav(float[] x, int rate, int channels, int format, int bits, boolean extensible) {
        int bytes = bits / 8;
        ByteBuffer data = ByteBuffer.allocate(x.length * channels * bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            for (int c = 0; c < channels; c++) {
                if (format == 3) {
                    if (bits == 32) {
                        data.putFloat(v);
                    } else {
                        data.putDouble(v);
                    }
                } else {
                    switch (bits) {
                        case 8 -> data.put((byte) (Math.round(v * 127) + 128));
                        case 16 -> data.putShort((short) Math.round(v * 32767));
                        case 24 -> {
                            int s = Math.round(v * 8388607);
                            data.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
                        }
                        default -> data.putInt((int) Math.round(v * 2147483647.0));
                    }
                }
            }
        }
        int fmtSize = extensible ? 40 : 16;
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + fmtSize + 8 + data.capacity() + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WAVE".getBytes());
        b.put("LIST".getBytes()).putInt(4).put("INFO".getBytes()); // an unrelated chunk first, to be skipped
        b.put("fmt ".getBytes()).putInt(fmtSize).putShort((short) (extensible ? 0xFFFE : format)).putShort((short) channels)
                .putInt(rate).putInt(rate * channels * bytes).putShort((short) (channels * bytes)).putShort((short) bits);
        if (extensible) {
            b.putShort((short) 22).putShort((short) bits).putInt(0).putShort((short) format).put(new byte[14]);
        }
        b.put("data".getBytes()).putInt(data.capacity()).put(data.array());
        return b.array();
    }

    static float[] tone(double hz, int rate, int n, double amp) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    @Test
    void everyWavSampleFormatDecodesToTheSameSignal() throws Exception {
        float[] x = tone(440, 8000, 800, 0.5);
        int[][] formats = {{1, 8}, {1, 16}, {1, 24}, {1, 32}, {3, 32}, {3, 64}};
        for (int[] f : formats) {
            for (boolean ext : new boolean[] {false, true}) {
                Path p = dir.resolve("t" + f[0] + "-" + f[1] + ext + ".wav");
                Files.write(p, wav(x, 8000, 2, f[0], f[1], ext));
                AudioDecoder.Clip c = AudioDecoder.decode(p);
                assertEquals(8000, c.sampleRate());
                assertEquals(x.length, c.samples().length);
                double tol = f[1] == 8 ? 1.0 / 127 : 1e-4;
                for (int i = 0; i < x.length; i++) {
                    assertEquals(x[i], c.samples()[i], tol, "format " + f[0] + "/" + f[1] + " sample " + i);
                }
            }
        }
    }

    @Test
    void realFlacRecordingsDecodeLikeSoxDecodesThem() throws Exception {
        Path flac = Path.of("/usr/share/sonic-pi/samples/drum_snare_hard.flac");
        Path ref = dir.resolve("ref.wav");
        Process p = new ProcessBuilder("sox", "-D", flac.toString(), "-e", "floating-point", "-b", "32", "-c", "1", ref.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        AudioDecoder.Clip ours = AudioDecoder.decode(flac);
        AudioDecoder.Clip sox = AudioDecoder.decode(ref);
        assertEquals(44100, ours.sampleRate());
        assertEquals(sox.samples().length, ours.samples().length);
        double maxDiff = 0;
        for (int i = 0; i < ours.samples().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(ours.samples()[i] - sox.samples()[i]));
        }
        assertTrue(maxDiff < 1e-4, "max difference to sox " + maxDiff); // sox averages the two channels as we do
    }

    @Test
    void brokenFilesAreOneLineErrorsNamingThem() throws Exception {
        Path junk = dir.resolve("junk.wav");
        Files.writeString(junk, "not audio at all");
        UserException e = assertThrows(UserException.class, () -> AudioDecoder.decode(junk));
        assertTrue(e.getMessage().contains("junk.wav") && e.getMessage().contains("not a RIFF/WAVE file"), e.getMessage());

        Path flac = dir.resolve("cut.flac");
        byte[] real = Files.readAllBytes(Path.of("/usr/share/sonic-pi/samples/bd_boom.flac"));
        Files.write(flac, java.util.Arrays.copyOf(real, real.length / 3));
        e = assertThrows(UserException.class, () -> AudioDecoder.decode(flac));
        assertTrue(e.getMessage().contains("cut.flac") && e.getMessage().lines().count() == 1, e.getMessage());

        Path empty = dir.resolve("empty.wav");
        Files.write(empty, wav(new float[0], 16000, 1, 1, 16, false));
        e = assertThrows(UserException.class, () -> AudioDecoder.decode(empty));
        assertTrue(e.getMessage().contains("holds no samples"), e.getMessage());

        Path alaw = dir.resolve("alaw.wav");
        byte[] w = wav(tone(100, 8000, 100, 0.1), 8000, 1, 1, 16, false);
        ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN).putShort(12 + 12 + 8, (short) 6); // format 6 = A-law
        Files.write(alaw, w);
        e = assertThrows(UserException.class, () -> AudioDecoder.decode(alaw));
        assertTrue(e.getMessage().contains("format 6") && e.getMessage().contains("convert it"), e.getMessage());
    }

    @Test
    void resamplingKeepsThePassBandAndRemovesWhatWouldAlias() {
        int from = 44100;
        int to = 16000;
        float[] low = Resampler.resample(tone(1000, from, from, 0.5), from, to);
        float[] high = Resampler.resample(tone(10000, from, from, 0.5), from, to); // above the new 8 kHz Nyquist
        assertEquals(to, low.length);
        assertEquals(0.5, rms(low, 1000, to - 1000) * Math.sqrt(2), 0.01);
        double leak = rms(high, 1000, to - 1000) / (0.5 / Math.sqrt(2));
        assertTrue(leak < 1e-3, "a 10 kHz tone must not fold into the 16 kHz signal: relative level " + leak);
        // upsampling a band-limited tone reproduces it
        float[] up = Resampler.resample(tone(1000, 8000, 8000, 0.5), 8000, 16000);
        float[] exact = tone(1000, 16000, 16000, 0.5);
        double err = 0;
        for (int i = 1000; i < 15000; i++) {
            err = Math.max(err, Math.abs(up[i] - exact[i]));
        }
        assertTrue(err < 5e-3, "upsampled tone differs by " + err);
        float[] same = tone(300, 16000, 100, 0.1);
        assertArrayEquals(same, Resampler.resample(same, 16000, 16000));
    }

    private static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += x[i] * x[i];
        }
        return Math.sqrt(s / (to - from));
    }

    @Test
    void clipsAreCentredInSilenceOrCutToTheirLoudestStretch() {
        float[] shortClip = {1, 2, 3, 4};
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4, 0, 0}, ClipLength.fit(shortClip, 8));
        float[] longClip = new float[100];
        for (int i = 60; i < 70; i++) {
            longClip[i] = 1;
        }
        float[] cut = ClipLength.fit(longClip, 10);
        assertArrayEquals(java.util.Arrays.copyOfRange(longClip, 60, 70), cut);
        assertArrayEquals(new float[] {0, 0, 0, 1, 2, 3, 4, 0}, ClipLength.shifted(shortClip, 8, 1));
        // the 95th percentile of durations plus one window, rounded up to 0.1 s
        double[] seconds = new double[20];
        java.util.Arrays.fill(seconds, 0.62);
        seconds[19] = 9; // an outlier past the 95th percentile does not count
        assertEquals(24_000, ClipLength.choose(seconds, 16000, 12_512, 10)); // 0.62 + 0.782 s = 1.402 s, rounded up to 1.5 s
        java.util.Arrays.fill(seconds, 9.5);
        assertEquals(160_000, ClipLength.choose(seconds, 16000, 12_512, 10)); // at most 10 s
    }

    @Test
    void augmentationIsSeededAndMixesNoiseAtTheAskedRatio() {
        float[] clip = tone(500, 16000, 16000, 0.3);
        float[] noise = new float[8000];
        Random r = new Random(3);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) r.nextGaussian();
        }
        AudioAugmentation a = AudioAugmentation.parse("shift=0.1,gain=6,speed=0.1,noise=5,specaugment", true);
        AudioAugmenter aug = new AudioAugmenter(a, 16000, new float[][] {noise});
        assertArrayEquals(aug.waveform(clip, 16000, new Random(7)), aug.waveform(clip, 16000, new Random(7)));
        assertTrue(!java.util.Arrays.equals(aug.waveform(clip, 16000, new Random(7)), aug.waveform(clip, 16000, new Random(8))));

        float[] x = clip.clone();
        AudioAugmenter.mixNoise(x, noise, 10, new Random(1));
        double signal = 0;
        double added = 0;
        for (int i = 0; i < x.length; i++) {
            signal += clip[i] * clip[i];
            added += (x[i] - clip[i]) * (x[i] - clip[i]);
        }
        assertEquals(10, 10 * Math.log10(signal / added), 1e-3);

        float[] frames = new float[100 * 32];
        java.util.Arrays.fill(frames, 1);
        frames[0] = 33; // the mean of the frames becomes 1.01
        aug.mask(frames, 32, new Random(5));
        long masked = 0;
        for (float v : frames) {
            masked += Math.abs(v - 1.01f) < 1e-6 ? 1 : 0;
        }
        assertTrue(masked > 0, "SpecAugment masked nothing");
        assertEquals("shift=0.1,gain=6.0,speed=0.1,noise=5.0,timemask=2,freqmask=2", a.toString());
        UserException e = assertThrows(UserException.class, () -> AudioAugmentation.parse("noise", false));
        assertTrue(e.getMessage().contains("--noise DIR"), e.getMessage());
    }
}
