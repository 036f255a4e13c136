package org.abacim.experiments.serve;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the teaching server checks before it handles a request: that it was addressed by one of its own names (a
 * page of another site that a DNS name was rebound to this address is refused), and that a request that changes
 * state (POST, DELETE: uploads, job starts, cancels) comes from the teaching page itself.
 *
 * <p>The rule for a state-changing request: it carries an {@value #TOKEN_HEADER} header holding a token this server
 * put in a page it served (a fresh 128-bit SecureRandom token per page load, in the page's
 * {@code <meta name="abacim-token">}; no response ever carries {@code Access-Control-Allow-Origin}, so another site
 * cannot read the page to learn one, and a cross-site form or a {@code no-cors} fetch cannot send a custom header),
 * and, when the request has an {@code Origin} header (browsers send one), it is the server's own origin
 * ({@code http://} and the request's checked Host). A request without an Origin is taken on the token alone: it did
 * not come from a browser page (curl, a script of the user's). A browser's {@code Sec-Fetch-Site} other than
 * {@code same-origin} or {@code none} is refused too.
 *
 * <p>The token is also who a job belongs to: a page sees, follows and cancels only the jobs it started.
 */
final class Guard {
    static final String TOKEN_HEADER = "X-abacim-Token";
    /** The page tokens remembered (the newest): a page loaded this many page loads ago has to be reloaded. */
    static final int TOKENS_KEPT = 1024;

    /** Headers every response carries (set before any handler runs, static files and errors included). */
    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                    + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cross-Origin-Resource-Policy", "same-origin",
            "Cache-Control", "no-store");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Set<String> names;
    /** Requests refused here (tests read it: a request that never reached the server was not refused by it). */
    final AtomicLong refusals = new AtomicLong();
    private final Map<String, Boolean> tokens = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > TOKENS_KEPT;
        }
    };

    /**
     * @param boundHost the address the server listens on (a name it may be reached by)
     * @param allowed further names the user allowed ({@code --allow-host})
     */
    Guard(String boundHost, List<String> allowed) {
        Set<String> n = new HashSet<>();
        n.add("localhost");
        n.add("[::1]");
        n.add(hostName(boundHost));
        for (String a : allowed) n.add(hostName(a));
        this.names = Set.copyOf(n);
    }

    /** A fresh random value, URL-safe: {@code bytes} bytes of SecureRandom output (16: 128 bits). */
    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A new page's token, remembered. */
    String issue() {
        String t = random(16);
        synchronized (tokens) {
            tokens.put(t, Boolean.TRUE);
        }
        return t;
    }

    /** Whether {@code token} is one this server gave a page. */
    boolean known(String token) {
        if (token == null) return false;
        synchronized (tokens) {
            return tokens.containsKey(token);
        }
    }

    /** The request's page token: its header, or (for GETs an EventSource makes, which cannot set headers) a query. */
    static String token(Context ctx) {
        String t = ctx.header(TOKEN_HEADER);
        return t != null ? t : ctx.queryParam("token");
    }

    /** How a host is compared: lower case, an IPv6 address in brackets, IPv4 127/8 as itself. */
    private static String hostName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.contains(":") && !h.startsWith("[")) h = "[" + h + "]";
        return h;
    }

    /**
     * Whether {@code host} names a loopback address: localhost, 127.x.x.x, ::1. Decided from the text alone — a Host
     * header never causes a DNS lookup.
     */
    static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) return true;
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        Matcher v4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})").matcher(h);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) if (Integer.parseInt(v4.group(i)) > 255) return false;
            return v4.group(1).equals("127");
        }
        return h.matches("[0:]*:0{0,3}1"); // ::1, 0:0:0:0:0:0:0:1
    }

    /**
     * Runs before every request: the security headers, then the Host check and, for POST and DELETE, the page's
     * token and Origin. A refusal is HTTP 403 with one line.
     */
    void check(Context ctx) {
        HEADERS.forEach(ctx::header);
        try {
            checkRequest(ctx);
        } catch (Refused e) {
            refusals.incrementAndGet();
            throw e;
        }
    }

    private void checkRequest(Context ctx) {
        String host = ctx.header("Host");
        if (!hostAllowed(host, ctx.req().getLocalPort())) {
            throw new Refused(403, "refused: the request's Host " + shown(host) + " is not an address of this server"
                    + " (a page of another site rebound to it?); start the server with --allow-host NAME to accept NAME");
        }
        String method = ctx.method().name();
        if (method.equals("GET") || method.equals("HEAD")) return;
        String fetchSite = ctx.header("Sec-Fetch-Site");
        String origin = ctx.header("Origin");
        if ((origin != null && !origin.equals("http://" + host))
                || (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none"))) {
            throw new Refused(403, "refused: a request from another site (Origin " + shown(origin)
                    + ") may not change this server's state");
        }
        if (!known(ctx.header(TOKEN_HEADER))) {
            throw new Refused(403, "refused: a request that changes this server's state must come from its teaching"
                    + " page (missing or unknown " + TOKEN_HEADER + " header; reload the page)");
        }
    }

    /** Whether {@code host} (a Host header) names this server: one of its names, or any loopback address, and its port. */
    boolean hostAllowed(String host, int port) {
        if (host == null || host.isEmpty()) return false;
        String name = host;
        int p = 80;
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
            name = host.substring(0, colon);
            try {
                p = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (p != port) return false;
        String n = hostName(name);
        return names.contains(n) || loopback(n);
    }

    /** A header's value as a refusal shows it: quoted, printable ASCII only, at most 80 characters. */
    static String shown(String value) {
        if (value == null) return "(none)";
        String v = value.replaceAll("[^\\x20-\\x7e]", "?");
        return "\"" + (v.length() > 80 ? v.substring(0, 80) + "…" : v) + "\"";
    }

    /** A refused request: its status and the one line it gets (without the "abacim: " prefix). */
    static class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
