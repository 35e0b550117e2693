package io.transfer4j.torchscript;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a parameter-free TorchScript module, in the serialized form {@code torch.jit.load}
 * reads: a zip holding the module's source (code/__torch__.py), a pickle that instantiates the
 * class (data.pkl), an empty constants table and the format version. The module holds no tensors;
 * every operand is an argument, so the caller's fp32 parameters stay the ones autograd updates.
 */
final class TorchScriptArchive {
    private TorchScriptArchive() {}

    /** {@code body} is the class body's methods, indented by two spaces, each taking self first. */
    static byte[] write(String className, String body) {
        String code = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + body;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            // torch.jit.load reads entries in place, so they are stored, not deflated
            put(zip, "archive/data.pkl", instancePickle(className));
            put(zip, "archive/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            put(zip, "archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            // version 3: the oldest format with this layout; none of the ops written here has an upgrader
            put(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** Pickle protocol 2 for {@code __torch__.<className>()} with state {training: True}. */
    private static byte[] instancePickle(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X'); // BINUNICODE, 4-byte little-endian length
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(key);
        p.write(0x88); // NEWTRUE
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }
}
