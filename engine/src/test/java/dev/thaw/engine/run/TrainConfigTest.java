package dev.thaw.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a Java user gets from {@link TrainConfig#builder()} without choosing, and what config.json keeps. */
class TrainConfigTest {

    @TempDir
    Path dir;

    @Test
    void withoutStrategyOrRateTheBuilderPicksWhatTrainPicks() {
        TrainConfig pretrained = TrainConfig.builder().model("resnet50").weights("thaw:runs/a/model.zip").build();
        assertEquals("two-phase", pretrained.strategy());
        assertEquals(1e-3, pretrained.lr());

        TrainConfig random = TrainConfig.builder().model("vgg16").build();
        assertEquals("full", random.strategy(), "frozen random layers never learn");
        assertEquals(1e-4, random.lr(), "vgg16's from-scratch rate");

        TrainConfig fullFromPretrained = TrainConfig.builder().model("resnet50").weights("imagenet").strategy("full")
                .build();
        assertEquals(1e-4, fullFromPretrained.lr(), "pretrained layers training from the start get 1e-4");

        TrainConfig chosen = TrainConfig.builder().weights("imagenet").strategy("head").lr(0.05).build();
        assertEquals("head", chosen.strategy());
        assertEquals(0.05, chosen.lr());
    }

    @Test
    void skipTestIsLeftOutOfConfigJsonUnlessSetSoOlderConfigsStillMatch() throws Exception {
        RunDirectory run = RunDirectory.create(dir, "a");
        run.writeJson("config.json", TrainConfig.builder().build());
        assertFalse(Files.readString(run.path().resolve("config.json")).contains("skipTest"));
        assertFalse(run.readJson("config.json", TrainConfig.class).skipTest());

        run.writeJson("config.json", TrainConfig.builder().skipTest(true).build());
        assertTrue(run.readJson("config.json", TrainConfig.class).skipTest());
    }
}
