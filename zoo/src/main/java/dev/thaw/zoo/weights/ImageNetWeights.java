package dev.thaw.zoo.weights;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.InputShape;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;

/**
 * DL4J's published ImageNet weights for a zoo backbone, loaded through {@code ZooModel.initPretrained}.
 *
 * <p>The file is cached where DL4J caches it ({@code ~/.deeplearning4j/models/<model>/}, or under the
 * {@code org.deeplearning4j.resources.directory} system property), and its Adler32 checksum is checked against
 * DL4J's before use. Thaw downloads it itself when missing, with bounded timeouts, because DL4J's download waits
 * forever; on failure or checksum mismatch the error says which file to place where. A mismatching file is left
 * alone (DL4J would delete it) so the user can see what they placed.
 */
public final class ImageNetWeights implements WeightSource {

    /** Bound on name lookup, connect and each read: offline machines must fail in seconds, not minutes. */
    public static final String TIMEOUT_PROPERTY = "thaw.download.timeout.seconds";

    @Override
    public String describe() {
        return "imagenet";
    }

    @Override
    public LoadedModel load(Backbone backbone, InputShape input, int numClasses, long seed) {
        ZooModel<?> zoo = backbone.imagenetZooModel().orElseThrow(() -> new WeightsException(
                "no ImageNet weights are published for " + backbone.name() + ": use --weights random, a model "
                        + "file, or pick vgg16 or resnet50"));
        String url = zoo.pretrainedUrl(PretrainedType.IMAGENET);
        long expected = zoo.pretrainedChecksum(PretrainedType.IMAGENET);
        Path cached = cachedFile(zoo, url);
        if (!Files.exists(cached)) {
            download(url, cached, backbone, expected);
        }
        verify(cached, expected, backbone);

        ComputationGraph pretrained;
        try {
            pretrained = zoo.initPretrained(PretrainedType.IMAGENET);
        } catch (IOException | RuntimeException e) {
            throw new WeightsException("DL4J could not load the ImageNet weights for " + backbone.name() + " from "
                    + cached + ": " + e.getMessage(), e);
        }
        ComputationGraph target = backbone.build(input, numClasses, seed);
        List<String> fresh = WeightTransfer.copy(pretrained, target, backbone, cached.toString());
        return new LoadedModel(target, describe(), "imagenet:" + backbone.name() + ":adler32=" + expected, fresh);
    }

    /** Where DL4J's {@code initPretrained} looks for (and caches) the file. */
    public static Path cachedFile(ZooModel<?> zoo, String url) {
        File dir = DL4JResources.getDirectory(ResourceType.ZOO_MODEL, zoo.modelName());
        return dir.toPath().resolve(new File(url).getName());
    }

    private static void download(String url, Path cached, Backbone backbone, long expected) {
        Duration timeout = Duration.ofSeconds(Long.getLong(TIMEOUT_PROPERTY, 15));
        try {
            new Download(timeout).fetch(new URL(url), cached);
        } catch (IOException e) {
            throw new WeightsException("ImageNet weights for " + backbone.name() + " are not cached and could not be "
                    + "downloaded (" + e.getMessage() + "). Download " + url + " on a machine with network and place "
                    + "it at " + cached + " (Adler32 checksum " + expected + "), or pass a local model with "
                    + "--weights PATH.zip / PATH.h5.", e);
        }
    }

    private static void verify(Path cached, long expected, Backbone backbone) {
        long actual = FileChecksums.adler32(cached);
        if (expected != 0 && actual != expected) {
            throw new WeightsException("the cached ImageNet weights for " + backbone.name() + " at " + cached
                    + " fail their checksum (Adler32 " + actual + ", expected " + expected + "): the file is "
                    + "incomplete or not DL4J's. Delete it to download again, or replace it with the right file.");
        }
    }
}
