package org.abacim.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative Markdown link in docs/ (and the README) that points to a {@code .md} file lands on a file that
 * exists: moving or renaming a page (as the design notes were split into docs/design/) fails here, not for a reader.
 */
class DocsLinksTest {
    /** {@code [text](target)}: the target up to a space, a closing parenthesis or an anchor. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s#]+\\.md)(#[^)\\s]*)?\\)");

    @Test
    void everyRelativeLinkToAMarkdownFileResolves() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path docs = root.resolve("docs");
        assertThat(docs.resolve("design/README.md")).exists();
        List<Path> pages = new ArrayList<>();
        try (Stream<Path> files = Files.walk(docs)) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        pages.add(root.resolve("README.md"));
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            String[] lines = Files.readString(page).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = LINK.matcher(lines[i]);
                while (m.find()) {
                    String target = m.group(1);
                    if (target.contains("://") || target.startsWith("/")) {
                        continue;
                    }
                    links++;
                    if (!Files.isRegularFile(page.getParent().resolve(target).normalize())) {
                        broken.add(root.relativize(page) + ":" + (i + 1) + ": " + target);
                    }
                }
            }
        }
        assertThat(links).isGreaterThan(50);
        assertThat(broken).as("relative links to .md files that do not exist").isEmpty();
    }
}
