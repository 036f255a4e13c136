package org.abacim.experiments.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A validation row's metric: arithmetic (+ − × ÷, parentheses, numbers) over values of run results. A value is
 * {@code run:/path/to/value}, or {@code /path} for a row's only run; a path segment may select an element of a list
 * by its index ({@code layers[0]}) or by fields ({@code energy_ledger[component=adc,action=adc_convert]}). A path
 * segment starts with a letter or '_', so a '/' before anything else is a division.
 * Example: {@code (isaac:/power/total_W - isaac:/power/breakdown_W/offchip_link) / 168 * 1000}.
 */
final class Expression {
    private final String text;
    private final Function<String, JsonNode> runs;
    private int at;

    private Expression(String text, Function<String, JsonNode> runs) {
        this.text = text;
        this.runs = runs;
    }

    /** Evaluates {@code text} with {@code runs} giving each named run's result (the only run under ""). */
    static double evaluate(String text, Function<String, JsonNode> runs) {
        Expression m = new Expression(text, runs);
        double v = m.sum();
        m.skipSpaces();
        if (m.at < text.length()) throw m.error("unexpected '" + text.charAt(m.at) + "'");
        return v;
    }

    /** The run names a metric refers to ("" for the only run), in order, without evaluating it. */
    static Set<String> runNames(String text) {
        Set<String> names = new LinkedHashSet<>();
        evaluate(text, name -> {
            names.add(name);
            return null;
        });
        return names;
    }

    private double sum() {
        double v = product();
        while (true) {
            skipSpaces();
            if (peek('+')) {
                at++;
                v += product();
            } else if (peek('-')) {
                at++;
                v -= product();
            } else {
                return v;
            }
        }
    }

    private double product() {
        double v = factor();
        while (true) {
            skipSpaces();
            if (peek('*')) {
                at++;
                v *= factor();
            } else if (peek('/')) {
                at++;
                v /= factor();
            } else {
                return v;
            }
        }
    }

    private double factor() {
        skipSpaces();
        if (at >= text.length()) throw error("expected a number, a value or '('");
        char c = text.charAt(at);
        if (c == '(') {
            at++;
            double v = sum();
            skipSpaces();
            if (!peek(')')) throw error("expected ')'");
            at++;
            return v;
        }
        if (c == '-') {
            at++;
            return -factor();
        }
        if (Character.isDigit(c) || c == '.') return number();
        return reference();
    }

    private double number() {
        int start = at;
        while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.'
                || text.charAt(at) == 'e' || text.charAt(at) == 'E'
                || ((text.charAt(at) == '-' || text.charAt(at) == '+') && at > start
                    && (text.charAt(at - 1) == 'e' || text.charAt(at - 1) == 'E')))) {
            at++;
        }
        try {
            return Double.parseDouble(text.substring(start, at));
        } catch (NumberFormatException e) {
            throw error("not a number: " + text.substring(start, at));
        }
    }

    private double reference() {
        int start = at;
        String run = "";
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_'
                || text.charAt(at) == '-')) {
            at++;
        }
        if (at > start) {
            if (!peek(':')) throw error("expected ':' after the run name '" + text.substring(start, at) + "'");
            run = text.substring(start, at);
            at++;
        }
        if (!peek('/') || at + 1 >= text.length() || !(Character.isLetter(text.charAt(at + 1)) || text.charAt(at + 1) == '_')) {
            throw error("expected a value path such as /inference/fps");
        }
        JsonNode root = runs.apply(run); // null while only the run names are collected (runNames)
        JsonNode node = root;
        StringBuilder path = new StringBuilder();
        // A path goes on while a '/' is followed by a key (a letter or '_'); any other '/' is a division.
        while (peek('/') && at + 1 < text.length()
                && (Character.isLetter(text.charAt(at + 1)) || text.charAt(at + 1) == '_')) {
            at++;
            int s = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_'
                    || text.charAt(at) == '.')) {
                at++;
            }
            if (s == at) throw error("empty path segment");
            String key = text.substring(s, at);
            path.append('/').append(key);
            if (node != null) node = node.get(key);
            if (peek('[')) {
                int close = text.indexOf(']', at);
                if (close < 0) throw error("expected ']'");
                String selector = text.substring(at + 1, close);
                path.append('[').append(selector).append(']');
                at = close + 1;
                if (node != null) node = select(node, selector, path);
            }
            if (node == null && root != null) {
                throw new IllegalArgumentException("no value at " + (run.isEmpty() ? "" : run + ":") + path);
            }
        }
        if (node == null) return 0; // names only (runNames)
        if (!node.isNumber()) {
            throw new IllegalArgumentException("the value at " + (run.isEmpty() ? "" : run + ":") + path
                    + " is not a number (" + node + ")");
        }
        return node.asDouble();
    }

    private static JsonNode select(JsonNode list, String selector, CharSequence path) {
        if (!list.isArray()) throw new IllegalArgumentException(path + ": not a list");
        if (selector.chars().allMatch(Character::isDigit)) return list.get(Integer.parseInt(selector));
        Map<String, String> want = new LinkedHashMap<>();
        for (String pair : selector.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException(path + ": a selector is key=value, was " + pair);
            want.put(kv[0].strip(), kv[1].strip());
        }
        JsonNode found = null;
        for (JsonNode e : list) {
            boolean all = true;
            for (Map.Entry<String, String> w : want.entrySet()) {
                all &= e.has(w.getKey()) && e.get(w.getKey()).asText().equals(w.getValue());
            }
            if (all) {
                if (found != null) throw new IllegalArgumentException(path + ": more than one element matches");
                found = e;
            }
        }
        if (found == null) throw new IllegalArgumentException(path + ": no element matches");
        return found;
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void skipSpaces() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at column " + (at + 1) + " of the metric '" + text + "'");
    }
}
