package org.abacim.experiments.sweep;

import java.io.PrintWriter;
import org.abacim.core.progress.Progress;
import org.abacim.experiments.progress.ConsoleProgress;

/** Progress of a sweep, through the shared reporter: one stage of points, noting how many were not ok. */
public interface SweepProgress extends AutoCloseable {
    void start(String name, int total, int alreadyDone);

    void finished(PointRecord record);

    @Override
    void close();

    /** A progress bar when stderr is a terminal, plain lines otherwise. */
    static SweepProgress forConsole(PrintWriter err) {
        return new OnReporter(ConsoleProgress.forConsole(err));
    }

    /** Sweep progress as one stage of {@code reporter}. */
    final class OnReporter implements SweepProgress {
        private final Progress reporter;
        private Progress.Stage stage;
        private int notOk;

        public OnReporter(Progress reporter) {
            this.reporter = reporter;
        }

        @Override
        public void start(String name, int total, int alreadyDone) {
            stage = reporter.stage("sweep " + name, total, alreadyDone, "points");
        }

        @Override
        public void finished(PointRecord record) {
            if (!record.ok()) stage.note(++notOk + " not ok");
            stage.step();
        }

        @Override
        public void close() {
            if (stage != null) stage.close();
        }
    }

    /** Plain lines to {@code out} (tests, logs). */
    final class Lines implements SweepProgress {
        private final OnReporter on;

        public Lines(PrintWriter out) {
            on = new OnReporter(ConsoleProgress.lines(out));
        }

        @Override public void start(String name, int total, int alreadyDone) { on.start(name, total, alreadyDone); }

        @Override public void finished(PointRecord record) { on.finished(record); }

        @Override public void close() { on.close(); }
    }
}
