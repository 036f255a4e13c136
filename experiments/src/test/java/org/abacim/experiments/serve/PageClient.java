package org.abacim.experiments.serve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A client of the teaching server that acts as its page: it holds a page's token and sends it with every request. */
final class PageClient {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern TOKEN = Pattern.compile("<meta name=\"abacim-token\" content=\"([A-Za-z0-9_-]{22})\">");

    final int port;
    final String token;

    /** Loads the page from the server on {@code port} and keeps its token. */
    PageClient(int port) throws Exception {
        this.port = port;
        this.token = token(port);
    }

    /** The token of a freshly loaded page. */
    static String token(int port) throws Exception {
        String page = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = TOKEN.matcher(page);
        if (!m.find()) throw new AssertionError("no token in the page");
        return m.group(1);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header(Guard.TOKEN_HEADER, token);
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = request(path);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
