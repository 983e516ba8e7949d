package dev.thaw.zoo.weights;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.InputShape;
import java.nio.file.Path;

/**
 * Where a backbone's starting weights come from. Every source builds the backbone for the requested input shape
 * and class count and fills in what it has, so a caller never cares which one it got.
 *
 * <p>Written on the command line as {@code random}, {@code imagenet}, {@code PATH.zip} (a DL4J model zip),
 * {@code PATH.h5} (Keras), {@code PATH.pth} (a PyTorch state_dict, for torchvision-layout backbones), or with an
 * explicit prefix: {@code dl4j:PATH}, {@code keras:PATH}, {@code torchvision:PATH}, {@code thaw:PATH} (a model Thaw
 * saved, e.g. by {@code pretrain}, whose backbone is checked).
 */
public interface WeightSource {

    /** How a user would write this source. */
    String describe();

    /** Whether the weights were learned somewhere (everything but {@code random}). */
    default boolean pretrained() {
        return true;
    }

    /** Builds {@code backbone} for {@code input} and {@code numClasses} and loads this source's weights into it. */
    LoadedModel load(Backbone backbone, InputShape input, int numClasses, long seed);

    /** Reads a {@code --weights} value. */
    static WeightSource parse(String spec) {
        String s = spec.trim();
        String lower = s.toLowerCase();
        if (lower.equals("random")) {
            return new RandomWeights();
        }
        if (lower.equals("imagenet")) {
            return new ImageNetWeights();
        }
        if (lower.startsWith("dl4j:")) {
            return new ModelFileWeights(Path.of(s.substring(5)), false);
        }
        if (lower.startsWith("thaw:")) {
            return new ModelFileWeights(Path.of(s.substring(5)), true);
        }
        if (lower.startsWith("keras:")) {
            return new KerasWeights(Path.of(s.substring(6)));
        }
        if (lower.startsWith("torchvision:")) {
            return new TorchvisionWeights(Path.of(s.substring(12)));
        }
        if (lower.endsWith(".pth") || lower.endsWith(".pt")) {
            return new TorchvisionWeights(Path.of(s));
        }
        if (lower.endsWith(".h5") || lower.endsWith(".hdf5")) {
            return new KerasWeights(Path.of(s));
        }
        if (lower.endsWith(".zip")) {
            return new ModelFileWeights(Path.of(s), false);
        }
        throw new IllegalArgumentException("cannot read weights '" + spec + "': use random, imagenet, a DL4J model "
                + "zip (PATH.zip or dl4j:PATH), a Keras file (PATH.h5 or keras:PATH), a PyTorch state_dict (PATH.pth "
                + "or torchvision:PATH) or a Thaw model (thaw:PATH)");
    }
}
