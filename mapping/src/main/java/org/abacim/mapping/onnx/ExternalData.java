package org.abacim.mapping.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.abacim.core.data.DataException;
import org.abacim.core.io.IoErrors;

/**
 * Tensors stored outside the model file (ONNX's external data: PyTorch 2's exporter puts every weight in
 * {@code MODEL.onnx.data} beside the model). Each such tensor names a file relative to the model's folder, an offset
 * and a length; this reads them into the model so that the rest of the importer sees ordinary tensors.
 *
 * <p>A location must stay inside the model's folder (no absolute paths, no {@code ..}, no link leading out), every
 * tensor's bytes must be exactly what its shape and type need and lie within its file, and all of them together
 * must fit a quarter of the heap as float32 — all checked before anything is read.
 */
final class ExternalData {
    private ExternalData() {}

    /** One tensor's place in an external file, checked against its shape and the file's size. */
    private record Slice(Path file, long offset, long length, long values) {}

    /** {@code model} with every external tensor's bytes read in (the model itself when it has none). */
    static OnnxMl.ModelProto inline(OnnxMl.ModelProto model, Path modelFile) {
        return inline(model, modelFile, Runtime.getRuntime().maxMemory() / 4);
    }

    /** As {@link #inline(OnnxMl.ModelProto, Path)}, with the weights' float32 size bounded by {@code budget} bytes. */
    static OnnxMl.ModelProto inline(OnnxMl.ModelProto model, Path modelFile, long budget) {
        OnnxMl.GraphProto graph = model.getGraph();
        boolean any = graph.getInitializerList().stream().anyMatch(ExternalData::isExternal)
                || graph.getNodeList().stream().anyMatch(ExternalData::hasExternalAttribute);
        if (!any) return model;
        Path folder = modelFile.toAbsolutePath().getParent();
        Map<String, Long> fileSizes = new HashMap<>();
        long total = 0;
        List<Slice> initializerSlices = new ArrayList<>();
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            Slice s = isExternal(t) ? slice(t, folder, modelFile, fileSizes) : null;
            initializerSlices.add(s);
            if (s != null) total += held(s);
        }
        // Constant nodes' values too, before anything is read.
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                if (a.hasT() && isExternal(a.getT())) total += held(slice(a.getT(), folder, modelFile, fileSizes));
            }
        }
        checkFits(total, budget, modelFile);
        OnnxMl.GraphProto.Builder g = graph.toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            Slice s = initializerSlices.get(i);
            if (s != null) g.setInitializer(i, read(g.getInitializer(i), s, modelFile));
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            OnnxMl.NodeProto n = g.getNode(i);
            if (!hasExternalAttribute(n)) continue;
            OnnxMl.NodeProto.Builder b = n.toBuilder();
            for (int a = 0; a < b.getAttributeCount(); a++) {
                OnnxMl.AttributeProto attribute = b.getAttribute(a);
                if (attribute.hasT() && isExternal(attribute.getT())) {
                    OnnxMl.TensorProto t = attribute.getT();
                    Slice s = slice(t, folder, modelFile, fileSizes);
                    b.setAttribute(a, attribute.toBuilder().setT(read(t, s, modelFile)));
                }
            }
            g.setNode(i, b);
        }
        return model.toBuilder().setGraph(g).build();
    }

    /** Bytes a tensor takes while it is imported: its raw bytes, then its values as float32. */
    private static long held(Slice s) {
        return s.length() + 4 * s.values();
    }

    static boolean isExternal(OnnxMl.TensorProto t) {
        return t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL;
    }

    private static boolean hasExternalAttribute(OnnxMl.NodeProto n) {
        return n.getAttributeList().stream().anyMatch(a -> a.hasT() && isExternal(a.getT()));
    }

    private static Slice slice(OnnxMl.TensorProto t, Path folder, Path modelFile, Map<String, Long> fileSizes) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (OnnxMl.StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = number(t, "offset", e.getValue(), modelFile);
                case "length" -> length = number(t, "length", e.getValue(), modelFile);
                default -> { } // "checksum" and keys of later ONNX versions do not change where the bytes are
            }
        }
        String what = modelFile + ": tensor " + t.getName();
        if (location == null || location.isEmpty()) throw new DataException(what + " is stored externally but names no file (no 'location')");
        Path file = resolve(location, folder, what);
        long values = valueCount(t, what);
        long expected = values * OnnxImporter.width(t.getDataType(), what);
        if (expected > Integer.MAX_VALUE - 8) {
            throw new DataException(what + " takes " + expected + " bytes; abacim reads tensors of up to 2 GiB each");
        }
        if (length >= 0 && length != expected) {
            throw new DataException(what + " has 'length' " + length + " in " + location + " but its shape and type need "
                    + expected + " bytes");
        }
        String named = location;
        long size = fileSizes.computeIfAbsent(file.toString(), f -> sizeOf(file, named, what));
        if (offset > size || expected > size - offset) {
            throw new DataException(what + " needs bytes " + offset + " to " + (offset + expected) + " of " + location
                    + ", which has " + size + " bytes (truncated?)");
        }
        return new Slice(file, offset, expected, values);
    }

    /** {@code location} beside the model, refused if it could lead out of the model's folder. */
    private static Path resolve(String location, Path folder, String what) {
        Path relative;
        try {
            relative = Path.of(location);
        } catch (InvalidPathException e) {
            throw new DataException(what + " is stored in '" + location + "', which is not a file name");
        }
        if (relative.isAbsolute() || location.startsWith("/") || location.startsWith("\\")
                || relative.normalize().startsWith("..")) {
            throw new DataException(what + " is stored in '" + location + "', outside the model's folder; external "
                    + "data must be a file beside the model or below its folder");
        }
        Path file = folder.resolve(relative).normalize();
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(folder.toRealPath())) {
                throw new DataException(what + " is stored in '" + location + "', a link to " + real
                        + ", outside the model's folder");
            }
            return real;
        } catch (NoSuchFileException e) {
            throw new DataException(what + " is stored in '" + location + "', which is not beside the model ("
                    + file + " does not exist); copy it with the model");
        } catch (IOException e) {
            throw new DataException(what + " is stored in '" + location + "': cannot read: " + IoErrors.reason(e));
        }
    }

    private static long sizeOf(Path file, String location, String what) {
        try {
            if (!Files.isRegularFile(file)) throw new DataException(what + " is stored in '" + location + "', which is not a file");
            return Files.size(file);
        } catch (IOException e) {
            throw new DataException(what + " is stored in '" + location + "': cannot read: " + IoErrors.reason(e));
        }
    }

    private static long valueCount(OnnxMl.TensorProto t, String what) {
        long count = 1;
        for (long d : t.getDimsList()) {
            if (d < 0 || d > Integer.MAX_VALUE) throw new DataException(what + " has dimension " + d + "; expected 0 to " + Integer.MAX_VALUE);
            count = Math.multiplyExact(count, d);
            if (count > Integer.MAX_VALUE) throw new DataException(what + " has more than " + Integer.MAX_VALUE + " values");
        }
        return count;
    }

    private static long number(OnnxMl.TensorProto t, String key, String value, Path modelFile) {
        try {
            long v = Long.parseLong(value.trim());
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new DataException(modelFile + ": tensor " + t.getName() + " has external data '" + key + "' = '" + value
                    + "'; expected a whole number of bytes, 0 or more");
        }
    }

    /** Refuses, before reading, external weights whose bytes and float32 values would pass {@code budget} bytes. */
    private static void checkFits(long bytes, long budget, Path modelFile) {
        if (bytes > budget) {
            throw new DataException(modelFile + ": its external data holds " + mib(bytes) + " MiB of weights, more than the "
                    + mib(budget) + " MiB budget (a quarter of the heap this JVM may use; raise it with -Xmx)");
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    private static OnnxMl.TensorProto read(OnnxMl.TensorProto t, Slice s, Path modelFile) {
        byte[] bytes = new byte[(int) s.length()];
        try (FileChannel channel = FileChannel.open(s.file(), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long position = s.offset();
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw new DataException(modelFile + ": tensor " + t.getName() + " ends early in " + s.file().getFileName()
                            + " (the file shrank while it was read)");
                }
                position += n;
            }
        } catch (IOException e) {
            throw new DataException(modelFile + ": tensor " + t.getName() + ": cannot read " + s.file().getFileName() + ": "
                    + IoErrors.reason(e));
        }
        return t.toBuilder().clearExternalData().clearDataLocation().setRawData(UnsafeByteOperations.unsafeWrap(bytes)).build();
    }
}
