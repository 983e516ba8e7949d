package dev.thaw.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InspectCommandTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void printsEveryFreezePointWithParameterCounts() {
        CliRun r = run("inspect", "--model", "resnet50", "--input", "3x64x64", "--classes", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resnet50 at 3x64x64: 23,597,957 parameters"), r.out());
        for (String point : new String[] {"stem", "res2", "res3", "res4", "res5"}) {
            assertTrue(r.out().contains(" " + point + " "), point + " row in\n" + r.out());
        }
        // 2048 features x 5 classes + 5 biases: all that trains when frozen at res5.
        assertTrue(r.out().contains("10,245"), r.out());
    }

    @Test
    void withoutAModelListsTheCatalog() {
        CliRun r = run("inspect");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("smallcnn") && r.out().contains("vgg16") && r.out().contains("resnet50"), r.out());
    }

    @Test
    void unknownModelIsOneLineNamingTheChoices() {
        CliRun r = run("inspect", "--model", "alexnet");
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("unknown backbone 'alexnet'") && r.err().contains("smallcnn"), r.err());
    }

    @Test
    void missingWeightsFileIsAClearError() {
        CliRun r = run("inspect", "--model", "resnet50", "--input", "32", "--weights", "missing-file.zip");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("missing-file.zip does not exist"), r.err());
    }

    @Test
    void helpListsTheSubcommands() {
        CliRun r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("inspect"), r.out());
    }
}
