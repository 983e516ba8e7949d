package dev.thaw.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.Backbones;
import dev.thaw.zoo.FreezePoints;
import dev.thaw.zoo.InputShape;
import dev.thaw.zoo.Normalization;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.ModelMetaData;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ImageNet path end to end on local files: DL4J's cache layout, Adler32 check, bounded download, and the
 * messages a user sees when offline. The real DL4J URLs are unreachable here, so a small "zoo model" served from
 * a local HTTP server (or a dead port) stands in for DL4J's server; the code under test is the same.
 */
class ImageNetWeightsTest {

    private static final Backbone SMALL = Backbones.get("smallcnn");
    private static final InputShape INPUT = InputShape.rgb(32);

    @TempDir
    Path dir;

    @BeforeEach
    void isolateDl4jCache() throws IOException {
        Files.createDirectories(dir.resolve("dl4j-home"));
        DL4JResources.setBaseDirectory(dir.resolve("dl4j-home").toFile());
        System.setProperty(ImageNetWeights.TIMEOUT_PROPERTY, "2");
    }

    @AfterEach
    void restoreDl4jCache() {
        DL4JResources.resetBaseDirectoryLocation();
        System.clearProperty(ImageNetWeights.TIMEOUT_PROPERTY);
    }

    @Test
    void downloadsVerifiesCachesAndLoads() throws IOException {
        Path published = dir.resolve("published.zip");
        ComputationGraph trained = SMALL.build(INPUT, 3, 77);
        ModelSerializer.writeModel(trained, published.toFile(), false);
        byte[] bytes = Files.readAllBytes(published);
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/models/tiny.zip", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/models/tiny.zip";
            Backbone backbone = withZoo(new LocalZoo(url, FileChecksums.adler32(published)));

            LoadedModel first = new ImageNetWeights().load(backbone, INPUT, 3, 1);
            SameWeights.exceptFreshOutput(trained, first.graph(), backbone.outputVertex());
            Path cached = dir.resolve("dl4j-home/models/localzoo/tiny.zip");
            assertTrue(Files.isRegularFile(cached), "file cached where DL4J looks for it");

            LoadedModel second = new ImageNetWeights().load(backbone, INPUT, 5, 1);
            assertEquals(1, requests.get(), "second load served from the cache");
            assertEquals(List.of("output"), second.reinitialized());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void wrongChecksumIsRejectedAndTheFileKept() throws IOException {
        LocalZoo zoo = new LocalZoo("http://127.0.0.1:9/models/tiny.zip", 12345L);
        Path cached = dir.resolve("dl4j-home/models/localzoo/tiny.zip");
        Files.createDirectories(cached.getParent());
        Files.writeString(cached, "not the real weights");
        WeightsException e = assertThrows(WeightsException.class,
                () -> new ImageNetWeights().load(withZoo(zoo), INPUT, 3, 1));
        assertTrue(e.getMessage().contains("fail their checksum"), e.getMessage());
        assertTrue(e.getMessage().contains(cached.toString()) && e.getMessage().contains("expected 12345"),
                e.getMessage());
        assertTrue(Files.exists(cached), "a user's file is not deleted behind their back");
    }

    @Test
    void offlineFailsFastSayingWhereToPutTheFile() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        LocalZoo zoo = new LocalZoo("http://127.0.0.1:" + deadPort + "/models/tiny.zip", 1L);
        long start = System.nanoTime();
        WeightsException e = assertThrows(WeightsException.class,
                () -> new ImageNetWeights().load(withZoo(zoo), INPUT, 3, 1));
        assertTrue((System.nanoTime() - start) / 1e9 < 10, "fails in seconds");
        assertTrue(e.getMessage().contains("could not be downloaded"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("dl4j-home/models/localzoo/tiny.zip").toString()),
                "names where to place the file: " + e.getMessage());
        assertTrue(e.getMessage().contains("--weights"), e.getMessage());
    }

    @Test
    void silentServerTimesOutInsteadOfHanging() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    Thread.sleep(30_000);
                } catch (Exception ignored) {
                    // closed by the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            LocalZoo zoo = new LocalZoo("http://127.0.0.1:" + silent.getLocalPort() + "/models/tiny.zip", 1L);
            long start = System.nanoTime();
            WeightsException e = assertThrows(WeightsException.class,
                    () -> new ImageNetWeights().load(withZoo(zoo), INPUT, 3, 1));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 10, "read timeout of 2 s honoured, took " + seconds);
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        }
    }

    @Test
    void realBackbonesPointAtDl4jsPublishedFiles() {
        for (String name : List.of("vgg16", "resnet50")) {
            ZooModel<?> zoo = Backbones.get(name).imagenetZooModel().orElseThrow();
            assertTrue(zoo.pretrainedUrl(PretrainedType.IMAGENET).endsWith(".zip"));
            assertTrue(zoo.pretrainedChecksum(PretrainedType.IMAGENET) != 0);
        }
        WeightsException e = assertThrows(WeightsException.class, () -> new ImageNetWeights().load(SMALL, INPUT, 3, 1));
        assertTrue(e.getMessage().contains("no ImageNet weights are published for smallcnn"), e.getMessage());
    }

    /** The small backbone, but with a zoo model whose "ImageNet" file lives at a local URL. */
    private static Backbone withZoo(ZooModel<?> zoo) {
        return new Backbone() {
            public String name() { return SMALL.name(); }
            public String description() { return SMALL.description(); }
            public InputShape nativeInput() { return SMALL.nativeInput(); }
            public int minInputSize() { return SMALL.minInputSize(); }
            public Normalization normalization() { return SMALL.normalization(); }
            public FreezePoints freezePoints() { return SMALL.freezePoints(); }
            public String outputVertex() { return SMALL.outputVertex(); }
            public ComputationGraph build(InputShape input, int n, long seed) { return SMALL.build(input, n, seed); }
            public Optional<ZooModel<?>> imagenetZooModel() { return Optional.of(zoo); }
        };
    }

    private static final class LocalZoo extends ZooModel<ComputationGraph> {
        private final String url;
        private final long checksum;

        LocalZoo(String url, long checksum) {
            this.url = url;
            this.checksum = checksum;
        }

        @Override
        public String pretrainedUrl(PretrainedType type) {
            return type == PretrainedType.IMAGENET ? url : null;
        }

        @Override
        public long pretrainedChecksum(PretrainedType type) {
            return checksum;
        }

        @Override
        public Class<? extends Model> modelType() {
            return ComputationGraph.class;
        }

        @Override
        public Model init() {
            throw new UnsupportedOperationException("only pretrained weights are served");
        }

        @Override
        public ModelMetaData metaData() {
            return null;
        }

        @Override
        public void setInputShape(int[][] shape) {
        }

        @Override
        public String modelName() {
            return "localzoo";
        }
    }
}
