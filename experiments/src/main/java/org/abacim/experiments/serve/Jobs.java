package org.abacim.experiments.serve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.abacim.core.progress.Progress;
import org.abacim.experiments.report.ResultFormats;

/**
 * The teaching server's long work — Monte-Carlo accuracy, compression schedules — bounded: one job runs at a time
 * (the machine's cores go to it), at most {@code queueCapacity} wait, and a job that runs past {@code timeLimit} is
 * stopped. A new job of a kind cancels the older jobs of that kind of the same page, queued or running: a student who
 * moved the σ slider again no longer wants the last position's answer. A job belongs to the page that started it
 * (its token, {@link Guard}): only that page finds it; its id is 128 random bits.
 *
 * <p>Jobs stop at their next progress step (a training batch, a step, a simulated chip): while they run, this class is the
 * process's {@link Progress} reporter, and a cancelled job's stages throw {@link CancellationException}. Each job
 * keeps what it reported as a list of JSON events, which a page follows as a stream ({@link Job#await}).
 */
final class Jobs implements AutoCloseable {
    enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    /** What a job does; it reports through {@link Job#emit}. */
    interface Work {
        void run(Job job) throws Exception;
    }

    /** Whether {@code event} (one of a job's) is its last. */
    static boolean isEnd(String event) {
        return event.startsWith("{\"type\":\"end\"");
    }

    /** Refused: the queue is full. */
    static final class BusyException extends RuntimeException {
        BusyException(String message) {
            super(message);
        }
    }

    /** One job: its state and every event it reported, in order; followers wait for the next ones. */
    static final class Job {
        final String id;
        final String kind;
        /** The page token of the page that started the job: only that page sees, follows and cancels it. */
        final String owner;
        /** Pages following the job's event stream now. */
        final AtomicInteger followers = new AtomicInteger();
        private State state = State.QUEUED;
        private String cancelReason;
        private final List<String> events = new ArrayList<>();
        private volatile Thread runner;
        /** Given up on: past the time limit its work did not stop, and a new worker took over the queue. */
        private boolean abandoned;
        private volatile Runnable task;
        private long lastProgressNanos;

        /** What an event's text goes through before it is kept (the server takes its folders' paths out). */
        private final UnaryOperator<String> paths;

        Job(String id, String kind, String owner, UnaryOperator<String> paths) {
            this.paths = paths;
            this.id = id;
            this.kind = kind;
            this.owner = owner;
        }

        synchronized State state() {
            return state;
        }

        /** Reports one event: {@code type} and the fields of {@code body}. */
        void emit(String type, Map<String, ?> body) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", type);
            event.putAll(body);
            String json = paths.apply(ResultFormats.compactJson(event));
            synchronized (this) {
                events.add(json);
                notifyAll();
            }
        }

        /**
         * The events from index {@code from} on, waiting up to {@code millis} for one when there is none yet (an empty
         * list: none came). Each follower reads at its own pace; the job never waits for a follower.
         */
        synchronized List<String> await(int from, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (events.size() <= from) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) return List.of();
                wait(left);
            }
            return List.copyOf(events.subList(from, events.size()));
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }

        synchronized boolean ended() {
            return state == State.DONE || state == State.FAILED || state == State.CANCELLED;
        }

        /** Asks the job to stop: a queued job never starts, a running one stops at its next progress step. */
        synchronized void cancel(String reason) {
            if (ended() || cancelReason != null) return;
            cancelReason = reason;
        }

        synchronized String cancelReason() {
            return cancelReason;
        }

        private void checkCancelled() {
            String reason = cancelReason();
            if (reason != null) throw new CancellationException(reason);
        }

        private void end(State s, String message) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "end");
            body.put("state", s.name().toLowerCase(Locale.ROOT));
            if (message != null) body.put("message", message);
            synchronized (this) {
                if (ended()) return;
                state = s;
                events.add(ResultFormats.compactJson(body));
                notifyAll();
            }
        }
    }

    private final ThreadPoolExecutor worker;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "abacim-serve-watchdog"));
    private final Duration timeLimit;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    /** Jobs ever submitted (tests read it: a request that was refused started none). */
    private final AtomicLong submitted = new AtomicLong();
    /** Event-stream followers of all jobs now, and the caps: per job and in all. */
    private final AtomicInteger followers = new AtomicInteger();
    static final int FOLLOWERS_PER_JOB = 4;
    static final int FOLLOWERS = 16;
    private volatile Job running;
    /** What a job's last line goes through before a page sees it (the server takes its folders' paths out). */
    volatile UnaryOperator<String> scrub = s -> s;
    /** The same for a whole event (JSON on one line, every path in it). */
    volatile UnaryOperator<String> paths = s -> s;

    /**
     * The servers of this process (tests start several, one after another or side by side): one reporter is installed
     * while any runs, and it finds the job whose thread opened a stage.
     */
    private static final Set<Jobs> LIVE = new LinkedHashSet<>();
    private static Progress before;

    Jobs(int queueCapacity, Duration timeLimit) {
        this.timeLimit = timeLimit;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity),
                r -> daemon(r, "abacim-serve-job"));
        synchronized (LIVE) {
            if (LIVE.isEmpty()) before = Progress.install(Jobs::route);
            LIVE.add(this);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Queues {@code work} as a job of {@code kind} for no page in particular (tests). */
    Job submit(String kind, Work work) {
        return submit(kind, null, work);
    }

    /**
     * Queues {@code work} as a job of {@code kind} owned by the page whose token is {@code owner}, cancelling that
     * page's older jobs of that kind. Its id is 128 random bits (URL-safe base 64): not guessable from another's.
     */
    Job submit(String kind, String owner, Work work) {
        synchronized (jobs) {
            for (Job old : jobs.values()) {
                if (!old.kind.equals(kind) || !Objects.equals(old.owner, owner)) continue;
                old.cancel("replaced by a newer request");
                // A queued job leaves the queue at once: its place is the new job's.
                if (old.task != null && worker.remove(old.task)) old.end(State.CANCELLED, old.cancelReason());
            }
            Job job = new Job(Guard.random(16), kind, owner, paths);
            job.task = () -> run(job, work);
            try {
                worker.execute(job.task); // never blocks: a full queue refuses
            } catch (RejectedExecutionException e) {
                throw new BusyException("the server is busy: " + worker.getQueue().size() + " jobs are waiting; try "
                        + "again when one has finished");
            }
            jobs.put(job.id, job);
            submitted.incrementAndGet();
            // Only the newest jobs are kept to be followed; old ones are over.
            while (jobs.size() > 64) jobs.remove(jobs.keySet().iterator().next());
            return job;
        }
    }

    /** The job {@code id} if the page whose token is {@code owner} started it (another page's: none). */
    Optional<Job> find(String id, String owner) {
        synchronized (jobs) {
            Job job = jobs.get(id);
            return job != null && Objects.equals(job.owner, owner) ? Optional.of(job) : Optional.empty();
        }
    }

    /** Worker threads allowed now: 1, and one more for each job given up on whose work still runs. */
    int workers() {
        synchronized (worker) {
            return worker.getMaximumPoolSize();
        }
    }

    long submitted() {
        return submitted.get();
    }

    /**
     * Takes a follower's place on {@code job}'s event stream, false when the job or the server has as many as they
     * take; a follower that got one gives it back with {@link #unfollow}.
     */
    boolean follow(Job job) {
        if (followers.incrementAndGet() > FOLLOWERS) {
            followers.decrementAndGet();
            return false;
        }
        if (job.followers.incrementAndGet() > FOLLOWERS_PER_JOB) {
            job.followers.decrementAndGet();
            followers.decrementAndGet();
            return false;
        }
        return true;
    }

    void unfollow(Job job) {
        job.followers.decrementAndGet();
        followers.decrementAndGet();
    }

    private void run(Job job, Work work) {
        if (job.cancelReason() != null) {
            job.end(State.CANCELLED, job.cancelReason());
            return;
        }
        synchronized (job) {
            job.state = State.RUNNING;
        }
        job.runner = Thread.currentThread();
        running = job;
        ScheduledFuture<?> limit = watchdog.schedule(() -> job.cancel("stopped at the server's time limit of "
                + timeLimit.toSeconds() + " s"), timeLimit.toMillis(), TimeUnit.MILLISECONDS);
        // Work that reaches no progress step (stuck in a loop of its own) cannot be stopped; a grace period after the
        // limit, the job ends anyway and another worker takes the queue, so that later jobs still run.
        long grace = Math.min(60_000, Math.max(1_000, timeLimit.toMillis() / 10));
        ScheduledFuture<?> giveUp = watchdog.schedule(() -> abandon(job), timeLimit.toMillis() + grace, TimeUnit.MILLISECONDS);
        try {
            job.emit("start", Map.of());
            work.run(job);
            job.end(State.DONE, null);
        } catch (CancellationException e) {
            job.end(State.CANCELLED, job.cancelReason() != null ? job.cancelReason() : "cancelled");
        } catch (RuntimeException e) {
            if (job.cancelReason() != null) {
                // Stopped, and the work wrapped the stop in an exception of its own.
                job.end(State.CANCELLED, job.cancelReason());
                return;
            }
            // A refused value is the CLI's one line; anything else is a bug, printed on the server's console.
            String message = TeachingServer.refusal(e);
            if (message == null) {
                e.printStackTrace();
                message = "abacim: internal error: " + e;
            }
            job.end(State.FAILED, scrub.apply(message));
        } catch (Exception e) {
            job.end(State.FAILED, scrub.apply("abacim: " + e.getMessage()));
        } catch (Throwable e) {
            // An Error (a stack overflow, memory run out, a linkage error…) ends the job, not the worker: the thread
            // goes on to the next job. The server's console shows where it happened (a few frames: a stack
            // overflow's trace is a thousand lines of the same frame); the page gets one line.
            StringBuilder where = new StringBuilder("abacim serve: a job failed: " + e);
            StackTraceElement[] frames = e.getStackTrace();
            for (int i = 0; i < Math.min(8, frames.length); i++) where.append("\n\tat ").append(frames[i]);
            if (frames.length > 8) where.append("\n\t… ").append(frames.length - 8).append(" more frames");
            System.err.println(where);
            job.end(State.FAILED, scrub.apply("abacim: the job failed: " + (e instanceof OutOfMemoryError
                    ? "the server ran out of memory" : e instanceof StackOverflowError
                    ? "too deep a recursion (stack overflow)" : "internal error (" + e.getClass().getSimpleName() + ")")));
        } finally {
            limit.cancel(false);
            giveUp.cancel(false);
            if (running == job) running = null;
            job.runner = null;
            boolean wasAbandoned;
            synchronized (job) {
                wasAbandoned = job.abandoned;
            }
            if (wasAbandoned) {
                synchronized (worker) {
                    worker.setCorePoolSize(worker.getCorePoolSize() - 1);
                    worker.setMaximumPoolSize(worker.getMaximumPoolSize() - 1);
                }
            }
        }
    }

    /** Ends {@code job}, still running past its time limit and grace, and lets another worker take the queue. */
    private void abandon(Job job) {
        synchronized (job) {
            if (job.ended()) return;
            job.abandoned = true;
        }
        job.end(State.CANCELLED, "stopped at the server's time limit of " + timeLimit.toSeconds() + " s (its work did"
                + " not stop; it runs on in the background, and later jobs run beside it)");
        if (running == job) running = null;
        synchronized (worker) {
            worker.setMaximumPoolSize(worker.getMaximumPoolSize() + 1);
            worker.setCorePoolSize(worker.getCorePoolSize() + 1);
        }
    }

    /**
     * The process's progress reporter while the server runs: stages the running job opens on its own thread (and
     * steps from its worker threads) become its "progress" events, at most ten a second, and stop it once cancelled.
     * Stages opened elsewhere (a design point on a request thread) report nothing.
     */
    private static Progress.Stage route(String name, long total, long done, String unit) {
        List<Jobs> live;
        synchronized (LIVE) {
            live = List.copyOf(LIVE);
        }
        for (Jobs jobs : live) {
            Job job = jobs.running;
            if (job != null && job.runner == Thread.currentThread()) return stage(job, name, total, done, unit);
        }
        return Progress.NONE.stage(name, total, done, unit);
    }

    private static Progress.Stage stage(Job job, String name, long total, long done, String unit) {
        job.checkCancelled();
        long opened = System.nanoTime();
        return new Progress.Stage() {
            private final AtomicLong count = new AtomicLong(done);
            private volatile String note = "";

            @Override
            public void step() {
                job.checkCancelled();
                report(count.incrementAndGet() == total);
            }

            @Override
            public void note(String text) {
                job.checkCancelled();
                note = text;
                report(false);
            }

            private void report(boolean last) {
                long now = System.nanoTime();
                synchronized (job) {
                    if (!last && now - job.lastProgressNanos < 100_000_000L) return;
                    job.lastProgressNanos = now;
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("stage", name);
                body.put("done", count.get());
                body.put("total", total);
                body.put("unit", unit);
                body.put("note", note);
                // Time so far in this stage, and the time left at the rate of the steps done in it (none yet: null).
                double elapsed = (now - opened) / 1e9;
                long stepped = count.get() - done;
                body.put("elapsed_s", elapsed);
                body.put("eta_s", stepped > 0 ? elapsed / stepped * Math.max(0, total - count.get()) : null);
                job.emit("progress", body);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public void close() {
        synchronized (jobs) {
            jobs.values().forEach(j -> j.cancel("the server stopped"));
        }
        worker.shutdownNow();
        watchdog.shutdownNow();
        synchronized (LIVE) {
            if (LIVE.remove(this) && LIVE.isEmpty()) Progress.install(before);
        }
    }
}
