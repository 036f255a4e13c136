package org.abacim.experiments.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abacim.core.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs end whatever happens in them (issue #29): an Error ends its job as failed with one line and the next job still
 * runs, the time limit still holds; job ids are unguessable, a page sees only its own jobs, and the followers of the
 * event streams are bounded.
 */
class TeachingServerJobFailuresTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Jobs.Job ended(Jobs.Job job) throws InterruptedException {
        for (int i = 0; i < 3000 && !job.ended(); i++) Thread.sleep(10);
        assertThat(job.ended()).as("job %s ended", job.kind).isTrue();
        return job;
    }

    private static JsonNode last(Jobs.Job job) throws Exception {
        List<String> events = job.events();
        return JSON.readTree(events.get(events.size() - 1));
    }

    private static int deep(int n) {
        return deep(n + 1) + 1;
    }

    @Test
    void anErrorInAJobFailsItWithOneLineAndLaterJobsStillRunWithinTheTimeLimit() throws Exception {
        try (Jobs jobs = new Jobs(8, Duration.ofSeconds(1))) {
            Set<Thread> workers = new HashSet<>();
            Jobs.Job overflow = jobs.submit("a", j -> {
                workers.add(Thread.currentThread());
                deep(0);
            });
            Jobs.Job memory = jobs.submit("b", j -> {
                throw new OutOfMemoryError("Java heap space");
            });
            Jobs.Job linkage = jobs.submit("c", j -> {
                throw new NoClassDefFoundError("org/example/Missing");
            });
            // A job stuck in its steps after those: the time limit still stops it.
            Jobs.Job stuck = jobs.submit("d", j -> {
                try (Progress.Stage s = Progress.start("steps", 1_000_000, "steps")) {
                    while (true) {
                        Thread.sleep(5);
                        s.step();
                    }
                }
            });
            Jobs.Job fine = jobs.submit("e", j -> {
                workers.add(Thread.currentThread());
                j.emit("result", Map.of("answer", 42));
            });
            assertThat(last(ended(overflow)).path("message").asText())
                    .isEqualTo("abacim: the job failed: too deep a recursion (stack overflow)");
            assertThat(last(ended(memory)).path("message").asText()).isEqualTo("abacim: the job failed: the server ran out of memory");
            assertThat(last(ended(linkage)).path("message").asText())
                    .isEqualTo("abacim: the job failed: internal error (NoClassDefFoundError)");
            for (Jobs.Job j : List.of(overflow, memory, linkage)) assertThat(j.state()).isEqualTo(Jobs.State.FAILED);
            assertThat(last(ended(stuck)).path("message").asText()).isEqualTo("stopped at the server's time limit of 1 s");
            assertThat(ended(fine).state()).isEqualTo(Jobs.State.DONE);
            assertThat(JSON.readTree(fine.events().get(1)).path("answer").asInt()).isEqualTo(42);
            assertThat(workers).hasSize(1); // the same worker thread ran the first job and the last
        }
    }

    static volatile boolean release;

    @Test
    void aJobThatReachesNoStepEndsAfterTheTimeLimitAndLaterJobsStillRun() throws Exception {
        release = false;
        try (Jobs jobs = new Jobs(4, Duration.ofSeconds(1))) {
            Jobs.Job stuck = jobs.submit("stuck", j -> {
                while (!release) Thread.sleep(10); // no progress step: cancelling it does nothing
            });
            Jobs.Job after = jobs.submit("after", j -> j.emit("result", Map.of("ok", true)));
            long t0 = System.nanoTime();
            assertThat(last(ended(stuck)).path("message").asText()).isEqualTo("stopped at the server's time limit of 1 s"
                    + " (its work did not stop; it runs on in the background, and later jobs run beside it)");
            assertThat(ended(after).state()).isEqualTo(Jobs.State.DONE);
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
            assertThat(jobs.workers()).isEqualTo(2);
            // When the stuck work finally returns, the server is back to one worker and runs jobs as before.
            release = true;
            for (int i = 0; i < 500 && jobs.workers() != 1; i++) Thread.sleep(10);
            assertThat(jobs.workers()).isEqualTo(1);
            assertThat(ended(jobs.submit("again", j -> {})).state()).isEqualTo(Jobs.State.DONE);
        } finally {
            release = true;
        }
    }

    @Test
    void jobIdsAreRandomAndAPageFindsOnlyItsOwnJobsAndFollowersAreBounded() throws Exception {
        try (Jobs jobs = new Jobs(32, Duration.ofSeconds(30))) {
            Set<String> ids = new HashSet<>();
            Jobs.Job first = null;
            for (int i = 0; i < 20; i++) {
                Jobs.Job job = jobs.submit("k" + i, "page-a", j -> Thread.sleep(20_000));
                assertThat(job.id).matches("[A-Za-z0-9_-]{22}"); // 128 bits, URL-safe
                ids.add(job.id);
                if (first == null) first = job;
            }
            assertThat(ids).hasSize(20);
            assertThat(jobs.find(first.id, "page-a")).contains(first);
            assertThat(jobs.find(first.id, "page-b")).isEmpty();
            assertThat(jobs.find(first.id, null)).isEmpty();
            // A newer job of a kind replaces only the same page's older one.
            Jobs.Job other = jobs.submit("k1", "page-b", j -> {});
            assertThat(jobs.find(other.id, "page-b")).isPresent();
            // Followers: 4 per job, 16 in all.
            for (int i = 0; i < Jobs.FOLLOWERS_PER_JOB; i++) assertThat(jobs.follow(first)).isTrue();
            assertThat(jobs.follow(first)).isFalse();
            jobs.unfollow(first);
            assertThat(jobs.follow(first)).isTrue();
            int taken = Jobs.FOLLOWERS_PER_JOB;
            for (String id : ids) {
                Jobs.Job job = jobs.find(id, "page-a").orElseThrow();
                if (job == first) continue;
                for (int i = 0; i < 3 && taken < Jobs.FOLLOWERS; i++, taken++) assertThat(jobs.follow(job)).isTrue();
            }
            assertThat(taken).isEqualTo(Jobs.FOLLOWERS);
            assertThat(jobs.follow(other)).isFalse(); // a job with none, but the server has its 16
        }
    }

    @Test
    void overHttpAnotherPageNeitherSeesNorCancelsNorFollowsAJob() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.abacim.core.data.Datasets.available("mnist"),
                "MNIST not fetched (scripts/fetch-data mnist)");
        Javalin server = TeachingServer.start("127.0.0.1", 0, new TeachingServer.Limits(4, Duration.ofMinutes(1), 1, dir));
        try {
            PageClient mine = new PageClient(server.port());
            PageClient theirs = new PageClient(server.port());
            // A job that fails at once (more test images than MNIST has), after it was accepted.
            String query = "/api/jobs/accuracy?preset=isaac&network=lenet5&set="
                    + URLEncoder.encode("accuracy.dataset=mnist", StandardCharsets.UTF_8) + "&set="
                    + URLEncoder.encode("accuracy.samples=900000", StandardCharsets.UTF_8);
            HttpResponse<String> started = mine.send("POST", query, null);
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String id = JSON.readTree(started.body()).path("id").asText();
            assertThat(id).matches("[A-Za-z0-9_-]{22}");
            HttpResponse<String> seen = theirs.send("GET", "/api/jobs/" + id, null);
            assertThat(seen.statusCode()).isEqualTo(404);
            assertThat(seen.body()).isEqualTo("abacim: no job \"" + id + "\" of this page (jobs are kept while the server"
                    + " runs, the newest 64)");
            assertThat(theirs.send("DELETE", "/api/jobs/" + id, null).statusCode()).isEqualTo(404);
            assertThat(theirs.send("GET", "/api/jobs/" + id + "/events", null).statusCode()).isEqualTo(404);
            assertThat(PageClient.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + server.port() + "/api/jobs/" + id)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            // Its own page sees it end, with the CLI's line.
            JsonNode job = null;
            for (int i = 0; i < 600; i++) {
                job = JSON.readTree(mine.send("GET", "/api/jobs/" + id, null).body());
                if (job.path("state").asText().equals("failed")) break;
                Thread.sleep(50);
            }
            assertThat(job.path("state").asText()).isEqualTo("failed");
            JsonNode end = job.path("events").get(job.path("events").size() - 1);
            assertThat(end.path("message").asText()).startsWith("abacim: ").contains("accuracy.samples")
                    .doesNotContain(dir.toString());
            // Its followers are bounded: with the job's places taken, one more is 429 and one line.
            Jobs jobs = TeachingServer.jobs(server);
            Jobs.Job taken = jobs.find(id, mine.token).orElseThrow();
            for (int i = 0; i < Jobs.FOLLOWERS_PER_JOB; i++) assertThat(jobs.follow(taken)).isTrue();
            HttpResponse<String> many = mine.send("GET", "/api/jobs/" + id + "/events", null);
            assertThat(many.statusCode()).isEqualTo(429);
            assertThat(many.body()).isEqualTo("abacim: too many pages follow this job or this server's jobs (at most 4 per"
                    + " job, 16 in all); close one and try again");
            for (int i = 0; i < Jobs.FOLLOWERS_PER_JOB; i++) jobs.unfollow(taken);
            HttpResponse<String> events = mine.send("GET", "/api/jobs/" + id + "/events?token=" + mine.token, null);
            assertThat(events.statusCode()).isEqualTo(200);
            assertThat(events.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            assertThat(events.body()).startsWith("data: {\"type\":\"start\"").contains("\"state\":\"failed\"");
        } finally {
            server.stop();
        }
    }
}
