package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abacim.core.api.DesignPoint;
import org.junit.jupiter.api.Test;

/** The API example of docs/api.md, compiled and run with the model and one technology on the class path. */
class IsaacCostTest {

    /** The API's result is the CLI's, byte for byte: `abacim run --preset isaac --network vgg16 --format json`. */
    @Test
    void theApiGivesTheCliResult() throws Exception {
        String golden = Files.readString(Path.of(System.getProperty("golden")), StandardCharsets.UTF_8);
        String json = DesignPoint.load(null, "isaac", "vgg16", List.of()).evaluate().toJson();
        assertEquals(golden, "0\n" + json); // the golden file starts with the CLI's exit code
    }

    @Test
    void theExampleRunsAndPrintsItsFigures() {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            IsaacCost.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("isaac × vgg16 with 6-bit ADCs: "), printed);
        assertTrue(printed.contains(" mJ per inference"), printed);
    }

    /** Neither the runtime (BLAS, data sets) nor the CLI came with the two dependencies. */
    @Test
    void nothingButTheModelAndTheTechnology() {
        for (String absent : List.of("org.abacim.core.blas.Gemm", "org.abacim.core.exec.FloatEngine",
                "org.bytedeco.openblas.global.openblas_nolapack", "picocli.CommandLine",
                "org.abacim.mapping.onnx.OnnxImporter", "org.abacim.experiments.cli.Abacim")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(absent), absent);
        }
    }
}
