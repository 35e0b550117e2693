package io.transfer4j.data;

import io.transfer4j.util.UserException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jflac.FLACDecoder;
import org.jflac.PCMProcessor;
import org.jflac.metadata.StreamInfo;
import org.jflac.util.ByteData;

/**
 * Decodes one audio file to mono samples in [-1, 1] at its own rate: WAV (PCM 8, 16, 24 and
 * 32-bit, IEEE float 32 and 64-bit, plain or WAVE_FORMAT_EXTENSIBLE, any number of channels)
 * parsed here, and FLAC through jFLAC. Channels are averaged. A file that cannot be decoded is a
 * one-line error naming it.
 */
public final class AudioDecoder {
    private static final int PCM = 1;
    private static final int FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;

    private AudioDecoder() {}

    /** A decoded clip: mono samples and their rate in Hz. */
    public record Clip(float[] samples, int sampleRate) {
        public double seconds() {
            return samples.length / (double) sampleRate;
        }
    }

    public static Clip decode(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("audio file " + file + " does not exist; check the path");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserException("cannot read audio file " + file + ": " + e.getMessage());
        }
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Clip c = n.endsWith(".flac") ? flac(file, bytes) : wav(file, bytes);
        if (c.samples().length == 0) {
            throw new UserException("audio file " + file + " holds no samples; remove it or replace it with a recording");
        }
        return c;
    }

    static Clip wav(Path file, byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length < 12 || !ascii(b, 0, "RIFF") || !ascii(b, 8, "WAVE")) {
            throw corrupt(file, "not a RIFF/WAVE file");
        }
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int pos = 12;
        while (pos + 8 <= b.length) {
            String id = new String(b, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            long size = Integer.toUnsignedLong(buf.getInt(pos + 4));
            int body = pos + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > b.length) {
                    throw corrupt(file, "its fmt chunk is truncated");
                }
                format = buf.getShort(body) & 0xffff;
                channels = buf.getShort(body + 2) & 0xffff;
                rate = buf.getInt(body + 4);
                bits = buf.getShort(body + 14) & 0xffff;
                if (format == EXTENSIBLE) {
                    if (size < 40 || body + 26 > b.length) {
                        throw corrupt(file, "its extensible fmt chunk is truncated");
                    }
                    format = buf.getShort(body + 24) & 0xffff; // the sub-format GUID starts with the plain format code
                }
            } else if (id.equals("data")) {
                if (format < 0) {
                    throw corrupt(file, "its data chunk comes before any fmt chunk");
                }
                // A writer that streamed the file may leave the size at 0 or 0xFFFFFFFF: read to the end then.
                long len = size == 0 || body + size > b.length ? b.length - body : size;
                return new Clip(samples(file, buf, body, (int) len, format, channels, bits), check(file, rate));
            }
            pos = (int) Math.min(b.length, body + size + (size & 1)); // chunks are padded to an even size
        }
        throw corrupt(file, format < 0 ? "it has no fmt chunk" : "it has no data chunk");
    }

    private static float[] samples(Path file, ByteBuffer buf, int off, int len, int format, int channels, int bits) {
        if (channels < 1) {
            throw corrupt(file, "it declares " + channels + " channels");
        }
        boolean pcm = format == PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32);
        boolean flt = format == FLOAT && (bits == 32 || bits == 64);
        if (!pcm && !flt) {
            throw new UserException("audio file " + file + " is WAV format " + format + " with " + bits + "-bit samples, which transfer4j "
                    + "does not read; convert it to 16-bit PCM WAV or FLAC (e.g. sox in.wav -b 16 out.wav)");
        }
        int bytes = bits / 8;
        int frames = len / (bytes * channels);
        float[] out = new float[frames];
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                int p = off + (f * channels + c) * bytes;
                sum += sample(buf, p, bits, flt);
            }
            out[f] = (float) (sum / channels);
        }
        return out;
    }

    private static double sample(ByteBuffer buf, int p, int bits, boolean flt) {
        if (flt) {
            return bits == 32 ? buf.getFloat(p) : buf.getDouble(p);
        }
        return switch (bits) {
            case 8 -> ((buf.get(p) & 0xff) - 128) / 128.0; // 8-bit WAV is unsigned
            case 16 -> buf.getShort(p) / 32768.0;
            case 24 -> ((buf.get(p) & 0xff) | (buf.get(p + 1) & 0xff) << 8 | buf.get(p + 2) << 16) / 8388608.0;
            default -> buf.getInt(p) / 2147483648.0;
        };
    }

    static Clip flac(Path file, byte[] b) {
        if (b.length < 4 || !ascii(b, 0, "fLaC")) {
            throw corrupt(file, "not a FLAC stream (no fLaC marker)");
        }
        FLACDecoder decoder = new FLACDecoder(new ByteArrayInputStream(b));
        Collector pcm = new Collector();
        decoder.addPCMProcessor(pcm);
        try {
            decoder.decode();
        } catch (IOException | RuntimeException e) {
            throw corrupt(file, "the FLAC decoder stopped: " + e.getMessage());
        }
        if (pcm.info == null) {
            throw corrupt(file, "it has no stream info");
        }
        if (decoder.getBadFrames() > 0) {
            throw corrupt(file, decoder.getBadFrames() + " FLAC frame(s) failed their checksum");
        }
        int bits = pcm.info.getBitsPerSample();
        int channels = pcm.info.getChannels();
        ByteBuffer buf = ByteBuffer.wrap(pcm.bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        long decoded = buf.capacity() / ((long) Math.max(1, bits / 8) * Math.max(1, channels));
        long expected = pcm.info.getTotalSamples(); // 0 when the encoder did not know the length
        if (expected > 0 && decoded < expected) {
            throw corrupt(file, "it ends after " + decoded + " of its " + expected + " samples: the file is truncated");
        }
        // jFLAC hands out WAV-style little-endian PCM (8-bit unsigned), so the WAV sample reader applies.
        return new Clip(samples(file, buf, 0, buf.capacity(), PCM, channels, bits), check(file, pcm.info.getSampleRate()));
    }

    private static final class Collector implements PCMProcessor {
        StreamInfo info;
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        @Override
        public void processStreamInfo(StreamInfo streamInfo) {
            info = streamInfo;
        }

        @Override
        public void processPCM(ByteData pcm) {
            bytes.write(pcm.getData(), 0, pcm.getLen());
        }
    }

    private static int check(Path file, int rate) {
        if (rate < 1000 || rate > 768_000) {
            throw corrupt(file, "it declares a sample rate of " + rate + " Hz");
        }
        return rate;
    }

    private static boolean ascii(byte[] b, int off, String s) {
        if (b.length < off + s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static UserException corrupt(Path file, String why) {
        return new UserException("cannot decode audio file " + file + " (" + why + "); it is corrupt or not WAV/FLAC: replace or remove it");
    }
}
