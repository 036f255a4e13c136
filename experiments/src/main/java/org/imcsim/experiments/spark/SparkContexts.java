package org.imcsim.experiments.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark context IMCSim's engines run on: the master a user names ({@code --master}), else the one
 * {@code spark-submit} set, else Spark embedded in this JVM on every core ({@code local[*]}). Quiet by default:
 * Spark's own log at ERROR ({@code -Dimcsim.spark.logLevel=WARN} shows more), no console progress bar and no web
 * UI (IMCSim reports its own progress: points or trials done).
 */
public final class SparkContexts {
    private SparkContexts() {}

    /** Whether Spark's classes are on the class path (the plain {@code imcsim.jar} leaves them out). */
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
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel(System.getProperty("imcsim.spark.logLevel", "ERROR"));
        return sc;
    }

    private static void quietLogging() {
        // Spark replaces log4j's default configuration with its own (INFO, every service it starts); a configuration
        // of IMCSim's, named before log4j starts, stands instead, unless the user named one.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "org/imcsim/experiments/spark/log4j2-quiet.properties");
        }
    }
}
