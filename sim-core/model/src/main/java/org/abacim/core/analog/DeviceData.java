package org.abacim.core.analog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.ConfigReader;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.io.IoErrors;
import org.abacim.core.units.Dimension;
import org.abacim.core.units.UnitException;
import org.abacim.core.units.Units;

/**
 * Reads measured conductance states and fits a {@link MeasuredDevice}. Two shapes of CSV (comma- or tab-separated,
 * a header row naming the columns, a UTF-8 byte-order mark tolerated, blank lines and lines starting with '#'
 * skipped):
 * <ul>
 *   <li><b>samples</b>: one row per measured cell — {@code level} (0, 1, …), {@code conductance} and optionally
 *       {@code time} (after programming; 0 s when absent). Each (level, time) is fitted to the mean and the sample σ
 *       of its conductances, from at least {@link MeasuredDevice#MIN_SAMPLES} samples.</li>
 *   <li><b>summary</b>: one row per level (and time) — {@code mean} and optionally {@code std} (NeuroSim V1.5's
 *       mem_states.csv), with the level in a {@code level} or {@code states} column or, without one, the row order;
 *       optional {@code time} and {@code count} (samples behind the row; fewer than the minimum are refused).</li>
 * </ul>
 * A unit goes in the header ({@code conductance_uS}, {@code time_s}) or with each value ({@code 12.5 uS}); NeuroSim's
 * bare {@code mean} and {@code std} are siemens. Errors are one line naming file, line, column and what was expected.
 */
public final class DeviceData {
    private DeviceData() {}

    /** The built-in measured sets: name → resource. */
    public static final Map<String, String> BUILT_IN = Map.of(
            "levy-hfox-c", "/org/abacim/core/analog/measured/levy-hfox-c.csv");

    /** Data sets with more levels than this are refused. */
    public static final int MAX_LEVELS = 1024;

    /** A built-in set by name, else the file {@code nameOrPath}. */
    public static MeasuredDevice load(String nameOrPath, Path baseDir) {
        String resource = BUILT_IN.get(nameOrPath);
        if (resource != null) {
            try (InputStream in = DeviceData.class.getResourceAsStream(resource)) {
                if (in == null) throw new IllegalStateException("built-in device data missing: " + resource);
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return parse(nameOrPath, text.lines().toList());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read built-in device data " + resource, e);
            }
        }
        Path file = baseDir == null ? Path.of(nameOrPath) : baseDir.resolve(nameOrPath);
        return read(file);
    }

    public static MeasuredDevice read(Path file) {
        SourceLocation where = SourceLocation.of(file.toString());
        try {
            if (Files.size(file) > ConfigReader.MAX_BYTES) {
                throw ConfigException.inSource(where, "is " + Files.size(file) + " bytes; a device-data file may "
                        + "have at most " + ConfigReader.MAX_BYTES + " (16 MiB)");
            }
            return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw ConfigException.inSource(where, "no such file (device data: a file or a built-in set: "
                    + String.join(", ", BUILT_IN.keySet()) + ")");
        } catch (IOException e) {
            throw ConfigException.inSource(where, "cannot read: " + IoErrors.reason(e));
        }
    }

    private enum Col { LEVEL, CONDUCTANCE, MEAN, STD, TIME, COUNT }

    /** A column of the header: what it holds, its SI scale from a header unit (NaN: none), where it sits. */
    private record Column(Col kind, String name, double scale, int index) {}

    /** Parses a device-data file's lines ({@code source} names it in messages). */
    public static MeasuredDevice parse(String source, List<String> lines) {
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) line = line.substring(1);
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                header = i;
                break;
            }
        }
        if (header < 0) throw ConfigException.inSource(SourceLocation.of(source), "no header row: expected columns "
                + "level,conductance (samples) or mean[,std] (summary)");
        String headerLine = lines.get(header);
        int bom = header == 0 && headerLine.startsWith("\uFEFF") ? 1 : 0;
        char sep = headerLine.indexOf(',') >= 0 || headerLine.indexOf('\t') < 0 ? ',' : '\t';
        List<String> names = split(headerLine.substring(bom), sep);
        int[] headerColumns = columns(headerLine, sep, names.size(), bom);
        Column[] byKind = new Column[Col.values().length];
        for (int c = 0; c < names.size(); c++) {
            String raw = names.get(c).strip();
            SourceLocation at = new SourceLocation(source, header + 1, headerColumns[c]);
            String lower = raw.toLowerCase(Locale.ROOT);
            String base = lower;
            String unit = null;
            int cut = raw.indexOf('_');
            if (cut > 0) {
                base = lower.substring(0, cut);
                unit = raw.substring(cut + 1);
            }
            Col kind = switch (base) {
                case "level", "states", "state" -> Col.LEVEL;
                case "conductance", "g" -> Col.CONDUCTANCE;
                case "mean" -> Col.MEAN;
                case "std", "sigma" -> Col.STD;
                case "time", "t" -> Col.TIME;
                case "count", "n" -> Col.COUNT;
                default -> throw new ConfigException(at, "header", raw, "unknown column; expected level, conductance, "
                        + "time (samples) or level, mean, std, time, count (summary), with a unit after '_' where "
                        + "it has one (conductance_uS, time_s)");
            };
            if (byKind[kind.ordinal()] != null) {
                throw new ConfigException(at, "header", raw, "a second " + kind.name().toLowerCase(Locale.ROOT)
                        + " column");
            }
            double scale = Double.NaN;
            if (unit != null) {
                Dimension d = kind == Col.TIME ? Dimension.TIME : isConductance(kind) ? Dimension.CONDUCTANCE : null;
                if (d == null) throw new ConfigException(at, "header", raw, "a " + base + " has no unit");
                try {
                    scale = Units.parse("1 " + unit, d);
                } catch (UnitException e) {
                    throw new ConfigException(at, "header", raw, e.getMessage());
                }
            }
            byKind[kind.ordinal()] = new Column(kind, raw, scale, c);
        }
        Column level = byKind[Col.LEVEL.ordinal()];
        Column conductance = byKind[Col.CONDUCTANCE.ordinal()];
        Column mean = byKind[Col.MEAN.ordinal()];
        Column std = byKind[Col.STD.ordinal()];
        Column time = byKind[Col.TIME.ordinal()];
        Column count = byKind[Col.COUNT.ordinal()];
        SourceLocation headerAt = new SourceLocation(source, header + 1, 1);
        boolean samples = conductance != null;
        if (samples == (mean != null)) {
            throw new ConfigException(headerAt, "header", headerLine.strip(), samples
                    ? "both conductance (samples) and mean (summary) columns; give one shape"
                    : "no conductance column (samples: level,conductance_uS[,time_s]) and no mean column "
                    + "(summary: mean[,std], NeuroSim's mem_states.csv)");
        }
        if (samples && (level == null || std != null || count != null)) {
            throw new ConfigException(headerAt, "header", headerLine.strip(), "samples take the columns level, "
                    + "conductance and optionally time");
        }
        if (!samples && time != null && level == null) {
            throw new ConfigException(headerAt, "header", headerLine.strip(), "a summary over several times needs a "
                    + "level column");
        }

        // time (s) → level → values (samples) or {mean, std, count} (summary), with the line each group started on
        TreeMap<Double, TreeMap<Integer, Group>> groups = new TreeMap<>();
        int rowOrder = 0;
        for (int i = header + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            int lineNo = i + 1;
            List<String> cells = split(line, sep);
            int[] at = columns(line, sep, cells.size(), 0);
            if (cells.size() != names.size()) {
                throw ConfigException.inSource(new SourceLocation(source, lineNo, 1), "expected " + names.size()
                        + " columns (" + String.join(",", names).strip() + "), found " + cells.size());
            }
            int lv;
            if (level != null) {
                String text = cells.get(level.index()).strip();
                SourceLocation where = new SourceLocation(source, lineNo, at[level.index()]);
                try {
                    lv = Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    throw new ConfigException(where, level.name(), text, "expected a level number (0, 1, …)");
                }
                if (lv < 0 || lv >= MAX_LEVELS) {
                    throw new ConfigException(where, level.name(), text, "a level from 0 to " + (MAX_LEVELS - 1));
                }
            } else {
                lv = rowOrder++;
                if (lv >= MAX_LEVELS) {
                    throw ConfigException.inSource(new SourceLocation(source, lineNo, 1), "more than " + MAX_LEVELS
                            + " levels");
                }
            }
            double t = 0;
            if (time != null) {
                t = value(source, lineNo, at, cells, time, Dimension.TIME, false);
            }
            Group g = groups.computeIfAbsent(t, k -> new TreeMap<>()).get(lv);
            if (g == null) {
                g = new Group(lineNo);
                groups.get(t).put(lv, g);
            } else if (!samples) {
                throw new ConfigException(new SourceLocation(source, lineNo, level == null ? 1 : at[level.index()]),
                        level == null ? "level" : level.name(), Integer.toString(lv), "a second row for level " + lv
                        + (time == null ? "" : " at " + fmt(t) + " s") + " (first on line " + g.line + ")");
            }
            g.lastLine = lineNo;
            if (samples) {
                g.values.add(value(source, lineNo, at, cells, conductance, Dimension.CONDUCTANCE, false));
                g.valueColumn = at[conductance.index()];
            } else {
                g.values.add(value(source, lineNo, at, cells, mean, Dimension.CONDUCTANCE, true));
                g.std = std == null ? 0 : value(source, lineNo, at, cells, std, Dimension.CONDUCTANCE, true);
                if (count != null) {
                    String text = cells.get(count.index()).strip();
                    SourceLocation where = new SourceLocation(source, lineNo, at[count.index()]);
                    try {
                        g.count = Integer.parseInt(text);
                    } catch (NumberFormatException e) {
                        throw new ConfigException(where, count.name(), text, "expected a whole number of samples");
                    }
                    if (g.count < MeasuredDevice.MIN_SAMPLES) {
                        throw new ConfigException(where, count.name(), text, "too few samples to fit: at least "
                                + MeasuredDevice.MIN_SAMPLES + " per level");
                    }
                }
            }
        }
        if (groups.isEmpty()) {
            throw ConfigException.inSource(new SourceLocation(source, header + 1, 1), "a header and no data rows");
        }
        int levels = 0;
        for (TreeMap<Integer, Group> byLevel : groups.values()) levels = Math.max(levels, byLevel.lastKey() + 1);
        if (levels < 2) {
            Group only = groups.firstEntry().getValue().firstEntry().getValue();
            throw ConfigException.inSource(new SourceLocation(source, only.line, 1), "only level 0 is given; a "
                    + "device needs at least 2 levels");
        }
        double[] times = new double[groups.size()];
        double[][] means = new double[groups.size()][levels];
        double[][] sigmas = new double[groups.size()][levels];
        int[][] counts = new int[groups.size()][levels];
        int ti = 0;
        int levelColumn = level == null ? 1 : columns(headerLine, sep, names.size(), bom)[level.index()];
        for (Map.Entry<Double, TreeMap<Integer, Group>> e : groups.entrySet()) {
            times[ti] = e.getKey();
            TreeMap<Integer, Group> byLevel = e.getValue();
            for (int l = 0; l < levels; l++) {
                Group g = byLevel.get(l);
                if (g == null) {
                    Map.Entry<Integer, Group> above = byLevel.higherEntry(l);
                    int line = above != null ? above.getValue().line : byLevel.lastEntry().getValue().lastLine;
                    throw new ConfigException(new SourceLocation(source, line, levelColumn),
                            level == null ? "level" : level.name(), Integer.toString(l), "missing level: levels 0 to "
                            + (levels - 1) + " are given" + (time == null ? "" : " at some time") + " but "
                            + (time == null ? "" : "at " + fmt(e.getKey()) + " s ") + "no row has level " + l);
                }
                if (samples) {
                    int n = g.values.size();
                    if (n < MeasuredDevice.MIN_SAMPLES) {
                        throw new ConfigException(new SourceLocation(source, g.lastLine, g.valueColumn),
                                conductance.name(), Integer.toString(n) + " samples", "too few samples to fit level "
                                + l + (time == null ? "" : " at " + fmt(e.getKey()) + " s") + ": at least "
                                + MeasuredDevice.MIN_SAMPLES);
                    }
                    double sum = 0;
                    for (double v : g.values) sum += v;
                    double m = sum / n;
                    double ss = 0;
                    for (double v : g.values) ss += (v - m) * (v - m);
                    means[ti][l] = m;
                    sigmas[ti][l] = Math.sqrt(ss / (n - 1));
                    counts[ti][l] = n;
                } else {
                    means[ti][l] = g.values.get(0);
                    sigmas[ti][l] = g.std;
                    counts[ti][l] = g.count;
                }
            }
            ti++;
        }
        return new MeasuredDevice(source, times, means, sigmas, counts);
    }

    private static final class Group {
        final int line;
        int lastLine;
        int valueColumn = 1;
        final List<Double> values = new ArrayList<>();
        double std;
        int count;

        Group(int line) {
            this.line = line;
            this.lastLine = line;
        }
    }

    private static boolean isConductance(Col kind) {
        return kind == Col.CONDUCTANCE || kind == Col.MEAN || kind == Col.STD;
    }

    /**
     * One cell as a non-negative, finite SI value: a bare number in the header's unit, or a number with its own unit;
     * {@code bareIsSi}: a bare number without a header unit is taken as SI (NeuroSim's siemens).
     */
    private static double value(String source, int line, int[] at, List<String> cells, Column col, Dimension d,
                                boolean bareIsSi) {
        String text = cells.get(col.index()).strip();
        SourceLocation where = new SourceLocation(source, line, at[col.index()]);
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("nan") || lower.contains("inf")) {
            throw new ConfigException(where, col.name(), text, "not a finite number");
        }
        double v;
        try {
            double bare = Double.parseDouble(text);
            if (!Double.isNaN(col.scale())) {
                v = bare * col.scale();
            } else if (bareIsSi) {
                v = bare;
            } else {
                throw new ConfigException(where, col.name(), text, "a bare number: give its unit in the header ("
                        + col.name() + "_" + (d == Dimension.TIME ? "s" : "uS") + ") or with the value, like '"
                        + d.example() + "'");
            }
        } catch (NumberFormatException e) {
            try {
                v = Units.parse(text, d);
            } catch (UnitException u) {
                throw new ConfigException(where, col.name(), text, u.getMessage());
            }
        }
        if (!Double.isFinite(v)) throw new ConfigException(where, col.name(), text, "not a finite number");
        if (v < 0) {
            throw new ConfigException(where, col.name(), text, (d == Dimension.TIME ? "a time" : "a conductance")
                    + " must not be negative");
        }
        return v;
    }

    private static String fmt(double seconds) {
        return seconds == Math.rint(seconds) && Math.abs(seconds) < 1e15 ? Long.toString((long) seconds)
                : Double.toString(seconds);
    }

    private static List<String> split(String line, char sep) {
        return Arrays.asList(line.split(sep == ',' ? "," : "\t", -1));
    }

    /** The 1-based column where each cell starts (after any spaces), counting a byte-order mark as none. */
    private static int[] columns(String line, char sep, int count, int bom) {
        int[] columns = new int[count];
        int at = bom;
        for (int k = 0; k < count; k++) {
            while (at < line.length() && line.charAt(at) == ' ') at++;
            columns[k] = at + 1 - bom;
            int next = line.indexOf(sep, at);
            at = next < 0 ? line.length() : next + 1;
        }
        return columns;
    }
}
