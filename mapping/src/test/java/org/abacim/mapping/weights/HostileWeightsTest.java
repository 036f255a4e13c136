package org.abacim.mapping.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.abacim.core.data.DataException;
import org.abacim.core.network.NetworkZoo;
import org.abacim.core.tensor.Tensor;
import org.abacim.core.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weight maps and archives that lie (issue #29): manifests naming files outside their folder, archives too large. */
class HostileWeightsTest {
    @TempDir
    Path dir;

    private Path manifest(String name, String weights) throws Exception {
        Npz.write(dir.resolve("w.npz"), Map.of("x", Tensor.zeros(2)));
        Path m = dir.resolve(name);
        Files.writeString(m, "{\"format\": \"abacim-weights/1\", \"network\": \"lenet5\", \"weights\": " + weights + "}");
        return m;
    }

    @Test
    void aWeightsPathLeavingTheManifestsFolderIsRefusedNotFollowed() throws Exception {
        Path outside = Files.createTempDirectory("abacim-outside");
        try {
            Npz.write(outside.resolve("x.npz"), Map.of("x", Tensor.zeros(2)));
            Path sub = Files.createDirectories(dir.resolve("models"));
            Files.copy(outside.resolve("x.npz"), dir.resolve("x.npz"));
            for (String weights : List.of("\"../x.npz\"", "\"" + outside.resolve("x.npz") + "\"", "\"a/../../x.npz\"")) {
                Path m = sub.resolve("m.json");
                Files.writeString(m, "{\"format\": \"abacim-weights/1\", \"network\": \"lenet5\", \"weights\": " + weights + "}");
                assertThatThrownBy(() -> WeightMap.read(m)).isInstanceOf(DataException.class)
                        .hasMessageContaining(m + ": \"weights\" = ").hasMessageContaining("leaves the manifest's folder");
            }
            Files.createSymbolicLink(sub.resolve("link.npz"), outside.resolve("x.npz"));
            Path m = sub.resolve("m.json");
            Files.writeString(m, "{\"format\": \"abacim-weights/1\", \"network\": \"lenet5\", \"weights\": \"link.npz\"}");
            assertThatThrownBy(() -> WeightMap.read(m)).isInstanceOf(DataException.class)
                    .hasMessageContaining("\"weights\" = \"link.npz\" is a link to")
                    .hasMessageContaining("outside the manifest's folder");
            // A link that stays inside the folder is followed.
            Files.copy(outside.resolve("x.npz"), sub.resolve("real.npz"));
            Files.createSymbolicLink(sub.resolve("inside.npz"), sub.resolve("real.npz"));
            Files.writeString(m, "{\"format\": \"abacim-weights/1\", \"network\": \"lenet5\", \"weights\": \"inside.npz\"}");
            assertThat(WeightMap.read(m).tensors()).containsKey("x");
        } finally {
            try (var all = Files.walk(outside)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aManifestNamingItselfAsItsWeightsOrANonTextIsRefused() throws Exception {
        Path m = manifest("self.json", "\"self.json\"");
        assertThatThrownBy(() -> WeightMap.read(m)).isInstanceOf(DataException.class)
                .hasMessageContaining("names the manifest itself");
        Path n = manifest("n.json", "{\"file\": \"w.npz\"}");
        assertThatThrownBy(() -> WeightMap.read(n)).isInstanceOf(DataException.class)
                .hasMessageContaining("\"weights\" = {\"file\":\"w.npz\"}: expected the name of a .npz file");
        Path ok = manifest("ok.json", "\"w.npz\"");
        assertThat(WeightMap.read(ok).tensors()).containsKey("x");
    }

    @Test
    void aSavedModelStillLoads() {
        var net = Trainer.initialize(NetworkZoo.lenet5(), 1);
        Path m = WeightMap.write(net, "lenet5", dir.resolve("sub").resolve("l.npz"), null);
        assertThat(WeightMap.read(m).tensors()).hasSize(10);
    }

    // ---- Archives whose tensors together exceed the budget ----

    @Test
    void tensorsThatTogetherExceedTheBudgetAreRefusedBeforeAnyIsInflated() throws Exception {
        // Each tensor alone fits the per-tensor cap (a quarter of the heap); four of them do not fit it together.
        long budget = Runtime.getRuntime().maxMemory() / 4;
        long each = (long) (budget * 0.4) / Float.BYTES;
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long[] declared = new long[4];
        for (int i = 0; i < 4; i++) {
            byte[] h = org.abacim.core.data.CraftedArchives.npyHeader(each);
            entries.put("t" + i + ".npy", h);
            declared[i] = h.length + each * Float.BYTES; // an honest directory: only the data is missing
        }
        Path npz = dir.resolve("bomb.npz");
        Files.write(npz, org.abacim.core.data.CraftedArchives.zip(entries, declared));
        assertThatThrownBy(() -> Npz.read(npz)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(npz + ": its 4 tensors declare shapes needing ")
                .hasMessageContaining("together (the largest t0.npy (" + each + ",))")
                .hasMessageContaining("more than a quarter of the").hasMessageNotContaining("\n");
    }

    @Test
    void aCentralDirectoryDeclaringMoreThanFitsIsRefusedBeforeReadingHeaders() throws Exception {
        long budget = Runtime.getRuntime().maxMemory() / 4;
        int n = (int) Math.min(60_000, 2 * budget / 0xF000_0000L + 2);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long[] declared = new long[n];
        for (int i = 0; i < n; i++) {
            entries.put("t" + i + ".npy", org.abacim.core.data.CraftedArchives.npyHeader(1));
            declared[i] = 0xF000_0000L;
        }
        Path npz = dir.resolve("declared.npz");
        Files.write(npz, org.abacim.core.data.CraftedArchives.zip(entries, declared));
        assertThatThrownBy(() -> Npz.read(npz)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(npz + ": its " + n + " .npy entries declare ")
                .hasMessageContaining("of uncompressed data");
    }

    @Test
    void anEntryIsNotReadBeyondTheSizeItsDirectoryDeclares() throws Exception {
        byte[] full = org.abacim.core.data.Npy.write(new Tensor(new int[] {1000}, new float[1000]));
        Path npz = dir.resolve("under.npz");
        // The directory says the entry is only its header plus 10 values: the reader stops there.
        Files.write(npz, org.abacim.core.data.CraftedArchives.zip(Map.of("x.npy", full), new long[] {full.length - 4 * 990}));
        assertThatThrownBy(() -> Npz.read(npz)).isInstanceOf(DataException.class)
                .hasMessageContaining(npz + ":x.npy: truncated");
        Files.write(npz, org.abacim.core.data.CraftedArchives.zip(Map.of("x.npy", full), new long[] {full.length}));
        assertThat(Npz.read(npz).get("x").size()).isEqualTo(1000);
    }
}
