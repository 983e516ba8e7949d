package dev.thaw.zoo;

/**
 * Turns on DL4J's oneDNN layer helpers, which DL4J 1.0.0-M2.1 ships switched off.
 *
 * <p>With them, convolution, batch norm and pooling run as libnd4j ops backed by oneDNN instead of DL4J's Java
 * im2col + gemm. Measured on 2 cores, batch 16 ({@code StepBenchmark}): ResNet50 at 64 px forward 0.185 s →
 * 0.073 s, training step 0.63 s → 0.50 s, with the same loss on a fixed batch. Two things stand in the way in
 * M2.1, and both are handled here and in the build: the system property {@value #DISABLE_PROPERTY} defaults to
 * {@code true}, and the helpers' availability check looks up a class that moved (see the shim
 * {@link org.nd4j.nativeblas.Nd4jCpu}). The helpers only run on natives built with oneDNN, which is why Thaw uses
 * the {@code linux-x86_64-onednn} classifier of {@code nd4j-native}.
 *
 * <p>To compare or to work around a helper bug, run with {@code -Dorg.eclipse.deeplearning4j.helpers.disable=true}:
 * an explicit setting is never overridden. Helpers are chosen when a layer is created, so this must run before any
 * graph is built or loaded; {@link Backbones} calls it when first used.
 */
public final class LayerHelpers {

    /** DL4J's own switch (DL4JSystemProperties.DISABLE_HELPER_PROPERTY). */
    public static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private LayerHelpers() {
    }

    /** Enables the helpers unless the user set {@value #DISABLE_PROPERTY} explicitly. */
    public static void enable() {
        if (System.getProperty(DISABLE_PROPERTY) == null) {
            System.setProperty(DISABLE_PROPERTY, "false");
        }
    }

    /** Whether layers created from now on get a helper, as far as the property goes. */
    public static boolean enabled() {
        return "false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY));
    }
}
