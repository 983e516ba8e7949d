package dev.thaw.engine.train;

import dev.thaw.zoo.FrozenBatchNorm;

/**
 * What the BatchNorm layers of the trainable part do while it fine-tunes ({@code --batchnorm}). Layers behind a
 * freeze point are frozen whole either way, BatchNorm included.
 */
public enum BatchNormMode {

    /**
     * Inference mode: normalize with the pretrained running statistics and keep them, scale and shift fixed
     * ({@link FrozenBatchNorm}; PyTorch's {@code bn.eval()} while fine-tuning). The default for pretrained weights:
     * on few labels, training-mode BatchNorm swaps the pretrained statistics for those of each 32-image batch, and
     * ResNet50 lost 10–20 points to it in PyTorch and in Thaw alike (benchmarks/results/parity.md).
     */
    FROZEN,

    /**
     * Training mode, DL4J's and PyTorch's default: batch statistics, running statistics updated, scale and shift
     * trained. The default for random weights, whose statistics mean nothing yet.
     */
    TRAIN;

    /** Reads {@code auto}, {@code frozen} or {@code train}; {@code auto} is frozen for pretrained weights. */
    public static BatchNormMode parse(String spec, boolean pretrained) {
        String s = spec == null ? "auto" : spec.strip().toLowerCase();
        return switch (s) {
            case "auto" -> pretrained ? FROZEN : TRAIN;
            case "frozen" -> FROZEN;
            case "train" -> TRAIN;
            default -> throw new IllegalArgumentException("--batchnorm " + spec + ": use auto, frozen or train");
        };
    }
}
