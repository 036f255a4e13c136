package org.abacim.experiments.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on this machine: a master and two workers, each a JVM of its own on 127.0.0.1,
 * started from the Maven-resolved Spark jars on the test's class path (no Spark distribution is downloaded); the
 * workers start executor JVMs of their own. A sweep and a Monte-Carlo run through them give the bytes the
 * in-process engine gives.
 */
class SparkStandaloneClusterTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) // a failed run leaves the cluster's logs
    Path dir;

    /** JVM options Spark needs on Java 17 (the list the test JVM itself runs with, from the build). */
    static final String JAVA_OPTIONS = String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean()
            .getInputArguments().stream().filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect")
                    || a.startsWith("-Dio.netty")).toList());

    @Test
    void aSweepAndAMonteCarloRunOnAMasterAndTwoWorkerProcessesGiveTheBytesOfTheThreadEngine() throws Exception {
        Files.writeString(dir.resolve("spark.yaml"), SparkSweepTest.SWEEP);
        org.abacim.experiments.cli.Cli reference = org.abacim.experiments.cli.Cli.run("sweep", dir.resolve("spark.yaml").toString(), "--out",
                dir.resolve("threads").toString(), "--threads", "2");
        assertThat(reference.code()).as(reference.err()).isZero();
        boolean mnist = org.abacim.core.data.Datasets.available("mnist");
        Files.writeString(dir.resolve("acc.yaml"), SparkMonteCarloTest.CONFIG);
        org.abacim.experiments.cli.Cli trialsHere = mnist ? org.abacim.experiments.cli.Cli.run("run", dir.resolve("acc.yaml").toString(), "--format", "json") : null;
        if (mnist) assertThat(trialsHere.code()).as(trialsHere.err()).isZero();

        // Workers build executor class paths from SPARK_HOME/jars; the executors get everything from
        // spark.executor.extraClassPath instead, so an empty jars folder marked as a release is enough.
        Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(sparkHome.resolve("jars"));
        Files.writeString(sparkHome.resolve("RELEASE"), "Spark from the Maven-resolved jars of abacim's build\n");
        int port = freePort(), ui = freePort();
        List<Process> cluster = new ArrayList<>();
        try {
            cluster.add(java(sparkHome, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(port), "--webui-port", Integer.toString(ui)));
            for (int w = 1; w <= 2; w++) {
                cluster.add(java(sparkHome, "worker" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", "1", "--memory", "1g", "--webui-port", Integer.toString(freePort()),
                        "--work-dir", Files.createDirectories(dir.resolve("work" + w)).toString(),
                        "spark://127.0.0.1:" + port));
            }
            awaitWorkers(ui, 2);
            Map<String, String> conf = Map.of(
                    "spark.driver.host", "127.0.0.1",
                    "spark.driver.bindAddress", "127.0.0.1",
                    "spark.executor.extraClassPath", System.getProperty("java.class.path"),
                    "spark.executor.extraJavaOptions", JAVA_OPTIONS,
                    "spark.executor.memory", "768m",
                    "spark.cores.max", "2");
            conf.forEach(System::setProperty);
            org.abacim.experiments.cli.Cli onCluster;
            org.abacim.experiments.cli.Cli trialsOnCluster = null;
            try {
                onCluster = org.abacim.experiments.cli.Cli.run("sweep", dir.resolve("spark.yaml").toString(), "--out",
                        dir.resolve("cluster").toString(), "--backend", "spark", "--master", "spark://127.0.0.1:" + port,
                        "--points-per-task", "9");
                if (mnist) {
                    trialsOnCluster = org.abacim.experiments.cli.Cli.run("run", dir.resolve("acc.yaml").toString(), "--format", "json",
                            "--backend", "spark", "--master", "spark://127.0.0.1:" + port);
                }
            } finally {
                conf.keySet().forEach(System::clearProperty);
            }
            assertThat(onCluster.code()).as(onCluster.err()).isZero();
            if (mnist) {
                assertThat(trialsOnCluster.code()).as(trialsOnCluster.err()).isZero();
                assertThat(trialsOnCluster.out()).isEqualTo(trialsHere.out());
            }
            for (String f : SparkSweepTest.FILES) {
                assertThat(Files.readString(dir.resolve("cluster").resolve(f))).as(f)
                        .isEqualTo(Files.readString(dir.resolve("threads").resolve(f)));
            }
            // The executors ran in the workers' JVMs, not in this one: each worker logged an executor of the app.
            try (var apps = Files.walk(dir.resolve("work1"))) {
                assertThat(apps.anyMatch(p -> p.getFileName().toString().equals("stderr"))).isTrue();
            }
        } finally {
            for (Process p : cluster) p.destroyForcibly();
            for (Process p : cluster) p.waitFor();
        }
    }

    private Process java(Path sparkHome, String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        command.addAll(List.of(JAVA_OPTIONS.split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.13"); // a build's layout is not there to tell it
        return pb.start();
    }

    /** Polls the master's JSON page until {@code n} workers are alive (at most 240 polls, a readiness wait). */
    private void awaitWorkers(int uiPort, int n) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String last = "";
        for (int polls = 0; polls < 240; polls++) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (last.contains("\"aliveworkers\" : " + n) || last.contains("\"aliveworkers\":" + n)) return;
            } catch (IOException notYet) {
                // the master is still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the cluster did not come up with " + n + " workers; master said: " + last
                + "\nmaster log:\n" + Files.readString(dir.resolve("master.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
