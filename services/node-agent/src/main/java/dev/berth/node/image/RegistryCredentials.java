package dev.berth.node.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials per registry host from a docker-style config.json ({@code auths.<host>.auth} =
 * base64 of {@code user:password}, or {@code username}/{@code password}). Keys may be written as
 * {@code host}, {@code https://host} or {@code https://host/v1/}; Docker Hub is
 * {@code https://index.docker.io/v1/}.
 */
public final class RegistryCredentials {

    public record Basic(String username, String password) {
        @Override
        public String toString() {
            return "Basic[" + username + ", ****]"; // never log a password
        }
    }

    public static final RegistryCredentials NONE = new RegistryCredentials(Map.of());
    private static final long MAX_FILE = 1 << 20;

    private final Map<String, Basic> byHost;

    private RegistryCredentials(Map<String, Basic> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    public static RegistryCredentials of(Map<String, Basic> byHost) {
        Map<String, Basic> m = new HashMap<>();
        byHost.forEach((k, v) -> m.put(hostOf(k), v));
        return new RegistryCredentials(m);
    }

    /** Reads a docker config.json; a missing file means no credentials. */
    public static RegistryCredentials load(Path configJson) throws IOException {
        if (configJson == null || !Files.exists(configJson)) return NONE;
        if (Files.size(configJson) > MAX_FILE) throw new IOException(configJson + " is larger than " + MAX_FILE + " bytes");
        return parse(Files.readAllBytes(configJson));
    }

    public static RegistryCredentials parse(byte[] json) throws IOException {
        JsonNode auths = new ObjectMapper().readTree(json).path("auths");
        Map<String, Basic> m = new HashMap<>();
        var it = auths.fields();
        while (it.hasNext()) {
            var e = it.next();
            JsonNode a = e.getValue();
            String user = a.path("username").asText("");
            String pass = a.path("password").asText("");
            String auth = a.path("auth").asText("");
            if (!auth.isEmpty()) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException bad) {
                    throw new IOException("auths." + e.getKey() + ".auth is not base64");
                }
                int colon = decoded.indexOf(':');
                if (colon < 0) throw new IOException("auths." + e.getKey() + ".auth is not base64 of user:password");
                user = decoded.substring(0, colon);
                pass = decoded.substring(colon + 1);
            }
            if (!user.isEmpty()) m.put(hostOf(e.getKey()), new Basic(user, pass));
        }
        return new RegistryCredentials(m);
    }

    /** Credentials for a reference's domain (docker.io and index.docker.io are one). */
    public Optional<Basic> forDomain(String domain) {
        return Optional.ofNullable(byHost.get(hostOf(domain)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistryCredentials other && byHost.equals(other.byHost);
    }

    @Override
    public int hashCode() {
        return byHost.hashCode();
    }

    static String hostOf(String key) {
        String h = key.strip();
        if (h.startsWith("https://")) h = h.substring(8);
        else if (h.startsWith("http://")) h = h.substring(7);
        int slash = h.indexOf('/');
        if (slash >= 0) h = h.substring(0, slash);
        if (h.equals("index.docker.io") || h.equals("registry-1.docker.io")) h = "docker.io";
        return h;
    }
}
