package dev.thaw.engine.train;

import dev.thaw.zoo.Backbone;
import dev.thaw.zoo.FrozenBatchNorm;

/**
 * What the BatchNorm layers of the trainable part do while it fine-tunes ({@code --batchnorm}). Layers behind a
 * freeze point are frozen whole either way, BatchNorm included.
 */
public enum BatchNormMode {

    /**
     * Inference mode: normalize with the pretrained running statistics and keep them, scale and shift fixed
     * ({@link FrozenBatchNorm}; PyTorch's {@code bn.eval()} while fine-tuning). The default for pretrained weights
     * and fewer training images per class than {@link Backbone#frozenBatchNormBelow()}: there, training-mode
     * BatchNorm swaps the pretrained statistics for those of each small batch (ResNet50, 20 labels per class: 0.807
     * frozen vs 0.787 trained in Thaw; benchmarks/results/parity.md).
     */
    FROZEN,

    /**
     * Training mode, DL4J's and PyTorch's default: batch statistics, running statistics updated, scale and shift
     * trained. The default for random weights, whose statistics mean nothing yet, and from
     * {@link Backbone#frozenBatchNormBelow()} images per class on, where adapting the statistics to the new images
     * helps (ResNet50: 0.873 vs 0.852 frozen at 50 per class, 0.905 vs 0.884 at 100).
     */
    TRAIN;

    /**
     * Reads {@code auto}, {@code frozen} or {@code train}; {@code auto} is frozen for pretrained weights trained on
     * fewer images per class than the backbone's {@link Backbone#frozenBatchNormBelow()}, and trains BatchNorm
     * otherwise.
     */
    public static BatchNormMode parse(String spec, boolean pretrained, int imagesPerClass, Backbone backbone) {
        String s = spec == null ? "auto" : spec.strip().toLowerCase();
        return switch (s) {
            case "auto" -> pretrained && imagesPerClass < backbone.frozenBatchNormBelow() ? FROZEN : TRAIN;
            case "frozen" -> FROZEN;
            case "train" -> TRAIN;
            default -> throw new IllegalArgumentException("--batchnorm " + spec + ": use auto, frozen or train");
        };
    }
}
