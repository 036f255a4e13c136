package org.abacim.core.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.io.IoErrors;

/**
 * Reads NeuroSim's network files ({@code NetWork_*.csv}): one row per convolution or fully connected layer,
 * {@code IFM_H,IFM_W,IFM_C,K_H,K_W,C_out,pool,stride}. As NeuroSim assumes: convolutions keep the size ('same'
 * padding, (K−1)/2) unless the kernel covers the whole input; a ReLU follows every layer but the last; pool = 1
 * adds a 2×2/2 max-pool; a row of IFM 1×1 after a feature map is a fully connected layer on the flattened map.
 */
public final class NeuroSimCsv {
    private NeuroSimCsv() {}

    public static Network read(Path file) {
        List<String> lines;
        try {
            if (Files.size(file) > ConfigReader.MAX_BYTES) {
                throw ConfigException.inSource(SourceLocation.of(file.toString()), "is " + Files.size(file)
                        + " bytes; a network file may have at most " + ConfigReader.MAX_BYTES + " (16 MiB)");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw ConfigException.inSource(SourceLocation.of(file.toString()), "no such file");
        } catch (IOException e) {
            throw ConfigException.inSource(SourceLocation.of(file.toString()), "cannot read: " + IoErrors.reason(e));
        }
        String name = file.getFileName().toString().replaceFirst("(?i)\\.csv$", "").replaceFirst("^NetWork_", "");
        return parse(file.toString(), name, lines);
    }

    /** Network files with more layer rows than this are refused: the largest CNNs have a few hundred layers. */
    public static final int MAX_LAYERS = 10_000;

    /** The 1-based column where each of a row's first {@code count} cells starts (after any spaces). */
    private static int[] cellColumns(String row, int count) {
        int[] columns = new int[count];
        int at = 0;
        for (int k = 0; k < count; k++) {
            while (at < row.length() && Character.isWhitespace(row.charAt(at))) at++;
            columns[k] = at + 1;
            int comma = row.indexOf(',', at);
            at = comma < 0 ? row.length() : comma + 1;
        }
        return columns;
    }

    public static Network parse(String source, String name, List<String> lines) {
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            // A byte-order mark (spreadsheets write one) is not part of the first row.
            lines = new ArrayList<>(lines);
            lines.set(0, lines.get(0).substring(1));
        }
        NetworkBuilder b = new NetworkBuilder(name);
        int layers = 0;
        int lastRow = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int lineNo = i + 1;
            String[] cells = line.split("\\s*,\\s*", -1);
            if (layers == 0 && !cells[0].matches("\\d+")) continue; // a header row
            if (layers >= MAX_LAYERS) {
                throw ConfigException.inSource(new SourceLocation(source, lineNo, 1),
                        "more than " + MAX_LAYERS + " layer rows; a network file holds at most " + MAX_LAYERS);
            }
            if (cells.length < 8) {
                throw ConfigException.inSource(new SourceLocation(source, lineNo, 1),
                        "expected 8 columns IFM_H,IFM_W,IFM_C,K_H,K_W,C_out,pool,stride, found " + cells.length
                                + ": '" + line + "'");
            }
            int[] v = new int[8];
            String[] names = {"IFM_H", "IFM_W", "IFM_C", "K_H", "K_W", "C_out", "pool", "stride"};
            int[] columns = cellColumns(lines.get(i), cells.length);
            for (int c = 0; c < 8; c++) {
                int column = columns[c];
                try {
                    v[c] = Integer.parseInt(cells[c]);
                } catch (NumberFormatException e) {
                    throw new ConfigException(new SourceLocation(source, lineNo, column), names[c], cells[c],
                            "expected a whole number");
                }
                boolean ok = c == 6 ? (v[c] == 0 || v[c] == 1) : v[c] > 0;
                if (!ok) {
                    throw new ConfigException(new SourceLocation(source, lineNo, column), names[c], cells[c],
                            c == 6 ? "must be 0 or 1" : "must be positive");
                }
            }
            int h = v[0], w = v[1], c = v[2], kh = v[3], kw = v[4], out = v[5], pool = v[6], stride = v[7];
            SourceLocation at = new SourceLocation(source, lineNo, 1);
            try {
                if (layers == 0) {
                    b.input(c, h, w);
                } else {
                    Shape s = b.shape();
                    boolean sameMap = s.channels() == c && s.height() == h && s.width() == w;
                    if (!sameMap && h == 1 && w == 1 && s.elements() == c) {
                        b.flatten();
                    } else if (!sameMap) {
                        throw ConfigException.inSource(at, "input " + c + "×" + h + "×" + w
                                + " does not follow from the output of line " + lastRow + ", which is " + s);
                    }
                    b.relu();
                }
                String layerName = "layer" + (layers + 1);
                if (b.shape().isVector() && kh == 1 && kw == 1) {
                    b.linear(layerName, out);
                } else {
                    boolean fullWindow = kh == h && kw == w;
                    if (kh != kw) {
                        throw ConfigException.inSource(new SourceLocation(source, lineNo, columns[3]), "kernel " + kh + "×" + kw + " is not square");
                    }
                    b.conv(layerName, out, kh, stride, fullWindow ? 0 : (kh - 1) / 2);
                }
                if (pool == 1) b.maxPool(2, 2);
            } catch (NetworkException e) {
                throw ConfigException.inSource(at, e.getMessage());
            }
            layers++;
            lastRow = lineNo;
        }
        if (layers == 0) {
            throw ConfigException.inSource(SourceLocation.of(source), "no layer rows; expected IFM_H,IFM_W,IFM_C,K_H,K_W,C_out,pool,stride");
        }
        return b.build(layers + " layers from a NeuroSim network file", source);
    }
}
