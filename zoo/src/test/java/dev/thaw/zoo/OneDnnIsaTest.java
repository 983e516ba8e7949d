package dev.thaw.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OneDnnIsaTest {

    @Test
    void smallInputsGetTheAvx2CapLargeOnesKeepOneDnnsChoice() {
        assertEquals(Optional.of("AVX2"), OneDnnIsa.choice(InputShape.rgb(32), 64, null, Map.of()));
        assertEquals(Optional.of("AVX2"), OneDnnIsa.choice(InputShape.rgb(64), 64, null, Map.of()));
        assertEquals(Optional.empty(), OneDnnIsa.choice(InputShape.rgb(224), 64, null, Map.of()));
        assertEquals(Optional.empty(), OneDnnIsa.choice(InputShape.rgb(32), 0, null, Map.of()), "backbones it slows");
    }

    @Test
    void theUsersChoiceWins() {
        assertEquals(Optional.empty(), OneDnnIsa.choice(InputShape.rgb(32), 64, null,
                Map.of("ONEDNN_MAX_CPU_ISA", "ALL")));
        assertEquals(Optional.empty(), OneDnnIsa.choice(InputShape.rgb(32), 64, "AVX2",
                Map.of(OneDnnIsa.VARIABLE, "AVX512_CORE")), "the environment variable beats the property");
        assertEquals(Optional.empty(), OneDnnIsa.choice(InputShape.rgb(32), 64, "default", Map.of()));
        assertEquals(Optional.of("AVX512_CORE"), OneDnnIsa.choice(InputShape.rgb(224), 64, "avx512_core", Map.of()));
    }

    /** What oneDNN reads is the C library's environment, which Java's System.getenv does not see change. */
    @Test
    void theFirstGraphBuiltSetsTheVariableOneDnnReads() {
        Backbones.get("resnet50").build(InputShape.rgb(32), 3, 1);
        Optional<String> expected = OneDnnIsa.choice(InputShape.rgb(32), 64, System.getProperty(OneDnnIsa.PROPERTY),
                System.getenv());
        if (expected.isPresent()) { // unless this JVM built a larger graph first, or the user chose
            assertEquals(expected, OneDnnIsa.current());
        }
    }
}
