package dev.thaw.zoo;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Map;
import java.util.Optional;

/**
 * Which CPU instruction set oneDNN (inside ND4J's natives) may use, chosen from the input size of the first graph
 * Thaw builds in a process.
 *
 * <p>On AVX-512 machines oneDNN 2.3 computes the weight gradient of a 3×3 convolution with Winograd kernels even when
 * the feature maps are 1×1 or 2×2, as in ResNet50's last stage at 32–64 px: {@code ONEDNN_VERBOSE} showed 9 such
 * calls per step taking 87 ms of a 0.38 s step at 32 px (17 ms for one 1×1 map). Capped at AVX2, oneDNN has no
 * Winograd and uses direct or gemm kernels instead: the full ResNet50 step (batch 16, 2 cores) went from 0.38 to
 * 0.30 s at 32 px and 0.44 to 0.35 s at 64 px, but from 1.25 to 1.40 s at 224 px, where the AVX-512 kernels pay off,
 * and VGG16 at 64 px went from 0.75 to 0.89 s (its 3×3 convolutions run on large maps). So each backbone says up to
 * which input size the cap helps it (ResNet50: 64 px; VGG16 and the small CNN: never), and the first graph built
 * in a process decides (README "Speed").
 *
 * <p>oneDNN reads {@code DNNL_MAX_CPU_ISA} from the process environment once, when it creates its first primitive
 * (the first convolution), and Java cannot set an environment variable; so Thaw calls the C library's {@code setenv}
 * through JNA (on ND4J's classpath already) before that. Whatever the user chose wins: their own
 * {@code DNNL_MAX_CPU_ISA} (or {@code ONEDNN_MAX_CPU_ISA}, which oneDNN 2.3 ignores), or
 * {@code -Dthaw.onednn.isa=VALUE} ({@code default} to keep oneDNN's choice, or one of oneDNN's values such as
 * {@code AVX2}, {@code AVX512_CORE}).
 */
public final class OneDnnIsa {

    /** The system property that overrides Thaw's choice. */
    public static final String PROPERTY = "thaw.onednn.isa";
    /** oneDNN 2.3 (in ND4J M2.1) reads only the DNNL_ names; newer oneDNN reads ONEDNN_MAX_CPU_ISA first. */
    static final String VARIABLE = "DNNL_MAX_CPU_ISA";

    private static boolean decided;

    private OneDnnIsa() {
    }

    /**
     * Sets oneDNN's ISA cap for a graph of this input, if this is the first graph built in the process; later calls
     * change nothing (oneDNN has read the variable by then).
     *
     * @param avx2UpTo largest input side (px) at which the backbone was measured faster capped at AVX2; 0: never
     */
    static synchronized void chooseFor(InputShape input, int avx2UpTo) {
        if (decided) {
            return;
        }
        decided = true;
        choice(input, avx2UpTo, System.getProperty(PROPERTY), System.getenv()).ifPresent(OneDnnIsa::setenv);
    }

    /** The value to give {@value #VARIABLE}, if any: the user's property, else the cap for small inputs. */
    static Optional<String> choice(InputShape input, int avx2UpTo, String property, Map<String, String> env) {
        if (env.containsKey(VARIABLE) || env.containsKey("ONEDNN_MAX_CPU_ISA")) {
            return Optional.empty();
        }
        if (property != null) {
            return property.equalsIgnoreCase("default") ? Optional.empty()
                    : Optional.of(property.toUpperCase(java.util.Locale.ROOT));
        }
        return Math.max(input.height(), input.width()) <= avx2UpTo ? Optional.of("AVX2") : Optional.empty();
    }

    /** The value oneDNN will read, as the C library sees it (not Java's copy of the environment). */
    static Optional<String> current() {
        Function getenv = NativeLibrary.getProcess().getFunction("getenv");
        return Optional.ofNullable((String) getenv.invoke(String.class, new Object[] {VARIABLE}));
    }

    private static void setenv(String value) {
        Function setenv = NativeLibrary.getProcess().getFunction("setenv");
        setenv.invokeInt(new Object[] {VARIABLE, value, 0});
    }
}
