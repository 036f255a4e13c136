package org.abacim.core.progress;

import java.util.function.Supplier;

/**
 * Where long work says how far it has got: training batches, compression steps, Monte-Carlo trials, systems ×
 * networks, sweep points. The engines open a {@link Stage} on the reporter the command line installed; without one
 * (a library user, a test) reporting costs nothing. Progress never changes a result, only what is printed on stderr.
 */
public interface Progress {
    /** Opens a stage of {@code total} units ("batches", "trials"), {@code done} of them already done. */
    Stage stage(String name, long total, long done, String unit);

    /** A stage of long work; closing it ends it. Thread-safe: parallel work may step it. */
    interface Stage extends AutoCloseable {
        /** One more unit done. */
        void step();

        /** A short note shown with the stage ("3 not ok", "loss 0.12"). */
        default void note(String text) {}

        @Override
        void close();
    }

    /** Reports nothing. */
    Progress NONE = (name, total, done, unit) -> new Stage() {
        @Override public void step() {}

        @Override public void close() {}
    };

    /** The reporter installed for this process (the console's, under the CLI), or {@link #NONE} on a muted thread. */
    static Progress current() {
        return Holder.muted.get() ? NONE : Holder.current;
    }

    /**
     * Runs {@code work} with stages opened on this thread unreported: a sweep's points, whose own progress is the
     * sweep's.
     */
    static <T> T muted(Supplier<T> work) {
        boolean before = Holder.muted.get();
        Holder.muted.set(true);
        try {
            return work.get();
        } finally {
            Holder.muted.set(before);
        }
    }

    /** Installs {@code reporter}; returns the one it replaces, to put back. */
    static Progress install(Progress reporter) {
        Progress before = Holder.current;
        Holder.current = reporter == null ? NONE : reporter;
        return before;
    }

    /** Opens a stage on the current reporter. */
    static Stage start(String name, long total, String unit) {
        return current().stage(name, total, 0, unit);
    }

    final class Holder {
        private static volatile Progress current = NONE;
        private static final ThreadLocal<Boolean> muted = ThreadLocal.withInitial(() -> false);

        private Holder() {}
    }
}
