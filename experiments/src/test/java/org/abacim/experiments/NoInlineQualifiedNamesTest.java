package org.abacim.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Main code names classes by their simple name and an {@code import}, not by an inline fully-qualified name such as
 * {@code java.util.Locale.ROOT} or {@code @com.fasterxml.jackson.annotation.JsonCreator} (issue #31 item 5).
 * Comments, Javadoc, string and character literals and the {@code import}/{@code package} lines are not checked.
 * The only qualified names allowed are the collisions in {@link #ALLOWED}, each with its reason.
 */
class NoInlineQualifiedNamesTest {
    private static final List<String> MODULES =
            List.of("sim-core/model", "sim-core/runtime", "crossbar-reram", "sram-capram", "mram-sot", "mapping",
                    "experiments");

    /** A qualified name: a package rooted at java, javax, jdk, com or org, then a capitalised type name. */
    private static final Pattern QUALIFIED =
            Pattern.compile("(?<![\\w.$])(?:java|javax|jdk|com|org)(?:\\.[a-z_][a-z0-9_]*)+\\.[A-Z][A-Za-z0-9_]*");

    private static final Pattern IMPORT_OR_PACKAGE = Pattern.compile("^\\s*(?:import|package)\\s");

    /**
     * Qualified names that must stay qualified, as "file relative to the repository root" mapped to the names kept
     * in that file. Every entry must still be needed: a stale entry fails the test too.
     */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            // Empty since the sweep's Metrics became SweepMetrics (#31 item 5): no simple name is used twice.
    );

    @Test
    void mainCodeHasNoInlineQualifiedNames() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> found = new ArrayList<>();
        Set<String> allowedSeen = new TreeSet<>();
        int files = 0;
        for (String module : MODULES) {
            Path sources = root.resolve(module).resolve("src/main/java");
            assertThat(sources).isDirectory();
            List<Path> javaFiles;
            try (Stream<Path> walk = Files.walk(sources)) {
                javaFiles = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            }
            for (Path file : javaFiles) {
                files++;
                String rel = root.relativize(file).toString().replace('\\', '/');
                String[] lines = codeOnly(Files.readString(file)).split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    if (IMPORT_OR_PACKAGE.matcher(lines[i]).find()) {
                        continue;
                    }
                    Matcher m = QUALIFIED.matcher(lines[i]);
                    while (m.find()) {
                        if (ALLOWED.getOrDefault(rel, Set.of()).contains(m.group())) {
                            allowedSeen.add(rel + " " + m.group());
                        } else {
                            found.add(rel + ":" + (i + 1) + ": " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(files).isGreaterThan(200);
        assertThat(found).as("inline qualified names in main code (use an import, or allow-list a real collision)")
                .isEmpty();
        Set<String> allowed = new TreeSet<>();
        ALLOWED.forEach((file, names) -> names.forEach(n -> allowed.add(file + " " + n)));
        assertThat(allowedSeen).as("allow-list entries still in use").isEqualTo(allowed);
    }

    @Test
    void codeOnlyBlanksCommentsAndLiterals() {
        String src = "a(java.util.List.of()); // java.util.Map\n"
                + "/* org.x.Y */ String s = \"com.a.B\\\"\"; char c = '\"';\n"
                + "String t = \"\"\"\n  org.p.Q \"\"\"; java.util.Set<java.io.File> z;";
        String code = codeOnly(src);
        List<String> names = new ArrayList<>();
        Matcher m = QUALIFIED.matcher(code);
        while (m.find()) {
            names.add(m.group());
        }
        assertThat(names).containsExactly("java.util.List", "java.util.Set", "java.io.File");
        assertThat(code.split("\n", -1)).hasSize(src.split("\n", -1).length);
    }

    /** The source with comments and string, text-block and character literals replaced by spaces (newlines kept). */
    static String codeOnly(String src) {
        StringBuilder out = new StringBuilder(src);
        int n = src.length();
        int i = 0;
        while (i < n) {
            int end;
            if (src.startsWith("//", i)) {
                end = src.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (src.startsWith("/*", i)) {
                end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            } else if (src.startsWith("\"\"\"", i)) {
                end = i + 3;
                while (end < n && !src.startsWith("\"\"\"", end)) {
                    end += src.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 3);
            } else if (src.charAt(i) == '"' || src.charAt(i) == '\'') {
                char quote = src.charAt(i);
                end = i + 1;
                while (end < n && src.charAt(end) != quote && src.charAt(end) != '\n') {
                    end += src.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
            } else {
                i++;
                continue;
            }
            for (int k = i; k < end; k++) {
                if (out.charAt(k) != '\n') {
                    out.setCharAt(k, ' ');
                }
            }
            i = end;
        }
        return out.toString();
    }
}
