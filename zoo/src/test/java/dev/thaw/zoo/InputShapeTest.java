package dev.thaw.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class InputShapeTest {

    @Test
    void parsesFullAndShortForms() {
        assertEquals(new InputShape(3, 64, 48), InputShape.parse("3x64x48"));
        assertEquals(new InputShape(3, 32, 32), InputShape.parse("32"));
        assertEquals(new InputShape(1, 28, 28), InputShape.parse("1X28X28"));
    }

    @Test
    void badShapeSaysHowToWriteIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputShape.parse("64x64"));
        assertTrue(e.getMessage().contains("3x64x64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InputShape.parse("2x8x8"));
    }

    @Test
    void normalizationsMapPixelsAsDocumented() {
        INDArray px = Nd4j.valueArrayOf(new long[] {1, 3, 2, 2}, 255.0);
        assertEquals(1.0, Normalization.UNIT.applyCopy(px).getDouble(0, 2, 1, 1), 1e-6);
        assertEquals(255 - 116.779, Normalization.VGG_MEAN.applyCopy(px).getDouble(0, 1, 0, 0), 1e-4);
        assertEquals((1 - 0.406) / 0.225, Normalization.IMAGENET_MEAN_STD.applyCopy(px).getDouble(0, 2, 0, 0), 1e-4);
    }
}
