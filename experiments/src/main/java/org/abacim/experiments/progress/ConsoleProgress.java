package org.abacim.experiments.progress;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.abacim.core.progress.Progress;

/**
 * The command line's progress reporter, on stderr: a bar with ETA on a terminal, plain lines otherwise (logs, CI).
 * The outermost stage (a sweep, a comparison, a compression, training) is the bar or the line; stages opened
 * inside it (a Monte-Carlo run within a comparison) show as the bar's message, or as lines of their own once they
 * have run for a few seconds. Lines are throttled: at most one a second for the outermost stage, one every five
 * for inner ones, and always the last.
 */
public final class ConsoleProgress implements Progress {
    private static final long TOP_INTERVAL_NS = 1_000_000_000L;
    private static final long INNER_DELAY_NS = 2_000_000_000L;
    private static final long INNER_INTERVAL_NS = 5_000_000_000L;

    private final PrintWriter out;
    private final boolean bar;
    private final Deque<LineStage> open = new ArrayDeque<>();

    private ConsoleProgress(PrintWriter out, boolean bar) {
        this.out = out;
        this.bar = bar;
    }

    /** A bar when stderr is a terminal, plain lines to {@code err} otherwise. */
    public static ConsoleProgress forConsole(PrintWriter err) {
        return new ConsoleProgress(err, System.console() != null);
    }

    /** Plain lines to {@code out}, whatever the terminal (tests, logs). */
    public static ConsoleProgress lines(PrintWriter out) {
        return new ConsoleProgress(out, false);
    }

    @Override
    public synchronized Stage stage(String name, long total, long done, String unit) {
        LineStage parent = open.peekFirst();
        LineStage s = new LineStage(name, Math.max(total, 0), done, unit, parent);
        open.push(s);
        if (parent == null) {
            if (bar) {
                s.bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(s.total).startsFrom(done, Duration.ZERO)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).showSpeed().setUnit(" " + unit, 1)
                        .build();
            } else {
                out.printf(Locale.ROOT, "%s: %d %s%s%n", name, s.total, unit, done > 0 ? ", " + done + " already done" : "");
                out.flush();
                s.printed = true;
            }
        }
        return s;
    }

    private final class LineStage implements Stage {
        final String name;
        final long total;
        final long startDone;
        final String unit;
        final LineStage parent;
        final long startNanos = System.nanoTime();
        long done;
        long lastPrint;
        boolean printed;
        String note = "";
        ProgressBar bar;

        LineStage(String name, long total, long done, String unit, LineStage parent) {
            this.name = name;
            this.total = total;
            this.done = done;
            this.startDone = done;
            this.unit = unit;
            this.parent = parent;
            this.lastPrint = startNanos;
        }

        @Override
        public void step() {
            synchronized (ConsoleProgress.this) {
                done++;
                if (bar != null) {
                    bar.step();
                } else if (parent != null && parent.bar != null) {
                    parent.bar.setExtraMessage(" " + name + " " + done + "/" + total + " " + unit);
                } else {
                    maybePrint(System.nanoTime());
                }
            }
        }

        @Override
        public void note(String text) {
            synchronized (ConsoleProgress.this) {
                note = text;
                if (bar != null) bar.setExtraMessage(" " + text);
            }
        }

        private void maybePrint(long now) {
            boolean last = done >= total;
            boolean top = parent == null;
            boolean due = top ? now - lastPrint >= TOP_INTERVAL_NS
                    : now - startNanos >= INNER_DELAY_NS && (!printed || now - lastPrint >= INNER_INTERVAL_NS);
            if (!(due || last && (top || printed))) return;
            lastPrint = now;
            printed = true;
            double elapsed = (now - startNanos) / 1e9;
            double rate = (done - startDone) / Math.max(elapsed, 1e-9);
            out.printf(Locale.ROOT, "%s: %d/%d %s (%.0f%%)%s, %.1f s elapsed, ETA %.1f s%n", name, done, total, unit,
                    total == 0 ? 100.0 : 100.0 * done / total, note.isEmpty() ? "" : ", " + note, elapsed,
                    (total - done) / Math.max(rate, 1e-9));
            out.flush();
        }

        @Override
        public void close() {
            synchronized (ConsoleProgress.this) {
                open.remove(this);
                if (bar != null) bar.close();
                if (parent != null && parent.bar != null) parent.bar.setExtraMessage("");
                out.flush();
            }
        }
    }
}
