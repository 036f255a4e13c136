package org.abacim.core.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Archives that lie, for the hostile-file tests of every module: .npy headers without values, zips with false sizes. */
public final class CraftedArchives {
    private CraftedArchives() {}

    /** A .npy header (and no values) declaring a float32 array of {@code count} values. */
    public static byte[] npyHeader(long count) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + count + ",), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] h = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, (byte) (h.length >> 8)});
        out.writeBytes(h);
        return out.toByteArray();
    }

    /** A zip of deflated entries whose central directory declares {@code declared[i]} uncompressed bytes for each. */
    public static byte[] zip(Map<String, byte[]> entries, long[] declared) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        int i = 0;
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            d.setInput(e.getValue());
            d.finish();
            byte[] buf = new byte[e.getValue().length + 1024];
            int clen = d.deflate(buf);
            d.end();
            CRC32 crc = new CRC32();
            crc.update(e.getValue());
            long usize = declared[i++];
            int offset = out.size();
            ByteBuffer local = ByteBuffer.allocate(30 + name.length).order(ByteOrder.LITTLE_ENDIAN);
            local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 8).putShort((short) 0)
                    .putShort((short) 0x21).putInt((int) crc.getValue()).putInt(clen).putInt((int) usize)
                    .putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(local.array());
            out.write(buf, 0, clen);
            ByteBuffer c = ByteBuffer.allocate(46 + name.length).order(ByteOrder.LITTLE_ENDIAN);
            c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 8)
                    .putShort((short) 0).putShort((short) 0x21).putInt((int) crc.getValue()).putInt(clen).putInt((int) usize)
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt(offset).put(name);
            central.writeBytes(c.array());
        }
        int cdOffset = out.size();
        out.writeBytes(central.toByteArray());
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
                .putShort((short) entries.size()).putInt(central.size()).putInt(cdOffset).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }
}
