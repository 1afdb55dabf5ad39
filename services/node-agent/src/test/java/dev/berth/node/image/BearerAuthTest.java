package dev.berth.node.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.bus.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bearer-token auth, Docker Hub's scheme, against the real docker-registry configured for token
 * auth. The token server is the test's (as every registry deployment brings its own): it checks
 * Basic credentials and signs a JWT with a key whose certificate (made by openssl) the registry
 * trusts. The registry verifies the token; skopeo pushes through the same flow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BearerAuthTest {

    static final String SERVICE = "berth-test-registry";
    static final String ISSUER = "berth-test-issuer";

    Path base;
    HttpServer tokens;
    ImageTools.Registry registry;
    PrivateKey key;
    String certificate;
    final AtomicInteger tokenRequests = new AtomicInteger();
    final List<String> scopes = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        assumeTrue(ImageTools.usable() && ImageTools.onPath("openssl"), "needs root, umoci, skopeo, docker-registry, openssl");
        base = Files.createTempDirectory("berth-bearer-");
        ImageTools.run(base, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                "-days", "1", "-subj", "/CN=berth-test-token-issuer");
        key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pem(base.resolve("key.pem"), "PRIVATE KEY")));
        try (InputStream in = Files.newInputStream(base.resolve("cert.pem"))) {
            certificate = Base64.getEncoder().encodeToString(CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded());
        }
        tokens = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokens.createContext("/token", this::token);
        tokens.start();
        Path regDir = Files.createDirectories(base.resolve("reg"));
        String auth = "auth:\n  token:\n    realm: http://127.0.0.1:" + tokens.getAddress().getPort() + "/token\n    service: " + SERVICE
                + "\n    issuer: " + ISSUER + "\n    rootcertbundle: " + base.resolve("cert.pem") + "\n";
        registry = new ImageTools.Registry(regDir, auth);
        Path work = Files.createDirectories(base.resolve("work"));
        ImageTools.buildFilesImage(work, work.resolve("layout"), "small", 2, 1024, 7);
        ImageTools.run(work, "skopeo", "copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", "berth:s3cret",
                "oci:" + work.resolve("layout") + ":small", "docker://" + registry.host() + "/private/small:v1");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (registry != null) registry.close();
        } finally {
            if (tokens != null) tokens.stop(0);
            ImageTools.deleteTree(base);
        }
    }

    @Test
    void pullsWithATokenFromTheRealmAndFailsClearlyWithout() throws Exception {
        ImageReference ref = ImageReference.parse(registry.host() + "/private/small:v1");
        String b64 = Base64.getEncoder().encodeToString("berth:s3cret".getBytes(StandardCharsets.UTF_8));
        RegistryCredentials creds = RegistryCredentials.parse(("{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + b64 + "\"}}}")
                .getBytes(StandardCharsets.UTF_8));
        int before = tokenRequests.get();
        try (ImageService images = new ImageService(base.resolve("node-a"), ImageService.Options.defaults().withCredentials(creds))) {
            ImageHandle h = images.ensure(ref, PullPolicy.ALWAYS);
            assertThat(h.layers()).hasSize(2);
        }
        assertThat(tokenRequests.get() - before).isEqualTo(1); // one token per repository scope, reused for every blob
        assertThat(scopes.get(scopes.size() - 1)).isEqualTo("repository:private/small:pull");

        try (ImageService anonymous = new ImageService(base.resolve("node-b"), ImageService.Options.defaults())) {
            assertThatThrownBy(() -> anonymous.ensure(ref, PullPolicy.ALWAYS)).isInstanceOf(ImageException.class)
                    .hasMessageContaining("token endpoint").hasMessageContaining("401").hasMessageContaining("no credentials");
        }
    }

    /** Grants the requested actions to berth:s3cret, nothing to anyone else. */
    private void token(HttpExchange x) throws IOException {
        tokenRequests.incrementAndGet();
        try (x) {
            String auth = x.getRequestHeaders().getFirst("Authorization");
            String expected = "Basic " + Base64.getEncoder().encodeToString("berth:s3cret".getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(auth)) {
                x.sendResponseHeaders(401, -1);
                return;
            }
            ObjectMapper json = new ObjectMapper();
            ObjectNode claims = json.createObjectNode().put("iss", ISSUER).put("sub", "berth").put("aud", SERVICE)
                    .put("exp", Instant.now().getEpochSecond() + 300).put("nbf", Instant.now().getEpochSecond() - 10)
                    .put("iat", Instant.now().getEpochSecond()).put("jti", UUID.randomUUID().toString());
            ArrayNode access = claims.putArray("access");
            String query = x.getRequestURI().getRawQuery();
            for (String kv : query == null ? new String[0] : query.split("&")) {
                String[] p = kv.split("=", 2);
                if (!p[0].equals("scope") || p.length < 2) continue;
                String scope = URLDecoder.decode(p[1], StandardCharsets.UTF_8);
                synchronized (scopes) {
                    scopes.add(scope);
                }
                String[] parts = scope.split(":");
                ObjectNode a = access.addObject().put("type", parts[0]).put("name", parts[1]);
                ArrayNode actions = a.putArray("actions");
                for (String action : parts[2].split(",")) actions.add(action);
            }
            ObjectNode header = json.createObjectNode().put("typ", "JWT").put("alg", "RS256");
            header.putArray("x5c").add(certificate);
            String signingInput = b64url(json.writeValueAsBytes(header)) + "." + b64url(json.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            String jwt = signingInput + "." + b64url(rs256.sign());
            byte[] body = json.writeValueAsBytes(Map.of("token", jwt, "expires_in", 300));
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static String b64url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] pem(Path file, String type) throws IOException {
        String text = Files.readString(file);
        int start = text.indexOf("-----BEGIN " + type + "-----");
        int end = text.indexOf("-----END " + type + "-----");
        if (start < 0 || end < 0) throw new IOException(file + " holds no " + type);
        return Base64.getMimeDecoder().decode(text.substring(start + type.length() + 16, end));
    }
}
