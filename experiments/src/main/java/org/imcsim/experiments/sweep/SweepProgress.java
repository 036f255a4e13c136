package org.imcsim.experiments.sweep;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress of a sweep: a bar with ETA on a terminal, plain lines (at most one a second) otherwise. */
public interface SweepProgress extends AutoCloseable {
    void start(String name, int total, int alreadyDone);

    void finished(PointRecord record);

    @Override
    void close();

    /** A progress bar when stderr is a terminal, plain lines otherwise. */
    static SweepProgress forConsole(PrintWriter err) {
        return System.console() != null ? new Bar() : new Lines(err);
    }

    final class Bar implements SweepProgress {
        private ProgressBar bar;
        private int notOk;

        @Override
        public void start(String name, int total, int alreadyDone) {
            bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total).startsFrom(alreadyDone, Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).showSpeed().build();
        }

        @Override
        public void finished(PointRecord record) {
            if (!record.ok()) {
                notOk++;
                bar.setExtraMessage(notOk + " not ok");
            }
            bar.step();
        }

        @Override
        public void close() {
            if (bar != null) bar.close();
        }
    }

    final class Lines implements SweepProgress {
        private final PrintWriter out;
        private String name;
        private int total;
        private int done;
        private int startDone;
        private int notOk;
        private long startNanos;
        private long lastPrint;

        public Lines(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void start(String name, int total, int alreadyDone) {
            this.name = name;
            this.total = total;
            this.done = alreadyDone;
            this.startDone = alreadyDone;
            this.startNanos = System.nanoTime();
            this.lastPrint = startNanos;
            out.printf(Locale.ROOT, "sweep %s: %d points, %d already done%n", name, total, alreadyDone);
            out.flush();
        }

        @Override
        public void finished(PointRecord record) {
            done++;
            if (!record.ok()) notOk++;
            long now = System.nanoTime();
            if (now - lastPrint > 1_000_000_000L || done == total) {
                lastPrint = now;
                double elapsed = (now - startNanos) / 1e9;
                double rate = (done - startDone) / Math.max(elapsed, 1e-9);
                out.printf(Locale.ROOT, "sweep %s: %d/%d points (%.0f%%), %d not ok, %.1f s elapsed, ETA %.1f s%n", name,
                        done, total, 100.0 * done / total, notOk, elapsed, (total - done) / Math.max(rate, 1e-9));
                out.flush();
            }
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
