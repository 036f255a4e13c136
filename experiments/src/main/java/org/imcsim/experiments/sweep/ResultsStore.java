package org.imcsim.experiments.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.imcsim.core.config.ConfigException;
import org.imcsim.core.config.SourceLocation;
import org.imcsim.core.io.WholeFiles;

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

    private java.nio.channels.FileLock lock;
    private FileChannel lockChannel;

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
     * What a results folder belongs to: the IMCSim that wrote it and its sweep plan (points in order, each preset,
     * network and axis values, as a SHA-256). A resume checks both before it keeps a single record.
     */
    public record Plan(String imcsim, int points, String fingerprint) {}

    /**
     * Opens the result files in {@code dir}. Without {@code resume}, existing results are an error (never
     * overwritten); with it, their complete records are kept and their points reported by {@link #isDone(int)} — only when
     * {@code plan.json} beside them names this IMCSim and this plan; otherwise the resume is refused, naming the
     * difference.
     */
    public static ResultsStore open(Path dir, List<String> axisPaths, boolean resume, Plan plan) {
        Path jsonlPath = dir.resolve(JSONL);
        Path csvPath = dir.resolve(CSV);
        String header = header(axisPaths);
        FileChannel lockChannel = null;
        java.nio.channels.FileLock lock = null;
        try {
            Files.createDirectories(dir);
            // One sweep writes a results folder at a time: a second process (or thread) is refused, not interleaved.
            lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = lockChannel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockChannel.close();
                throw ConfigException.inSource(SourceLocation.of(dir.toString()), "another sweep is writing these "
                        + "results (" + LOCK + " is locked); wait for it to finish, or choose another --out");
            }
            boolean exists = Files.exists(jsonlPath) && Files.size(jsonlPath) > 0;
            if (exists && !resume) {
                throw ConfigException.inSource(SourceLocation.of(jsonlPath.toString()),
                        "results already exist; add --resume to complete this sweep, or choose another --out");
            }
            BitSet done = new BitSet();
            if (exists) checkPlan(dir.resolve(PLAN), plan);
            else writePlan(dir.resolve(PLAN), plan);
            if (exists) {
                cutPartialLastLine(jsonlPath);
                cutPartialLastLine(csvPath);
                checkCsvHeader(csvPath, header);
                // The JSON Lines are the record; the CSV is rebuilt from them, so a kill between the two appends
                // cannot leave it a row short (or long). Both are streamed: a resume holds one record at a time and
                // a bit per point of the plan, not the results.
                WholeFiles.write(csvPath, tmp -> {
                    try (BufferedReader in = Files.newBufferedReader(jsonlPath, StandardCharsets.UTF_8);
                         BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                        out.write(header);
                        out.write('\n');
                        int lineNo = 0;
                        for (String line = readLine(in, jsonlPath); line != null; line = readLine(in, jsonlPath)) {
                            lineNo++;
                            PointRecord r = recordForResume(line, jsonlPath, lineNo, plan.points());
                            if (done.get(r.index())) {
                                throw ConfigException.inSource(new SourceLocation(jsonlPath.toString(), lineNo, 1),
                                        "a second record of point " + r.index() + "; cannot resume from this file");
                            }
                            done.set(r.index());
                            out.write(csvLine(r, axisPaths));
                            out.write('\n');
                        }
                    }
                });
            }
            FileChannel j = FileChannel.open(jsonlPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            FileChannel c = FileChannel.open(csvPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            if (c.size() == 0) write(c, header + "\n");
            ResultsStore store = new ResultsStore(dir, j, c, axisPaths, done);
            store.lock = lock;
            store.lockChannel = lockChannel;
            return store;
        } catch (IOException | RuntimeException e) {
            try {
                if (lockChannel != null) lockChannel.close(); // releases the lock
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            if (e instanceof IOException io) throw new UncheckedIOException(org.imcsim.core.io.IoErrors.naming(dir, io));
            throw (RuntimeException) e;
        }
    }

    private static void checkPlan(Path file, Plan plan) throws IOException {
        SourceLocation at = SourceLocation.of(file.toString());
        if (!Files.isRegularFile(file)) {
            throw ConfigException.inSource(at, "no sweep plan beside the results (written before IMCSim recorded "
                    + "plans, or not by a sweep); cannot tell whether they belong to this sweep: choose another --out");
        }
        Plan recorded;
        try {
            recorded = JSON.readValue(file.toFile(), Plan.class);
        } catch (IOException e) {
            throw ConfigException.inSource(at, "not a sweep plan (" + e.getMessage().lines().findFirst().orElse("")
                    + "); cannot resume");
        }
        if (!plan.imcsim().equals(recorded.imcsim())) {
            throw ConfigException.inSource(at, "these results were written by IMCSim " + recorded.imcsim()
                    + ", this is " + plan.imcsim() + "; results of two versions are not mixed: choose another --out");
        }
        if (plan.points() != recorded.points() || !plan.fingerprint().equals(recorded.fingerprint())) {
            throw ConfigException.inSource(at, "these results belong to another sweep plan (" + recorded.points()
                    + " points, plan " + recorded.fingerprint().substring(0, 12) + "); this sweep has " + plan.points()
                    + " points, plan " + plan.fingerprint().substring(0, 12) + ": resume needs the same sweep file");
        }
    }

    /** Writes the plan whole: under a temporary name, then moved into place. */
    private static void writePlan(Path file, Plan plan) throws IOException {
        org.imcsim.core.io.WholeFiles.write(file,
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
    public static java.util.Optional<Description> description(Path resultsFile) {
        Path meta = resultsFile.toAbsolutePath().getParent().resolve(META);
        if (!Files.isRegularFile(meta)) return java.util.Optional.empty();
        try {
            return java.util.Optional.of(JSON.readValue(meta.toFile(), Description.class));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Ids of points already recorded (on resume). */
    public boolean isDone(int index) { return done.get(index); }

    /** How many points earlier runs recorded. */
    public int doneCount() { return done.cardinality(); }

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
            throw org.imcsim.core.io.IoErrors.naming(file, e);
        }
    }

    private static void checkCsvHeader(Path csvPath, String header) throws IOException {
        if (!Files.exists(csvPath)) return;
        try (BufferedReader in = Files.newBufferedReader(csvPath, StandardCharsets.UTF_8)) {
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
            throw new UncheckedIOException(org.imcsim.core.io.IoErrors.naming(dir.resolve(JSONL), e));
        }
        try {
            write(csv, rendered.csvLine());
        } catch (IOException e) {
            throw new UncheckedIOException(org.imcsim.core.io.IoErrors.naming(dir.resolve(CSV), e));
        }
    }

    private static void write(FileChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) channel.write(bytes);
    }

    private static void cutPartialLastLine(Path file) throws IOException {
        if (!Files.exists(file)) return;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
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
        cols.addAll(Metrics.NAMES);
        cols.add("baseline");
        for (String r : Metrics.RATIOS) cols.add("ratio_" + r);
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
        for (String m : Metrics.NAMES) cells.add(r.metrics() == null ? "" : number(r.metrics().get(m)));
        cells.add(r.baseline() == null ? "" : r.baseline());
        for (String m : Metrics.RATIOS) cells.add(r.ratios() == null ? "" : number(r.ratios().get(m)));
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

    /** Reads the records of a results file (for reports). */
    public static List<PointRecord> read(Path jsonlPath) {
        List<PointRecord> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(jsonlPath, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw ConfigException.inSource(SourceLocation.of(jsonlPath.toString()), "no such file");
        } catch (IOException e) {
            throw ConfigException.inSource(SourceLocation.of(jsonlPath.toString()), "cannot read: " + org.imcsim.core.io.IoErrors.reason(e));
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                PointRecord r = JSON.readValue(lines.get(i), PointRecord.class);
                if (r.id() == null || r.status() == null || r.network() == null) {
                    throw ConfigException.inSource(new SourceLocation(jsonlPath.toString(), i + 1, 1),
                            "not a sweep result record: it has no id, status or network");
                }
                out.add(r);
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1) break; // a sweep killed mid-record: the partial last line is not a result
                throw ConfigException.inSource(new SourceLocation(jsonlPath.toString(), i + 1, 1),
                        "not a sweep result record: " + e.getOriginalMessage().lines().findFirst().orElse("").toLowerCase(Locale.ROOT));
            }
        }
        return out;
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
            throw new UncheckedIOException(org.imcsim.core.io.IoErrors.naming(dir.resolve(JSONL), e));
        }
    }
}
