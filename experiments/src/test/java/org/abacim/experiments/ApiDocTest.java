package org.abacim.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md shows the API example as the file the invoker build compiles and runs
 * (crossbar-reram/src/it/api-example): the page cannot drift from code that is tested.
 */
class ApiDocTest {
    @Test
    void thePageShowsTheTestedExampleVerbatim() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String example = Files.readString(root.resolve(
                "crossbar-reram/src/it/api-example/src/main/java/example/IsaacCost.java"));
        String page = Files.readString(root.resolve("docs/api.md"));
        assertThat(page).contains("```java\n" + example + "```\n");
    }
}
