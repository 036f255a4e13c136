package org.abacim.experiments.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.abacim.core.api.Catalog;
import org.abacim.core.config.KeyCatalog;
import org.abacim.core.config.KeyCatalog.Row;
import org.abacim.core.tech.DesignInfo;
import org.abacim.core.tech.Technology;

/**
 * Every key a design config takes, from the records that bind them ({@link KeyCatalog}): the top-level keys, then
 * one section per technology found on the class path. docs/config.md's key tables are {@link #markdown} of these
 * sections, written between marker comments by {@link #update}; {@code abacim keys} describes a design's keys from
 * {@link #designKeys}.
 */
public final class KeyReference {
    private KeyReference() {}

    /** Keys of one table: "top-level" or a technology's id. */
    public record Section(String id, List<Row> rows) {}

    private static final Pattern BLOCK = Pattern.compile(
            "(<!-- keys: ([a-z0-9-]+) \\(generated[^>]*-->\\n)(.*?)(<!-- end keys -->)", Pattern.DOTALL);

    /** The keys every design takes, whatever its technology: identity, preset, network and the run's sections. */
    public static List<Row> topLevel() {
        List<Row> rows = new ArrayList<>(KeyCatalog.rows("", DesignInfo.class));
        rows.addAll(KeyCatalog.rows("", DesignConfigKeys.class));
        return rows;
    }

    /** The keys of {@code technology}'s parameters; none when it does not declare its parameter record. */
    public static List<Row> technologyKeys(Technology technology) {
        return technology.parameterRecord().map(r -> KeyCatalog.rows("", r)).orElse(List.of());
    }

    /** The top-level keys and those of {@code technology}: every key a design of it may hold. */
    public static List<Row> designKeys(Technology technology) {
        List<Row> rows = new ArrayList<>(topLevel());
        rows.addAll(technologyKeys(technology));
        return rows;
    }

    /** The top-level section, then one per technology in the catalog's order. */
    public static List<Section> sections() {
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("top-level", topLevel()));
        for (Technology t : Catalog.technologies()) sections.add(new Section(t.id(), technologyKeys(t)));
        return sections;
    }

    /** One section as a Markdown table: key, type, unit, default, meaning. */
    public static String markdown(Section section) {
        StringBuilder md = new StringBuilder("| key | type | unit | default | meaning |\n|---|---|---|---|---|\n");
        for (Row r : section.rows()) {
            String key = "`" + r.path() + "`" + (r.when().isEmpty() ? "" : " (" + r.when() + ")");
            md.append("| ").append(key)
                    .append(" | ").append(cell(r.type()))
                    .append(" | ").append(r.unit().isEmpty() ? "" : cell(r.unit()))
                    .append(" | ").append(r.defaultValue().isEmpty() ? (r.optional() ? "none" : "")
                            : "`" + r.defaultValue() + "`")
                    .append(" | ").append(cell(r.doc() == null ? "(undocumented)" : r.doc()))
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /**
     * {@code document} (docs/config.md) with every generated block replaced by its section's current table. A block
     * is {@code <!-- keys: ID (generated …) -->}, the table, {@code <!-- end keys -->}; the prose around it is kept.
     * A block naming no section, or a section without a block, is an error: the page would be missing keys.
     */
    public static String update(String document) {
        List<Section> sections = sections();
        List<String> seen = new ArrayList<>();
        Matcher m = BLOCK.matcher(document);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String id = m.group(2);
            Section section = sections.stream().filter(s -> s.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("docs/config.md has a key table for '" + id
                            + "', which is neither top-level nor a technology on the class path"));
            seen.add(id);
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + markdown(section) + m.group(4)));
        }
        m.appendTail(out);
        for (Section s : sections) {
            if (!seen.contains(s.id())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "docs/config.md has no key table for "
                        + "'%s'; add <!-- keys: %s (generated) --> and <!-- end keys --> where it belongs", s.id(), s.id()));
            }
        }
        return out.toString();
    }
}
