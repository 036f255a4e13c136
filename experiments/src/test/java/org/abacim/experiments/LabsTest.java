package org.abacim.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.abacim.core.data.Datasets;
import org.abacim.experiments.cli.Cli;
import org.abacim.experiments.serve.HeadlessChromium;
import org.abacim.experiments.serve.TeachingServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every lab in docs/labs runs as written: each {@code abacim …  # [N]} line of its shell blocks runs through the CLI
 * (paths under {@code out/} go to a temporary folder, paths under {@code docs/} are the repository's), and each row
 * of its "Expected results" table is checked against what the commands printed. A lab whose numbers drift from
 * the model fails here, not in a classroom.
 *
 * <p>A value is {@code [N] path} (JSON path into command N's output: {@code a.b}, {@code list[2]}, {@code list[name]}
 * for the element whose name, step or component is that; {@code exit} and {@code stderr}), or two of them joined by
 * {@code /}. Expected is a number (with "within": a tolerance, relative with {@code %}), a comparison
 * ({@code < > = ≤ ≥} and a number or a value), {@code contains "text"}, or a word.
 */
class LabsTest {
    static final Path LABS = Path.of("..", "docs", "labs").toAbsolutePath().normalize();
    static final Path ROOT = LABS.getParent().getParent();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern COMMAND = Pattern.compile("^abacim\\s+(.*?)\\s*#\\s*\\[(\\d+)\\]\\s*$");
    static final Pattern VALUE = Pattern.compile("\\[(\\d+)\\]\\s+([^/]+?)\\s*(?:/\\s*\\[(\\d+)\\]\\s+(.+))?");

    @TempDir
    static Path out;

    @TestFactory
    Stream<DynamicTest> everyLabsCommandsGiveItsExpectedResults() throws IOException {
        List<Path> labs;
        try (Stream<Path> files = Files.list(LABS)) {
            labs = files.filter(f -> f.getFileName().toString().matches("lab\\d+-.*\\.md")).sorted().toList();
        }
        assertThat(labs).as("the five labs in %s", LABS).hasSize(5);
        return labs.stream().map(lab -> DynamicTest.dynamicTest(lab.getFileName().toString(), () -> check(lab)));
    }

    /** What one command of a lab printed. */
    record Ran(int exit, JsonNode output, String stderr) {}

    private void check(Path lab) throws Exception {
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        String text = Files.readString(lab);
        Map<Integer, List<String>> commands = commands(text);
        assertThat(commands).as("commands of %s", lab).isNotEmpty();
        Map<Integer, Ran> ran = new LinkedHashMap<>();
        for (var c : commands.entrySet()) {
            Cli run = Cli.run(c.getValue().toArray(String[]::new));
            JsonNode output = null;
            if (run.code() == 0) {
                output = JSON.readTree(run.out());
            }
            ran.put(c.getKey(), new Ran(run.code(), output, run.err()));
        }
        List<String[]> expectations = expectations(text);
        assertThat(expectations).as("expected results of %s", lab).isNotEmpty();
        SoftAssertions soft = new SoftAssertions();
        for (String[] row : expectations) {
            String what = row[0];
            String value = row[1];
            String expected = row[2];
            String within = row[3];
            try {
                checkRow(soft, lab.getFileName() + ": " + what + " (" + value + ")", value, expected, within, ran);
            } catch (RuntimeException e) {
                soft.fail(lab.getFileName() + ": " + what + ": " + e.getMessage());
            }
        }
        soft.assertAll();
    }

    /** The lab's {@code abacim … # [N]} lines, numbered, as CLI arguments with the paths rewritten. */
    static Map<Integer, List<String>> commands(String text) {
        Map<Integer, List<String>> commands = new LinkedHashMap<>();
        boolean inShell = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("```")) {
                inShell = line.equals("```sh");
                continue;
            }
            if (!inShell || !line.startsWith("abacim ")) continue;
            Matcher m = COMMAND.matcher(line);
            assertThat(m.matches()).as("every abacim line of a lab is numbered '# [N]' so it is checked: %s", line).isTrue();
            List<String> args = new ArrayList<>();
            for (String word : m.group(1).split("\\s+")) args.add(rewrite(word));
            commands.put(Integer.parseInt(m.group(2)), args);
        }
        return commands;
    }

    /** {@code out/…} (also after '=') goes to the test's folder; {@code docs/…} is the repository's. */
    static String rewrite(String word) {
        int eq = word.indexOf('=');
        String head = eq >= 0 ? word.substring(0, eq + 1) : "";
        String path = eq >= 0 ? word.substring(eq + 1) : word;
        if (path.startsWith("out/")) return head + out.resolve(path);
        if (path.startsWith("docs/")) return head + ROOT.resolve(path);
        return word;
    }

    /** The rows of the "Expected results" table: what, value, expected, within. */
    static List<String[]> expectations(String text) {
        int at = text.indexOf("## Expected results");
        assertThat(at).as("an 'Expected results' section").isGreaterThanOrEqualTo(0);
        List<String[]> rows = new ArrayList<>();
        for (String line : text.substring(at).split("\n")) {
            if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| what")) continue;
            String[] cells = line.split("\\|", -1);
            String[] row = new String[4];
            for (int i = 0; i < 4; i++) row[i] = cells[i + 1].trim().replace("`", "");
            rows.add(row);
        }
        return rows;
    }

    private static void checkRow(SoftAssertions soft, String label, String value, String expected, String within,
                                 Map<Integer, Ran> ran) {
        JsonNode actual = value(value, ran);
        if (expected.startsWith("contains ")) {
            String needle = expected.substring("contains ".length()).replace("\"", "");
            soft.assertThat(actual.asText()).as(label).contains(needle);
            return;
        }
        Matcher comparison = Pattern.compile("^(<|>|=|≤|≥)\\s*(.+)$").matcher(expected);
        if (comparison.matches()) {
            String operand = comparison.group(2);
            double right = operand.startsWith("[") ? value(operand, ran).asDouble() : Double.parseDouble(operand);
            double left = actual.asDouble();
            switch (comparison.group(1)) {
                case "<" -> soft.assertThat(left).as(label).isLessThan(right);
                case ">" -> soft.assertThat(left).as(label).isGreaterThan(right);
                case "≤" -> soft.assertThat(left).as(label).isLessThanOrEqualTo(right);
                case "≥" -> soft.assertThat(left).as(label).isGreaterThanOrEqualTo(right);
                default -> soft.assertThat(left).as(label).isEqualTo(right);
            }
            return;
        }
        double number;
        try {
            number = Double.parseDouble(expected);
        } catch (NumberFormatException e) {
            soft.assertThat(actual.asText()).as(label).isEqualTo(expected);
            return;
        }
        assertThat(actual.isNumber()).as("%s is a number: %s", label, actual).isTrue();
        double tolerance = within.isEmpty() ? 0 : within.endsWith("%")
                ? Math.abs(number) * Double.parseDouble(within.substring(0, within.length() - 1).trim()) / 100
                : Double.parseDouble(within);
        soft.assertThat(actual.asDouble()).as(label).isCloseTo(number, org.assertj.core.data.Offset.offset(tolerance));
    }

    /** {@code [N] path} or {@code [N] path / [M] path}. */
    static JsonNode value(String expression, Map<Integer, Ran> ran) {
        Matcher m = VALUE.matcher(expression.trim());
        if (!m.matches()) throw new IllegalArgumentException("not a value: " + expression);
        JsonNode left = at(ran, Integer.parseInt(m.group(1)), m.group(2).trim());
        if (m.group(3) == null) return left;
        JsonNode right = at(ran, Integer.parseInt(m.group(3)), m.group(4).trim());
        return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(left.asDouble() / right.asDouble());
    }

    private static JsonNode at(Map<Integer, Ran> ran, int command, String path) {
        Ran r = ran.get(command);
        if (r == null) throw new IllegalArgumentException("no command [" + command + "]");
        if (path.equals("exit")) return com.fasterxml.jackson.databind.node.IntNode.valueOf(r.exit());
        if (path.equals("stderr")) return TextNode.valueOf(r.stderr());
        if (r.output() == null) throw new IllegalArgumentException("command [" + command + "] failed: " + r.stderr());
        JsonNode node = r.output();
        // Steps: "key", "key[i]", "key[name]", or a leading "[name]" on a list.
        Matcher step = Pattern.compile("([^.\\[]*)(?:\\[([^\\]]+)\\])?\\.?").matcher(path);
        int from = 0;
        while (from < path.length() && step.find(from) && step.end() > from) {
            from = step.end();
            if (!step.group(1).isEmpty()) node = node.path(step.group(1));
            if (step.group(2) != null) node = element(node, step.group(2));
            if (node.isMissingNode()) throw new IllegalArgumentException("no " + path + " in the output of [" + command + "]");
        }
        return node;
    }

    private static JsonNode element(JsonNode list, String key) {
        if (key.matches("\\d+")) return list.path(Integer.parseInt(key));
        for (JsonNode e : list) {
            for (String field : new String[] {"name", "step", "component"}) {
                if (key.equals(e.path(field).asText(null))) return e;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    // ---- The labs' page steps (labs.json, the data the teaching page offers them from), in Chromium ----

    static final String LABS_JSON = "/org/abacim/experiments/serve/web/labs.json";
    static final Pattern COMMAND_REF = Pattern.compile("\\[(\\d+)\\]");

    static JsonNode pageLabs() throws IOException {
        try (var in = LabsTest.class.getResourceAsStream(LABS_JSON)) {
            assertThat(in).as(LABS_JSON).isNotNull();
            return JSON.readTree(in).path("labs");
        }
    }

    /** The commands a row names ([N] in its value and expected columns). */
    static java.util.Set<Integer> commandsOf(String[] row) {
        java.util.Set<Integer> n = new java.util.TreeSet<>();
        Matcher m = COMMAND_REF.matcher(row[1] + " " + row[2]);
        while (m.find()) n.add(Integer.parseInt(m.group(1)));
        return n;
    }

    /** The rows of the lab's table the page steps can check: those that name only commands a page step reproduces. */
    static List<String[]> pageRows(JsonNode lab, String text) {
        java.util.Set<Integer> covered = new java.util.HashSet<>();
        for (JsonNode step : lab.path("steps")) covered.add(step.path("command").asInt());
        return expectations(text).stream().filter(r -> covered.containsAll(commandsOf(r))).toList();
    }

    @Test
    void thePagesLabStepsCarryTheLabsOwnExpectedRows() throws IOException {
        for (JsonNode lab : pageLabs()) {
            String text = Files.readString(LABS.resolve(lab.path("doc").asText()));
            Map<Integer, List<String>> commands = commands(text);
            for (JsonNode step : lab.path("steps")) {
                assertThat(commands).as("lab %s step %s reproduces a command of the lab", lab.path("lab"), step.path("step"))
                        .containsKey(step.path("command").asInt());
            }
            List<String> page = new ArrayList<>();
            for (JsonNode row : lab.path("expect")) {
                page.add(row.get(0).asText() + " | " + row.get(1).asText() + " | " + row.get(2).asText() + " | " + row.get(3).asText());
            }
            List<String> doc = pageRows(lab, text).stream().map(r -> String.join(" | ", r)).toList();
            assertThat(page).as("labs.json's expected rows of lab %s are the rows of %s its page steps can check",
                    lab.path("lab"), lab.path("doc")).containsExactlyElementsOf(doc);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyLabsPageStepsGiveItsExpectedResultsInChromium() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode lab : pageLabs()) {
            tests.add(DynamicTest.dynamicTest("lab " + lab.path("lab").asText() + " on the page", () -> checkPage(lab)));
        }
        return tests.stream();
    }

    private void checkPage(JsonNode lab) throws Exception {
        HeadlessChromium.assumeInstalled();
        assumeTrue(Datasets.available("mnist"), "MNIST not fetched (scripts/fetch-data mnist)");
        String text = Files.readString(LABS.resolve(lab.path("doc").asText()));
        int n = lab.path("lab").asInt();
        Path profile = Files.createTempDirectory(out, "chromium");
        var server = TeachingServer.start("127.0.0.1", 0);
        WebDriver browser = null;
        try {
            browser = HeadlessChromium.open(profile, 1280, 1500);
            browser.get("http://127.0.0.1:" + server.port() + "/");
            new WebDriverWait(browser, java.time.Duration.ofSeconds(30))
                    .until(b -> b.findElement(By.tagName("body")).getAttribute("data-ready") != null
                            && !b.findElements(By.cssSelector("button.lab-step")).isEmpty());
            for (JsonNode step : lab.path("steps")) {
                String id = "lab" + n + "-" + step.path("step").asText();
                browser.findElement(By.cssSelector("button.lab-step[data-lab='" + n + "'][data-step='"
                        + step.path("step").asText() + "']")).click();
                new WebDriverWait(browser, java.time.Duration.ofMinutes(15)).until(b -> {
                    String s = b.findElement(By.tagName("body")).getAttribute("data-lab");
                    return s != null && (s.equals(id + " done") || s.equals(id + " failed"));
                });
                assertThat(browser.findElement(By.tagName("body")).getAttribute("data-lab"))
                        .as("%s on the page (%s)", id, browser.findElement(By.id("lab-check-caption")).getText())
                        .isEqualTo(id + " done");
            }
            // What the page obtained, checked against the lab's table as the CLI's output is.
            JsonNode obtained = JSON.readTree((String) ((JavascriptExecutor) browser)
                    .executeScript("return JSON.stringify(window.labResults[arguments[0]])", n));
            Map<Integer, Ran> ran = new LinkedHashMap<>();
            // A refusal the page showed is the CLI's exit 2 and its message ({exit, stderr}); anything else is output.
            obtained.fields().forEachRemaining(e -> ran.put(Integer.parseInt(e.getKey()), e.getValue().has("exit")
                    ? new Ran(e.getValue().path("exit").asInt(), null, e.getValue().path("stderr").asText())
                    : new Ran(0, e.getValue(), "")));
            SoftAssertions soft = new SoftAssertions();
            List<String[]> rows = pageRows(lab, text);
            assertThat(rows).as("rows of lab %d the page checks", n).isNotEmpty();
            for (String[] row : rows) {
                try {
                    checkRow(soft, "lab " + n + " on the page: " + row[0] + " (" + row[1] + ")", row[1], row[2], row[3], ran);
                } catch (RuntimeException e) {
                    soft.fail("lab " + n + " on the page: " + row[0] + ": " + e.getMessage());
                }
            }
            // The page's own check table says the same, row by row.
            var shown = browser.findElements(By.cssSelector("#lab-check tbody tr"));
            soft.assertThat(shown).as("lab %d's check table on the page", n).hasSize(rows.size());
            for (var tr : shown) {
                soft.assertThat(tr.getAttribute("data-ok")).as("the page's check of %s: %s", tr.getAttribute("data-value"),
                        tr.getText()).isEqualTo("true");
            }
            soft.assertAll();
        } finally {
            if (browser != null) browser.quit();
            server.stop();
        }
    }
}
