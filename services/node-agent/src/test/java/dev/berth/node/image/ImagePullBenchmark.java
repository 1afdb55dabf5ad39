package dev.berth.node.image;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.bus.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Pull + unpack of a ~50 MB image of many files from a local docker-registry: Berth's image service
 * beside {@code skopeo copy} + {@code umoci unpack} of the same image in the same run. Prints wall
 * times (median of the rounds) and the ratio; asserts nothing. Not part of the normal test run:
 * {@code ./mvnw -q -pl services/node-agent -am test -Dtest=ImagePullBenchmark -Dberth.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "berth.bench", matches = "true")
class ImagePullBenchmark {

    static final int FILES = Integer.getInteger("berth.bench.files", 6000);
    static final int FILE_BYTES = Integer.getInteger("berth.bench.fileBytes", 8192);
    static final int ROUNDS = Integer.getInteger("berth.bench.rounds", 3);

    @Test
    void pullAndUnpack() throws Exception {
        assumeTrue(ImageTools.usable(), "needs root, umoci, skopeo, docker-registry and busybox-static");
        Path base = Files.createTempDirectory("berth-pull-bench-");
        try (ImageTools.Registry registry = new ImageTools.Registry(Files.createDirectories(base.resolve("reg")), null, null)) {
            Path work = Files.createDirectories(base.resolve("work"));
            Path layout = work.resolve("layout");
            ImageTools.buildFilesImage(work, layout, "big", FILES, FILE_BYTES, 42);
            String ref = registry.host() + "/bench/big:v1";
            ImageTools.skopeo(work, "oci:" + layout + ":big", "docker://" + ref);
            long blobBytes;
            try (var s = Files.walk(registry.storage)) {
                blobBytes = s.filter(p -> p.toString().endsWith("/data")).mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf("image: %d files of %d bytes (+ busybox), %.1f MB unpacked, %.1f MB in the registry%n",
                    FILES, FILE_BYTES, FILES * (double) FILE_BYTES / 1e6, blobBytes / 1e6);

            List<Long> berth = new ArrayList<>();
            List<Long> tools = new ArrayList<>();
            for (int round = 0; round < ROUNDS + 1; round++) { // round 0 warms the JVM and the page cache
                Path node = base.resolve("node-" + round);
                long t0 = System.nanoTime();
                try (ImageService images = new ImageService(node, ImageService.Options.defaults())) {
                    images.ensure(ImageReference.parse(ref), PullPolicy.ALWAYS);
                }
                long b = System.nanoTime() - t0;

                Path oci = base.resolve("skopeo-" + round);
                Path bundle = base.resolve("umoci-" + round);
                t0 = System.nanoTime();
                ImageTools.run(base, "skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + ref, "oci:" + oci + ":big");
                ImageTools.run(base, "umoci", "unpack", "--image", oci + ":big", bundle.toString());
                long t = System.nanoTime() - t0;
                System.out.printf("round %d: berth %d ms, skopeo+umoci %d ms%n", round, b / 1_000_000, t / 1_000_000);
                if (round > 0) {
                    berth.add(b);
                    tools.add(t);
                }
                ImageTools.deleteTree(node);
                ImageTools.deleteTree(oci);
                ImageTools.deleteTree(bundle);
            }
            long mb = median(berth) / 1_000_000;
            long mt = median(tools) / 1_000_000;
            System.out.printf("pull+unpack median of %d: berth %d ms, skopeo copy + umoci unpack %d ms, ratio %.2f%n",
                    ROUNDS, mb, mt, mb / (double) mt);
        } finally {
            ImageTools.deleteTree(base);
        }
    }

    static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
