package org.abacim.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.abacim.core.data.DataException;
import org.abacim.core.data.Dataset;
import org.abacim.core.data.Datasets;
import org.abacim.core.network.Network;
import org.abacim.core.blas.Gemm;
import org.abacim.core.train.TrainConfig;

/**
 * Where trained and compressed models are cached, and the keys that make a cached model never go stale silently:
 * a key is the SHA-256 of the content of everything that decides the model (the data set's images and labels, the
 * model file's bytes, the config after defaults) and of {@link #FORMAT_VERSION}.
 *
 * <p>The folder is the system property {@code abacim.modelCache}, else {@code $ABACIM_MODEL_CACHE}, else
 * {@code models/} in the data cache. Tests set the property to a folder of their own, never the user's. With the
 * cache off ({@code --no-cache}) models are made in a temporary folder that is removed when the JVM exits.
 */
public final class ModelCache {
    /**
     * Bump when training or compression code changes what it produces for the same inputs. 2: subsets and
     * quantization-aware calibration images became seeded, class-stratified draws. 3: OpenBLAS's kernels pinned (the
     * kernel in use is part of every key too: a model trained unpinned is not taken for a pinned one).
     */
    public static final int FORMAT_VERSION = 3;

    private static volatile boolean enabled = true;
    private static volatile Path temporary;
    private static final Map<Dataset, String> DATA_DIGESTS = Collections.synchronizedMap(new IdentityHashMap<>());

    private ModelCache() {}

    /** Turns the cache on or off for this process (the commands' {@code --no-cache}). */
    public static void enable(boolean on) {
        enabled = on;
    }

    public static boolean enabled() {
        return enabled;
    }

    /** The folder cached models are read from and written to. */
    public static Path directory() {
        if (!enabled) return temporaryDirectory();
        String property = System.getProperty("abacim.modelCache");
        if (property != null && !property.isBlank()) return Path.of(property);
        for (String variable : new String[] {"ABACIM_MODEL_CACHE", "IMCSIM_MODEL_CACHE"}) { // the old name, one release
            String env = System.getenv(variable);
            if (env != null && !env.isBlank()) return Path.of(env);
        }
        return Datasets.directory().resolve("models");
    }

    private static synchronized Path temporaryDirectory() {
        if (temporary == null) {
            try {
                temporary = Files.createTempDirectory("abacim-models-");
            } catch (IOException e) {
                throw new DataException("cannot make a temporary folder for models (--no-cache): " + e.getMessage());
            }
            Path dir = temporary;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        }
        return temporary;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: the folder is under the system's temporary folder.
        }
    }

    /** A key builder: parts are added in order, each length-prefixed so that no two sequences collide. */
    public static final class Key {
        private final MessageDigest digest = sha256();

        public Key() {
            text("abacim-model-format").number(FORMAT_VERSION).text(Gemm.kernel());
        }

        public Key text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            number(b.length);
            digest.update(b);
            return this;
        }

        public Key number(long v) {
            digest.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            return this;
        }

        /** A config tree after defaults, in a canonical form (keys sorted). */
        public Key config(JsonNode tree) {
            return text(canonical(tree));
        }

        /** A network's structure: every layer with its settings and output shape, in order. */
        public Key network(Network net) {
            for (Network.Node node : net.nodes()) text(node.layer().toString()).text(node.outputShape().toString());
            return this;
        }

        /** Training settings that decide the weights (not the thread count: training is the same on any). */
        public Key training(TrainConfig c) {
            if (c.schedule() != TrainConfig.LearningRateSchedule.CONSTANT) text(c.schedule().name());
            return number(c.epochs()).number(c.batchSize()).text(c.optimizer().name()).text(Double.toString(c.learningRate()))
                    .text(Double.toString(c.momentum())).text(Double.toString(c.weightDecay())).number(c.seed())
                    .number(c.activationBits()).text(Double.toString(c.noiseLsb())).number(c.noiseRows())
                    .number(c.distillation() == null ? 0 : 1);
        }

        /** The bytes of a file. */
        public Key file(Path p) {
            try (InputStream in = Files.newInputStream(p)) {
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                for (int n; (n = in.read(buffer)) > 0; total += n) digest.update(buffer, 0, n);
                return number(total);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The content of a data set split: its images and labels (digested once per loaded split). */
        public Key data(Dataset d) {
            return text(DATA_DIGESTS.computeIfAbsent(d, ModelCache::digest));
        }

        /** The first 16 hex digits: the file-name part of a cache entry. */
        public String hex() {
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        }
    }

    private static String digest(Dataset d) {
        MessageDigest m = sha256();
        ByteBuffer b = ByteBuffer.allocate((int) (4 * Math.max(1, d.shape().elements()))).order(ByteOrder.LITTLE_ENDIAN);
        m.update(d.name().getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < d.size(); i++) {
            b.clear();
            for (float v : d.images()[i]) b.putFloat(v);
            m.update(b.array(), 0, b.position());
            m.update((byte) d.labels()[i]);
            m.update((byte) (d.labels()[i] >>> 8));
        }
        return HexFormat.of().formatHex(m.digest());
    }

    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private static String canonical(JsonNode tree) {
        try {
            Object plain = CANONICAL.treeToValue(tree, Object.class);
            return CANONICAL.writeValueAsString(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Locks per cache entry, so that two threads of one run make an entry once. */
    static final ConcurrentHashMap<String, Object> LOCKS = new ConcurrentHashMap<>();
}
