package dev.berth.node.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.bus.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the OCI distribution spec's pull side over {@code java.net.http}: manifests (with the
 * Accept header for indexes, manifest lists and both manifest kinds) and blobs, anonymous, Basic or
 * Bearer-token auth. HTTPS always, except for registries on loopback (127.0.0.0/8, localhost, ::1)
 * and those listed as insecure, where HTTPS is tried first and plain HTTP used if it fails, as
 * Docker does. Redirects are followed by hand, at most 5, never HTTPS to HTTP and never carrying our
 * Authorization to another host (blob storage hands out signed URLs).
 */
final class RegistryClient {

    static final int MAX_MANIFEST_BYTES = 4 << 20;
    static final int MAX_TOKEN_BYTES = 1 << 20;
    static final int MAX_ERROR_BYTES = 64 << 10;
    private static final int MAX_REDIRECTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    record Fetched(byte[] body, String contentType, Digest digest) {}

    private final HttpClient http;
    private final RegistryCredentials credentials;
    private final Set<String> insecure;
    private final Duration timeout;
    private final Map<String, String> schemes = new ConcurrentHashMap<>();
    /** Authorization header per host and repository scope, reused until the registry says 401 again. */
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();

    RegistryClient(RegistryCredentials credentials, Set<String> insecure, Duration timeout) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        this.credentials = credentials;
        this.insecure = Set.copyOf(insecure);
        this.timeout = timeout;
    }

    /** True where plain HTTP may be used: loopback registries and those configured as insecure. */
    boolean plainHttpAllowed(String hostPort) {
        if (insecure.contains(hostPort)) return true;
        String host = hostPort;
        if (host.startsWith("[")) host = host.substring(1, Math.max(1, host.indexOf(']')));
        else if (host.indexOf(':') >= 0) host = host.substring(0, host.indexOf(':'));
        if (insecure.contains(host)) return true;
        if (host.equals("localhost") || host.equals("::1")) return true;
        if (host.matches("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}")) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * The manifest a reference names (by tag or by digest), verified against the digest it was asked
     * by, or against the registry's Docker-Content-Digest when asked by tag.
     */
    Fetched manifest(ImageReference ref, String reference) {
        String what = "manifest " + ref.name() + ":" + reference;
        HttpResponse<InputStream> r = get(ref, "/manifests/" + reference, Manifests.ACCEPT, what);
        byte[] body = bounded(r, MAX_MANIFEST_BYTES, what);
        Digest actual = Digest.of(body);
        if (reference.startsWith("sha256:") && !actual.equals(Digest.parse(reference))) {
            throw ImageException.pull(what + ": content hashes to " + actual + ", not the digest asked for");
        }
        Optional<String> claimed = r.headers().firstValue("Docker-Content-Digest");
        if (claimed.isPresent() && claimed.get().startsWith("sha256:") && !claimed.get().equals(actual.toString())) {
            throw ImageException.pull(what + ": registry says " + claimed.get() + " but the content hashes to " + actual);
        }
        return new Fetched(body, r.headers().firstValue("Content-Type").orElse(""), actual);
    }

    /** A blob's body as a stream; the caller verifies its digest while storing it. */
    InputStream blob(ImageReference ref, Digest digest) {
        return get(ref, "/blobs/" + digest, "*/*", "blob " + ref.name() + "@" + digest).body();
    }

    private HttpResponse<InputStream> get(ImageReference ref, String suffix, String accept, String what) {
        String host = ref.registryHost();
        String scope = "repository:" + ref.path() + ":pull";
        String key = host + " " + scope;
        String base = scheme(host) + "://" + host + "/v2/" + ref.path();
        URI uri = URI.create(base + suffix);
        try {
            HttpResponse<InputStream> r = send(uri, accept, authorizations.get(key), what);
            if (r.statusCode() == 401) {
                String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
                String answer = errorOf(r);
                String auth = authorize(ref, challenge, scope, what, answer);
                authorizations.put(key, auth);
                r = send(uri, accept, auth, what);
            }
            if (r.statusCode() != 200) {
                throw ImageException.pull(what + ": " + scheme(host) + "://" + host + " answered " + errorOf(r));
            }
            return r;
        } catch (IOException e) {
            throw ImageException.pull(what + ": " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ImageException.pull(what + ": interrupted", e);
        }
    }

    private HttpResponse<InputStream> send(URI uri, String accept, String authorization, String what)
            throws IOException, InterruptedException {
        String auth = authorization;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept).GET();
            if (auth != null) b.header("Authorization", auth);
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            int s = r.statusCode();
            if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) return r;
            r.body().close();
            if (hop >= MAX_REDIRECTS) throw ImageException.pull(what + ": more than " + MAX_REDIRECTS + " redirects");
            URI next = uri.resolve(r.headers().firstValue("Location")
                    .orElseThrow(() -> ImageException.pull(what + ": redirect without Location")));
            if ("https".equals(uri.getScheme()) && !"https".equals(next.getScheme())) {
                throw ImageException.pull(what + ": refused redirect from HTTPS to " + next.getScheme());
            }
            if (!"https".equals(next.getScheme()) && !"http".equals(next.getScheme())) {
                throw ImageException.pull(what + ": refused redirect to " + next.getScheme());
            }
            if (!next.getAuthority().equals(uri.getAuthority())) auth = null; // signed URL: our token stays home
            uri = next;
        }
    }

    /** The Authorization header answering a 401's challenge: Basic from config.json, or a Bearer token. */
    private String authorize(ImageReference ref, String challenge, String scope, String what, String answer)
            throws IOException, InterruptedException {
        Optional<RegistryCredentials.Basic> basic = credentials.forDomain(ref.domain());
        String lower = challenge.toLowerCase();
        if (lower.startsWith("basic")) {
            if (basic.isEmpty()) {
                throw ImageException.pull(what + ": " + ref.registryHost() + " answered " + answer
                        + " and no credentials are configured for it");
            }
            return basicHeader(basic.get());
        }
        if (!lower.startsWith("bearer")) {
            throw ImageException.pull(what + ": " + ref.registryHost() + " answered " + answer
                    + (challenge.isEmpty() ? " without a challenge" : " with an unsupported challenge: " + challenge));
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) params.put(m.group(1).toLowerCase(), m.group(2));
        String realm = params.get("realm");
        if (realm == null) throw ImageException.pull(what + ": bearer challenge without a realm: " + challenge);
        URI realmUri = URI.create(realm);
        if (!"https".equals(realmUri.getScheme())
                && !("http".equals(realmUri.getScheme()) && plainHttpAllowed(realmUri.getAuthority()))) {
            throw ImageException.pull(what + ": refused token realm " + realm + " (plain HTTP to a non-local host)");
        }
        List<String> query = new ArrayList<>();
        if (params.containsKey("service")) query.add("service=" + enc(params.get("service")));
        query.add("scope=" + enc(params.getOrDefault("scope", scope)));
        URI tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + String.join("&", query));
        HttpRequest.Builder b = HttpRequest.newBuilder(tokenUri).timeout(timeout).GET();
        basic.ifPresent(c -> b.header("Authorization", basicHeader(c)));
        HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw ImageException.pull(what + ": token endpoint " + realmUri.getAuthority() + " answered " + errorOf(r)
                    + (basic.isEmpty() ? " (no credentials configured)" : ""));
        }
        JsonNode token = JSON.readTree(bounded(r, MAX_TOKEN_BYTES, "token"));
        String t = token.path("token").asText(token.path("access_token").asText(""));
        if (t.isEmpty()) throw ImageException.pull(what + ": token endpoint gave no token");
        return "Bearer " + t;
    }

    private String scheme(String host) {
        return schemes.computeIfAbsent(host, h -> {
            if (!plainHttpAllowed(h)) return "https";
            try { // Docker's rule for loopback and insecure registries: HTTPS if it answers, else HTTP
                HttpRequest req = HttpRequest.newBuilder(URI.create("https://" + h + "/v2/"))
                        .timeout(Duration.ofSeconds(5)).GET().build();
                http.send(req, HttpResponse.BodyHandlers.discarding());
                return "https";
            } catch (IOException e) {
                return "http";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "http";
            }
        });
    }

    /** "404 MANIFEST_UNKNOWN: manifest unknown", from the spec's error body when there is one. */
    static String errorOf(HttpResponse<InputStream> r) {
        String status = Integer.toString(r.statusCode());
        try (InputStream in = r.body()) {
            byte[] body = in.readNBytes(MAX_ERROR_BYTES);
            JsonNode errors = JSON.readTree(body).path("errors");
            List<String> parts = new ArrayList<>();
            for (JsonNode e : errors) {
                String code = e.path("code").asText("");
                String msg = e.path("message").asText("");
                parts.add(code + (msg.isEmpty() ? "" : ": " + msg));
            }
            if (!parts.isEmpty()) return status + " " + String.join("; ", parts);
        } catch (IOException | RuntimeException ignored) {
            // not the spec's error body: the status says enough
        }
        return status;
    }

    private static byte[] bounded(HttpResponse<InputStream> r, int max, String what) {
        long declared = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = r.body()) {
            if (declared > max) throw ImageException.pull(what + " is " + declared + " bytes, more than " + max);
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) throw ImageException.pull(what + " is more than " + max + " bytes");
            return body;
        } catch (IOException e) {
            throw ImageException.pull(what + ": " + e, e);
        }
    }

    private static String basicHeader(RegistryCredentials.Basic c) {
        return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
