package dev.berth.bus.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads a /metrics page with Prometheus' own text-format parser (the Python client's
 * {@code prometheus_client.parser}, Debian's python3-prometheus-client), so tests check what a Prometheus
 * server would take, not what a regular expression happens to match. Fails when the page does not parse.
 */
public final class PrometheusText {
    private PrometheusText() {}

    /** One sample: a family's name and type, the sample's own name (with _total, _bucket, ...), its labels and value. */
    public record Sample(String family, String type, String name, Map<String, String> labels, double value) {}

    /** Python's json writes NaN and Infinity (a gauge may be NaN). */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build());

    private static final String PARSER = String.join("\n",
            "import json, sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "out = []",
            "for f in text_string_to_metric_families(sys.stdin.read()):",
            "    for s in f.samples:",
            "        out.append({'family': f.name, 'type': f.type, 'name': s.name, 'labels': s.labels, 'value': s.value})",
            "json.dump(out, sys.stdout)");

    public static List<Sample> parse(String exposition) {
        try {
            // Debian's python3 (not a user's pyenv shim) is the one with python3-prometheus-client.
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", PARSER).redirectError(ProcessBuilder.Redirect.PIPE).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(exposition.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("the Prometheus text parser refused the page: " + err);
            }
            return JSON.readValue(out, new TypeReference<List<Sample>>() {});
        } catch (IOException e) {
            throw new AssertionError("cannot run the Prometheus text parser (apt-get install python3-prometheus-client): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The sum of the samples named {@code name} whose labels include {@code labels}; 0 when there are none. */
    public static double sum(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    /** The value of the one sample named {@code name} whose labels include {@code labels}; fails when there is none. */
    public static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).reduce(Double::sum)
                .orElseThrow(() -> new AssertionError("no sample " + name + labels + " among " + samples.size() + " samples"));
    }
}
