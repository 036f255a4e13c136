package org.abacim.experiments;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whiteboard of docs/architecture.md as tests, on the compiled main classes of every module: who may import
 * whom, and which third-party library each part may touch. Maven already refuses an import of a module that is not
 * a declared dependency; these rules hold the lines Maven cannot see (packages inside a module, test-scope
 * dependencies, libraries that arrive transitively).
 */
class ArchitectureRulesTest {

    /** The hardware model (sim-core/model): what a design costs. */
    static final String[] MODEL = {"org.abacim.core.units..", "org.abacim.core.io..", "org.abacim.core.config..",
            "org.abacim.core.arch..", "org.abacim.core.estimate..", "org.abacim.core.macro..",
            "org.abacim.core.periphery..", "org.abacim.core.placement..", "org.abacim.core.result..",
            "org.abacim.core.cost..", "org.abacim.core.network..", "org.abacim.core.tech..",
            "org.abacim.core.analog..", "org.abacim.core.tensor..", "org.abacim.core.placer..", "org.abacim.core.api.."};

    /** The neural-network runtime (sim-core/runtime): matrix products, data sets, executors, training, accuracy. */
    static final String[] RUNTIME = {"org.abacim.core.blas..", "org.abacim.core.data..", "org.abacim.core.exec..",
            "org.abacim.core.train..", "org.abacim.core.accuracy..", "org.abacim.core.progress.."};

    static final List<String> TECHNOLOGIES = List.of("org.abacim.reram..", "org.abacim.sram..", "org.abacim.mram..");
    static final String MAPPING = "org.abacim.mapping..";
    static final String EXPERIMENTS = "org.abacim.experiments..";

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar")) // other modules' test jars
            .importPackages("org.abacim");

    /** Our classes arrive as directories in the reactor and as jars when a module is tested on its own. */
    @Test
    void everyModuleIsImported() {
        for (String anchor : List.of("org.abacim.core.cost.CostModel", "org.abacim.core.exec.FloatEngine",
                "org.abacim.reram.CrossbarReramTechnology", "org.abacim.sram.SramCapramTechnology",
                "org.abacim.mram.MramSotTechnology", "org.abacim.core.placer.DensePlacer", "org.abacim.mapping.onnx.OnnxImporter",
                "org.abacim.experiments.cli.Abacim")) {
            assertThat(MAIN.contain(anchor)).as(anchor).isTrue();
        }
    }

    @Test
    void theModelImportsNothingAboveIt() {
        noClasses().that().resideInAnyPackage(MODEL)
                .should().dependOnClassesThat().resideInAnyPackage(concat(RUNTIME, TECHNOLOGIES, MAPPING, EXPERIMENTS))
                .because("the hardware model stands alone: a technology's cost side and a library user need nothing else")
                .check(MAIN);
    }

    @Test
    void theRuntimeImportsOnlyTheModel() {
        noClasses().that().resideInAnyPackage(RUNTIME)
                .should().dependOnClassesThat().resideInAnyPackage(concat(new String[0], TECHNOLOGIES, MAPPING, EXPERIMENTS))
                .because("the runtime executes any technology through the model's SPI, never one by name")
                .check(MAIN);
    }

    @Test
    void technologiesImportOnlyTheModel() {
        for (String technology : TECHNOLOGIES) {
            List<String> others = TECHNOLOGIES.stream().filter(t -> !t.equals(technology)).toList();
            noClasses().that().resideInAPackage(technology)
                    .should().dependOnClassesThat().resideInAnyPackage(concat(RUNTIME, others, MAPPING, EXPERIMENTS))
                    .because("a technology is a plug-in: its module and its Maven lines; its matrix products come "
                            + "through the model's MatrixProducts service")
                    .check(MAIN);
        }
    }

    @Test
    void mappingNamesNoTechnologyAndNoCli() {
        noClasses().that().resideInAPackage(MAPPING)
                .should().dependOnClassesThat().resideInAnyPackage(concat(new String[0], TECHNOLOGIES, EXPERIMENTS))
                .check(MAIN);
    }

    @Test
    void theCorePackagesFormNoCycle() {
        slices().matching("org.abacim.core.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theModelUsesOnlyJacksonAndCommonsMath() {
        // SnakeYAML is Jackson's YAML parser; the config reader asks it where anchors sit, for error locations.
        ArchRuleDefinition.classes().that().resideInAnyPackage(MODEL)
                .should().onlyDependOnClassesThat().resideInAnyPackage(concat(MODEL, List.of("java..",
                        "com.fasterxml.jackson..", "org.yaml.snakeyaml..", "org.apache.commons.math3.."), new String[0]))
                .because("no BLAS, no data sets, no CLI in the hardware model")
                .check(MAIN);
    }

    @Test
    void eachLibraryHasOneHome() {
        only("picocli..", "org.abacim.experiments.cli..");
        // `abacim serve` starts and stops the server the serve package builds.
        only("io.javalin..", "org.abacim.experiments.serve..", "org.abacim.experiments.cli..");
        only("org.knowm.xchart..", "org.abacim.experiments.report..");
        only("me.tongfei.progressbar..", "org.abacim.experiments.progress..");
        only("org.openjdk.jmh..", "org.abacim.experiments.bench..");
        only("org.bytedeco..", "org.abacim.core.blas..");
        only("ai.onnx..", "org.abacim.mapping.onnx..");
        // The CLI builds the Spark context it hands to the spark package (BackendOptions); nothing else may.
        only("org.apache.spark..", "org.abacim.experiments.spark..", "org.abacim.experiments.cli..");
        // EJML is the runtime's fallback product; the benchmarks measure it against OpenBLAS.
        only("org.ejml..", "org.abacim.core.blas..", "org.abacim.experiments.bench..");
    }

    private static void only(String library, String... homes) {
        noClasses().that().resideOutsideOfPackages(homes)
                .should().dependOnClassesThat().resideInAPackage(library)
                .check(MAIN);
    }

    private static String[] concat(String[] first, List<String> middle, String... last) {
        String[] all = new String[first.length + middle.size() + last.length];
        System.arraycopy(first, 0, all, 0, first.length);
        for (int i = 0; i < middle.size(); i++) all[first.length + i] = middle.get(i);
        System.arraycopy(last, 0, all, first.length + middle.size(), last.length);
        return all;
    }
}
