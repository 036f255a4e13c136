package org.abacim.experiments.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;
import org.abacim.core.io.IoErrors;
import org.abacim.core.io.WholeFiles;
import org.abacim.experiments.io.OutputFolder;

/**
 * {@code results.jsonl} and {@code results.csv} of a sweep. Each record is handed to the operating system whole,
 * with one write, as soon as it is in order, so a killed process loses nothing finished (the page cache survives
 * the process) and leaves at most one partial last line, which {@link #open} cuts off on resume. Files are forced
 * to disk at close; forcing every record would only guard against power loss, at 10× the cost. Records arrive in
 * plan order, so a resumed sweep's files equal an uninterrupted one's.
 */
public final class ResultsStore implements AutoCloseable {
    public static final String JSONL = "results.jsonl";
    public static final String CSV = "results.csv";
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Path dir;
    private final FileChannel jsonl;
    private final FileChannel csv;
    private final List<String> axisPaths;
    private final BitSet done;

    private FileLock lock;
    private FileChannel lockChannel;
    private int doneInvalid;

    private ResultsStore(Path dir, FileChannel jsonl, FileChannel csv, List<String> axisPaths, BitSet done) {
        this.dir = dir;
        this.jsonl = jsonl;
        this.csv = csv;
        this.axisPaths = axisPaths;
        this.done = done;
    }

    public static final String PLAN = "plan.json";

    /** Held while a sweep writes the folder. */
    public static final String LOCK = ".lock";

    /**
     * What a results folder belongs to: the abacim that wrote it and its sweep plan (points in order, each preset,
     * network and axis values, as a SHA-256). A resume checks both before it keeps a single record.
     */
    public record Plan(String abacim, int points, String fingerprint) {}

    /**
     * Opens the result files in {@code dir}. Without {@code resume}, existing results are an error (never
     * overwritten); with it, their complete records are kept and their points reported by {@link #isDone(int)} — only when
     * {@code plan.json} beside them names this abacim and this plan; otherwise the resume is refused, naming the
     * difference.
     */
    public static ResultsStore open(Path dir, List<String> axisPaths, boolean resume, Plan plan) {
        Path jsonlPath = dir.resolve(JSONL);
        Path csvPath = dir.resolve(CSV);
        String header = header(axisPaths);
        FileChannel lockChannel = null;
        FileLock lock = null;
        try {
            Files.createDirectories(dir);
            // Nothing a sweep writes or reads in its folder is reached through a symbolic link: a link planted at one
            // of its names is refused here, and every open below is NOFOLLOW_LINKS (a link made meanwhile fails it).
            for (String name : List.of(LOCK, PLAN, JSONL, CSV, META)) OutputFolder.refuseLink(dir.resolve(name));
            // One sweep writes a results folder at a time: a second process (or thread) is refused, not interleaved.
            lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockChannel.close();
                throw ConfigException.inSource(SourceLocation.of(dir.toString()), "another sweep is writing these "
                        + "results (" + LOCK + " is locked); wait for it to finish, or choose another --out");
            }
            // A sweep owns its folder: results files that hold anything are kept, and completed only by the sweep
            // plan and abacim that plan.json names; a file put there by anything else is refused, never appended to.
            boolean jsonlHolds = Files.exists(jsonlPath, LinkOption.NOFOLLOW_LINKS) && Files.size(jsonlPath) > 0;
            boolean csvHolds = holdsRows(csvPath);
            Path holding = jsonlHolds ? jsonlPath : csvPath;
            BitSet done = new BitSet();
            int[] doneInvalid = new int[1];
            if (jsonlHolds || csvHolds) {
                checkPlan(dir.resolve(PLAN), plan, holding);
                if (!resume) {
                    throw ConfigException.inSource(SourceLocation.of(holding.toString()),
                            "results already exist; add --resume to complete this sweep, or choose another --out");
                }
                cutPartialLastLine(jsonlPath);
                cutPartialLastLine(csvPath);
                checkCsvHeader(csvPath, header);
                resumeFrom(jsonlPath, csvPath, header, axisPaths, plan, done, doneInvalid);
            } else {
                // Nothing to keep (no files, empty ones, or a CSV header alone): the sweep starts the folder afresh.
                writePlan(dir.resolve(PLAN), plan);
                WholeFiles.write(csvPath, (header + "\n").getBytes(StandardCharsets.UTF_8));
                FileChannel.open(jsonlPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS).close();
            }
            FileChannel j = FileChannel.open(jsonlPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
            FileChannel c = FileChannel.open(csvPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
            if (c.size() == 0) write(c, header + "\n");
            ResultsStore store = new ResultsStore(dir, j, c, axisPaths, done);
            store.doneInvalid = doneInvalid[0];
            store.lock = lock;
            store.lockChannel = lockChannel;
            return store;
        } catch (IOException | RuntimeException e) {
            try {
                if (lockChannel != null) lockChannel.close(); // releases the lock
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            if (e instanceof IOException io) throw new UncheckedIOException(IoErrors.naming(dir, io));
            throw (RuntimeException) e;
        }
    }

    /**
     * The records already written, kept for a resume. The JSON Lines are the record; the CSV is rebuilt from them, so
     * a kill between the two appends cannot leave it a row short (or long). Both are streamed: a resume holds one
     * record at a time and a bit per point of the plan, not the results. A point recorded twice (a file put together
     * by hand, or copied over itself) keeps its first record: the files end as an uninterrupted run's. Two records
     * of one point that differ are refused: results are never mixed.
     */
    private static void resumeFrom(Path jsonlPath, Path csvPath, String header, List<String> axisPaths, Plan plan,
                                   BitSet done, int[] doneInvalid) throws IOException {
        BitSet twice = new BitSet();
        WholeFiles.write(csvPath, tmp -> {
            try (BufferedReader in = reader(jsonlPath);
                 BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                out.write(header);
                out.write('\n');
                int lineNo = 0;
                for (String line = readLine(in, jsonlPath); line != null; line = readLine(in, jsonlPath)) {
                    lineNo++;
                    PointRecord r = recordForResume(line, jsonlPath, lineNo, plan.points());
                    if (done.get(r.index())) {
                        twice.set(r.index());
                        continue;
                    }
                    done.set(r.index());
                    if ("invalid".equals(r.status())) doneInvalid[0]++;
                    out.write(csvLine(r, axisPaths));
                    out.write('\n');
                }
            }
            // Renamed into place before the CSV: a kill between the two leaves a CSV the next resume rebuilds.
            if (!twice.isEmpty()) dropRepeats(jsonlPath, twice);
        });
    }

    /** Rewrites the JSON Lines without the second and later records of the points in {@code twice}. */
    private static void dropRepeats(Path jsonlPath, BitSet twice) throws IOException {
        Map<Integer, String> first = new HashMap<>();
        Map<Integer, Integer> firstLine = new HashMap<>();
        WholeFiles.write(jsonlPath, tmp -> {
            try (BufferedReader in = reader(jsonlPath);
                 BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                int lineNo = 0;
                for (String line = readLine(in, jsonlPath); line != null; line = readLine(in, jsonlPath)) {
                    lineNo++;
                    int index = parse(line).index();
                    if (twice.get(index)) {
                        String kept = first.putIfAbsent(index, line);
                        if (kept != null) {
                            if (!kept.equals(line)) {
                                throw ConfigException.inSource(new SourceLocation(jsonlPath.toString(), lineNo, 1),
                                        "a second record of point " + index + " that differs from the first (line "
                                                + firstLine.get(index) + "); results are not mixed: cannot resume "
                                                + "from this file");
                            }
                            continue;
                        }
                        firstLine.put(index, lineNo);
                    }
                    out.write(line);
                    out.write('\n');
                }
            }
        });
    }

    /** Whether a CSV holds anything but a sweep's header line (rows, or something not a sweep's at all). */
    private static boolean holdsRows(Path csvPath) throws IOException {
        if (!Files.exists(csvPath, LinkOption.NOFOLLOW_LINKS) || Files.size(csvPath) == 0) return false;
        try (InputStream in = Files.newInputStream(csvPath, LinkOption.NOFOLLOW_LINKS)) {
            byte[] head = in.readNBytes(1 << 16);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            int newline = text.indexOf('\n');
            boolean oneLine = newline < 0 ? in.read() < 0 : newline == text.length() - 1 && in.read() < 0;
            return !(oneLine && text.startsWith("index,id,status,preset,network,"));
        }
    }

    /** A strict UTF-8 reader that does not follow a symbolic link. */
    private static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS),
                StandardCharsets.UTF_8.newDecoder()));
    }

    private static void checkPlan(Path file, Plan plan, Path results) throws IOException {
        SourceLocation at = SourceLocation.of(file.toString());
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw ConfigException.inSource(SourceLocation.of(results.toString()), "not written by this sweep: no sweep "
                    + "plan beside the results (" + PLAN + ": written before abacim recorded plans, or not by a sweep); "
                    + "a sweep never adds to results it cannot tell are its own: choose another --out");
        }
        Plan recorded;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            recorded = JSON.readValue(in, Plan.class);
            if (recorded == null || recorded.abacim() == null || recorded.fingerprint() == null) {
                throw new IOException("it names no abacim or plan");
            }
        } catch (IOException e) {
            throw ConfigException.inSource(at, "not a sweep plan (" + String.valueOf(e.getMessage()).lines().findFirst()
                    .orElse("") + "); a sweep never adds to results it cannot tell are its own: choose another --out");
        }
        if (!plan.abacim().equals(recorded.abacim())) {
            throw ConfigException.inSource(at, "these results were written by abacim " + recorded.abacim()
                    + ", this is " + plan.abacim() + "; results of two versions are not mixed: choose another --out");
        }
        if (plan.points() != recorded.points() || !plan.fingerprint().equals(recorded.fingerprint())) {
            throw ConfigException.inSource(at, "these results belong to another sweep plan (" + recorded.points()
                    + " points, plan " + recorded.fingerprint().substring(0, 12) + "); this sweep has " + plan.points()
                    + " points, plan " + plan.fingerprint().substring(0, 12) + ": resume needs the same sweep file, "
                    + "or choose another --out");
        }
    }

    /** Writes the plan whole: under a temporary name, then moved into place. */
    private static void writePlan(Path file, Plan plan) throws IOException {
        WholeFiles.write(file,
                (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(plan) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static final String META = "sweep.json";

    /** What the sweep is, for reports: {@code sweep.json} beside the results. */
    public record Description(String name, String description, String file, int points, List<String> axes,
                              String baseline) {}

    public void describe(String name, String description, String file, int points, List<String> axes, String baseline) {
        try {
            WholeFiles.write(dir.resolve(META), (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                    new Description(name, description, file, points, axes, baseline)) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The description written beside a results file, if there is one. */
    public static Optional<Description> description(Path resultsFile) {
        Path meta = resultsFile.toAbsolutePath().getParent().resolve(META);
        if (!Files.isRegularFile(meta, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(meta.toFile(), Description.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Ids of points already recorded (on resume). */
    public boolean isDone(int index) { return done.get(index); }

    /** How many points earlier runs recorded. */
    public int doneCount() { return done.cardinality(); }

    /** How many of the points earlier runs recorded are invalid. */
    public int doneInvalid() { return doneInvalid; }

    /** One line of a results file being resumed: a record of a point of this plan. */
    private static PointRecord recordForResume(String line, Path file, int lineNo, int points) {
        try {
            PointRecord r = JSON.readValue(line, PointRecord.class);
            if (r.id() == null) throw new IllegalArgumentException("no id");
            if (r.index() < 0 || r.index() >= points) throw new IllegalArgumentException("index outside the plan");
            return r;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw ConfigException.inSource(new SourceLocation(file.toString(), lineNo, 1),
                    "not a sweep result record of this plan; cannot resume from this file");
        }
    }

    private static String readLine(BufferedReader in, Path file) throws IOException {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw IoErrors.naming(file, e);
        }
    }

    private static void checkCsvHeader(Path csvPath, String header) throws IOException {
        if (!Files.exists(csvPath, LinkOption.NOFOLLOW_LINKS)) return;
        try (BufferedReader in = reader(csvPath)) {
            String first = readLine(in, csvPath);
            if (first != null && !first.equals(header)) {
                throw ConfigException.inSource(new SourceLocation(csvPath.toString(), 1, 1),
                        "written by a sweep with other axes; resume needs the same sweep file");
            }
        }
    }

    /** A record rendered to its two lines (done by the worker threads, off the writer's path). */
    public record Rendered(PointRecord record, String jsonLine, String csvLine) {}

    /** A result line read back (a record another process rendered). */
    public static PointRecord parse(String jsonLine) {
        try {
            return JSON.readValue(jsonLine, PointRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result line that does not parse: " + jsonLine, e);
        }
    }

    public Rendered render(PointRecord record) {
        return render(record, axisPaths);
    }

    /** The lines a record takes in a store with these axis columns (pure: any process can render them). */
    public static Rendered render(PointRecord record, List<String> axisPaths) {
        try {
            return new Rendered(record, JSON.writeValueAsString(record) + "\n", csvLine(record, axisPaths) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a result record", e);
        }
    }

    public void append(Rendered rendered) {
        try {
            write(jsonl, rendered.jsonLine());
        } catch (IOException e) {
            throw new UncheckedIOException(IoErrors.naming(dir.resolve(JSONL), e));
        }
        try {
            write(csv, rendered.csvLine());
        } catch (IOException e) {
            throw new UncheckedIOException(IoErrors.naming(dir.resolve(CSV), e));
        }
    }

    private static void write(FileChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) channel.write(bytes);
    }

    private static void cutPartialLastLine(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') break;
                keep--;
            }
            if (keep < size) ch.truncate(keep);
        }
    }

    static String header(List<String> axisPaths) {
        List<String> cols = new ArrayList<>(List.of("index", "id", "status", "preset", "network"));
        cols.addAll(axisPaths);
        cols.addAll(SweepMetrics.NAMES);
        cols.add("baseline");
        for (String r : SweepMetrics.RATIOS) cols.add("ratio_" + r);
        cols.add("reason");
        return String.join(",", cols.stream().map(ResultsStore::csvField).toList());
    }

    private static String csvLine(PointRecord r, List<String> axisPaths) {
        List<String> cells = new ArrayList<>(List.of(Integer.toString(r.index()), r.id(), r.status(),
                r.preset() == null ? "" : r.preset(), r.network()));
        for (String axis : axisPaths) {
            JsonNode v = r.axes() == null ? null : r.axes().get(axis);
            cells.add(v == null ? "" : v.isTextual() ? v.asText() : v.toString());
        }
        for (String m : SweepMetrics.NAMES) cells.add(r.metrics() == null ? "" : number(r.metrics().get(m)));
        cells.add(r.baseline() == null ? "" : r.baseline());
        for (String m : SweepMetrics.RATIOS) cells.add(r.ratios() == null ? "" : number(r.ratios().get(m)));
        cells.add(r.reason() == null ? "" : r.reason());
        return String.join(",", cells.stream().map(ResultsStore::csvField).toList());
    }

    private static String number(Double v) {
        return v == null ? "" : Double.toString(v);
    }

    /** RFC 4180 quoting: fields with commas, quotes or line breaks are quoted, quotes doubled. */
    static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /**
     * Reads the records of a results file (for reports). A file that holds no record — empty, binary, or not a
     * sweep's results — is refused in one line naming it: a report of nothing is not written.
     */
    public static List<PointRecord> read(Path jsonlPath) {
        OutputFolder.refuseLink(jsonlPath);
        byte[] bytes;
        try {
            if (Files.isDirectory(jsonlPath)) {
                throw ConfigException.inSource(SourceLocation.of(jsonlPath.toString()),
                        "is a folder with no " + JSONL + "; expected a sweep's results");
            }
            bytes = Files.readAllBytes(jsonlPath);
        } catch (NoSuchFileException e) {
            throw ConfigException.inSource(SourceLocation.of(jsonlPath.toString()), "no such file");
        } catch (IOException e) {
            throw ConfigException.inSource(SourceLocation.of(jsonlPath.toString()), "cannot read: " + IoErrors.reason(e));
        }
        String text = text(jsonlPath, bytes);
        List<String> lines = text.lines().toList();
        List<PointRecord> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                PointRecord r = JSON.readValue(lines.get(i), PointRecord.class);
                if (r == null || r.id() == null || r.status() == null || r.network() == null) {
                    throw ConfigException.inSource(new SourceLocation(jsonlPath.toString(), i + 1, 1),
                            "not a sweep result record: it has no id, status or network");
                }
                out.add(r);
            } catch (JsonProcessingException e) {
                // A sweep killed mid-record leaves a partial last line (no newline after it): it is not a result.
                if (i == lines.size() - 1 && !text.endsWith("\n") && !out.isEmpty()) break;
                throw ConfigException.inSource(new SourceLocation(jsonlPath.toString(), i + 1, 1),
                        "not a sweep result record: " + e.getOriginalMessage().lines().findFirst().orElse("").toLowerCase(Locale.ROOT));
            }
        }
        if (out.isEmpty()) {
            throw ConfigException.inSource(SourceLocation.of(jsonlPath.toString()), bytes.length == 0
                    ? "the file is empty: no sweep results to report (has the sweep written any point yet?)"
                    : "holds no sweep result record: no results to report");
        }
        return out;
    }

    /**
     * The file as text, refused in one line when it is not: bytes that are not UTF-8, or control characters no
     * results file holds (a binary file), at their line and column.
     */
    private static String text(Path file, byte[] bytes) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (b == '\n') {
                line++;
                lineStart = i + 1;
            } else if (b < 0x20 && b != '\t' && b != '\r' || b == 0x7F) {
                throw ConfigException.inSource(new SourceLocation(file.toString(), line, i - lineStart + 1), String.format(
                        Locale.ROOT, "byte 0x%02X: a binary file, not a sweep's results (JSON Lines text)", b));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ConfigException.inSource(SourceLocation.of(file.toString()),
                    "not UTF-8 text: a binary file, not a sweep's results (JSON Lines text)");
        }
    }

    @Override
    public void close() {
        try {
            jsonl.force(false);
            csv.force(false);
            jsonl.close();
            csv.close();
            if (lockChannel != null) lockChannel.close(); // releases the lock
        } catch (IOException e) {
            throw new UncheckedIOException(IoErrors.naming(dir.resolve(JSONL), e));
        }
    }
}
