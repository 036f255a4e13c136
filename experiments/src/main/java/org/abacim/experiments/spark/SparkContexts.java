package org.abacim.experiments.spark;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.abacim.core.config.ConfigException;
import org.abacim.core.config.SourceLocation;

/**
 * The Spark context abacim's Spark backend runs on: the master a user names ({@code --master}), else the one
 * {@code spark-submit} set, else Spark embedded in this JVM on every core ({@code local[*]}). Quiet by default:
 * Spark's own log at ERROR ({@code -Dabacim.spark.logLevel=WARN} shows more), no console progress bar and no web
 * UI (abacim reports its own progress: points or trials done).
 */
public final class SparkContexts {
    private SparkContexts() {}

    /** Whether Spark's classes are on the class path (the plain {@code abacim.jar} leaves them out). */
    public static boolean available() {
        try {
            Class.forName("org.apache.spark.SparkConf", false, SparkContexts.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    public static JavaSparkContext start(String master, String appName) {
        quietLogging();
        SparkConf conf = new SparkConf().setAppName(appName)
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        if (master != null) conf.setMaster(master);
        else conf.setIfMissing("spark.master", "local[*]");
        String url = conf.get("spark.master");
        String option = master != null ? "--master " + master : "spark.master " + url;
        JavaSparkContext sc = url.startsWith("spark://") ? startOnStandalone(conf, url, option) : new JavaSparkContext(conf);
        sc.setLogLevel(System.getProperty("abacim.spark.logLevel", "ERROR"));
        return sc;
    }

    /** How long a master address may take to accept a connection (a closed port refuses at once). */
    public static final int CONNECT_TIMEOUT_MS = 5_000;

    /** How long a standalone master may take to accept the application, unless -Dabacim.spark.registrationTimeout says. */
    public static final int REGISTRATION_TIMEOUT_S = 30;

    /**
     * A context on a standalone cluster, with bounded waits. Spark's own client retries an unreachable master for a
     * fixed 3 × 20 s and then fails with a stack trace; instead, every master address is first connected to (at most
     * {@link #CONNECT_TIMEOUT_MS} each: a closed port answers at once), and the context is started in a thread of its
     * own that is given at most {@code abacim.spark.registrationTimeout} seconds (default
     * {@link #REGISTRATION_TIMEOUT_S}) to register with a master that does answer. Either failure is one line. A
     * context that comes up after the deadline is stopped by its thread.
     */
    /**
     * Refuses in one line a {@code spark://} master none of whose addresses accepts a connection (each given at most
     * {@link #CONNECT_TIMEOUT_MS}; a closed port refuses at once). Other masters pass. Loads no Spark class, so a
     * command can call it first, before any work (a run trains its model before Spark starts).
     */
    public static void probe(String url, String option) {
        if (!url.startsWith("spark://")) return;
        List<String> refused = new ArrayList<>();
        for (String address : url.substring("spark://".length()).split(",")) {
            int colon = address.lastIndexOf(':');
            String host = address.substring(0, colon).replaceAll("^\\[|\\]$", "");
            int port = Integer.parseInt(address.substring(colon + 1));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                return;
            } catch (IOException | IllegalArgumentException e) {
                refused.add(address + " (" + reason(e) + ")");
            }
        }
        throw ConfigException.inSource(SourceLocation.of(option), "no Spark master answers at "
                + String.join(", ", refused) + "; start the master, or check its host and port");
    }

    private static JavaSparkContext startOnStandalone(SparkConf conf, String url, String option) {
        SourceLocation where = SourceLocation.of(option);
        probe(url, option);
        int seconds = Integer.getInteger("abacim.spark.registrationTimeout", REGISTRATION_TIMEOUT_S);
        CompletableFuture<JavaSparkContext> started = new CompletableFuture<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        Thread starter = new Thread(() -> {
            try {
                JavaSparkContext sc = new JavaSparkContext(conf);
                synchronized (abandoned) {
                    if (abandoned.get()) sc.stop();
                    else started.complete(sc);
                }
            } catch (Throwable t) {
                started.completeExceptionally(t);
            }
        }, "abacim-spark-start");
        starter.setDaemon(true);
        starter.start();
        try {
            return started.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            synchronized (abandoned) {
                abandoned.set(true);
                JavaSparkContext late = started.getNow(null);
                if (late != null) return late;
            }
            throw ConfigException.inSource(where, "the master at " + url.substring("spark://".length())
                    + " accepts connections but did not take the application within " + seconds + " s (is it a Spark "
                    + "master of a compatible version? -Dabacim.spark.registrationTimeout=SECONDS waits longer)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw ConfigException.inSource(where, "Spark could not start on this master: "
                    + String.valueOf(cause.getMessage()).lines().findFirst().orElse(cause.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned.set(true);
            throw new IllegalStateException("interrupted while starting Spark", e);
        }
    }

    private static String reason(Exception e) {
        if (e instanceof ConnectException) return "connection refused";
        if (e instanceof SocketTimeoutException) return "no answer within " + CONNECT_TIMEOUT_MS / 1000 + " s";
        if (e instanceof UnknownHostException) return "unknown host";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void quietLogging() {
        // Spark replaces log4j's default configuration with its own (INFO, every service it starts); a configuration
        // of abacim's, named before log4j starts, stands instead, unless the user named one.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "org/abacim/experiments/spark/log4j2-quiet.properties");
        }
    }
}
