package org.nd4j.nativeblas;

/**
 * Compatibility shim for DL4J 1.0.0-M2.1's oneDNN layer helpers; not part of Thaw's API.
 *
 * <p>DL4J decides whether its oneDNN helpers (convolution, batch norm, pooling, LRN) may run by reflectively calling
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()} ({@code BaseMKLDNNHelper}). In M2.1
 * ND4J's bindings moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} and the method became
 * {@code isUseONEDNN()}, so the lookup always fails and every layer falls back to DL4J's Java implementation, even
 * on the {@code linux-x86_64-onednn} natives. This class answers DL4J's old question with the new binding's answer;
 * it decides nothing itself. Measured effect and the switch that turns helpers off: see {@code LayerHelpers}.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The old name DL4J's helpers look up. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * True when the loaded libnd4j was built with oneDNN (the {@code linux-x86_64-onednn} natives). Looked up
         * reflectively: under {@code -Pcuda} the CPU bindings are not on the classpath (DL4J only asks on CPU).
         */
        public boolean isUseMKLDNN() {
            try {
                Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                return (Boolean) env.getMethod("isUseONEDNN").invoke(env.getMethod("getInstance").invoke(null));
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
