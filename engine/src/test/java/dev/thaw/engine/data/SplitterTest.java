package dev.thaw.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitterTest {

    @TempDir
    static Path root;

    static Dataset dataset;

    @BeforeAll
    static void folder() throws IOException {
        TestImages.pngs(root.resolve("a"), 20, 100);
        TestImages.pngs(root.resolve("b"), 30, 200);
        TestImages.pngs(root.resolve("c"), 10, 300);
        dataset = ImageFolder.scan(root, false);
    }

    private static List<String> ids(DataSplits s, Split split) {
        return s.get(split).stream().map(Item::id).toList();
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        DataSplits one = Splitter.split(dataset, SplitPlan.DEFAULT.withSeed(1));
        DataSplits again = Splitter.split(ImageFolder.scan(root, false), SplitPlan.DEFAULT.withSeed(1));
        DataSplits other = Splitter.split(dataset, SplitPlan.DEFAULT.withSeed(2));
        for (Split s : Split.values()) {
            assertEquals(ids(one, s), ids(again, s), s + " identical across runs with the same seed");
        }
        assertNotEquals(ids(one, Split.TEST), ids(other, Split.TEST));
    }

    @Test
    void aValidationCapKeepsTheRestForTrainingAndChangesTheFingerprint() {
        // class b: 30 images, 15 % = 5 validation images
        DataSplits plain = Splitter.split(dataset, SplitPlan.DEFAULT);
        DataSplits capped = Splitter.split(dataset, SplitPlan.DEFAULT.withValPerClass(2));
        assertEquals(List.of(2, 2, 2), java.util.Arrays.stream(capped.counts(Split.VAL)).boxed().toList());
        assertEquals(5, plain.counts(Split.VAL)[1]);
        assertEquals(plain.counts(Split.TRAIN)[1] + 3, capped.counts(Split.TRAIN)[1], "the uncapped rest trains");
        assertEquals(ids(plain, Split.TEST), ids(capped, Split.TEST), "the test split is untouched");
        assertEquals(ids(Splitter.split(dataset, SplitPlan.DEFAULT.withPerClass(5)), Split.TRAIN),
                ids(Splitter.split(dataset, SplitPlan.DEFAULT.withPerClass(5).withValPerClass(2)), Split.TRAIN),
                "a label budget draws the same images");
        assertNotEquals(plain.fingerprint(), capped.fingerprint(), "cached features of one never serve the other");
        assertEquals(plain.fingerprint(), Splitter.split(dataset, SplitPlan.DEFAULT.withValPerClass(0)).fingerprint(),
                "no cap: the fingerprint feature-cache keys were made with before caps existed");
    }

    @Test
    void splitDoesNotDependOnListingOrder() {
        List<Item> shuffled = new ArrayList<>(dataset.items());
        Collections.shuffle(shuffled, new java.util.Random(9));
        Dataset reordered = new Dataset(dataset.name(), dataset.classes(), shuffled, dataset.skipped(),
                dataset.notes(), dataset.fingerprint(), dataset.decoder());
        assertEquals(ids(Splitter.split(dataset, SplitPlan.DEFAULT), Split.VAL),
                ids(Splitter.split(reordered, SplitPlan.DEFAULT), Split.VAL));
    }

    @Test
    void stratifiedDisjointAndComplete() {
        DataSplits s = Splitter.split(dataset, new SplitPlan(3, 0.2, 0.1, 0, ""));
        assertEquals(List.of(14, 21, 7), List.of(s.counts(Split.TRAIN)[0], s.counts(Split.TRAIN)[1],
                s.counts(Split.TRAIN)[2]));
        assertEquals(List.of(4, 6, 2), List.of(s.counts(Split.VAL)[0], s.counts(Split.VAL)[1], s.counts(Split.VAL)[2]));
        Set<String> all = new HashSet<>();
        for (Split split : Split.values()) {
            for (String id : ids(s, split)) {
                assertTrue(all.add(id), id + " in two splits");
            }
        }
        assertEquals(60, all.size());
    }

    @Test
    void perClassBudgetAndClassSelection() {
        DataSplits s = Splitter.split(dataset, new SplitPlan(3, 0.2, 0.1, 5, "b,2"));
        assertEquals(List.of("b", "c"), s.labels());
        assertEquals(5, s.counts(Split.TRAIN)[0]);
        assertEquals(5, s.counts(Split.TRAIN)[1]);
        assertTrue(s.get(Split.TRAIN).stream().allMatch(i -> i.label() < 2), "labels renumbered 0..k-1");
        assertEquals(List.of("a", "b"), Splitter.split(dataset, SplitPlan.DEFAULT.withClasses("0-1")).labels());
    }

    @Test
    void budgetDrawIsNestedAcrossSizesWithTheSameSeed() {
        List<String> five = ids(Splitter.split(dataset, SplitPlan.DEFAULT.withPerClass(5)), Split.TRAIN);
        List<String> three = ids(Splitter.split(dataset, SplitPlan.DEFAULT.withPerClass(3)), Split.TRAIN);
        assertTrue(five.containsAll(three), "3 labels per class are a subset of 5: budgets compare fairly");
    }

    @Test
    void badClassSelectionNamesTheClasses() {
        DataException e = assertThrows(DataException.class,
                () -> Splitter.split(dataset, SplitPlan.DEFAULT.withClasses("3-4")));
        assertTrue(e.getMessage().contains("class 3 does not exist") && e.getMessage().contains("0=a, 1=b, 2=c"),
                e.getMessage());
        e = assertThrows(DataException.class, () -> Splitter.split(dataset, SplitPlan.DEFAULT.withClasses("zebra")));
        assertTrue(e.getMessage().contains("'zebra'"), e.getMessage());
    }

    @Test
    void presplitFoldersAreKept() throws IOException {
        Path pre = root.resolve("../presplit-" + System.nanoTime()).normalize();
        TestImages.pngs(pre.resolve("train/x"), 6, 1);
        TestImages.pngs(pre.resolve("train/y"), 6, 2);
        TestImages.pngs(pre.resolve("test/x"), 2, 3);
        TestImages.pngs(pre.resolve("test/y"), 2, 4);
        DataSplits s = Splitter.split(ImageFolder.scan(pre, false), SplitPlan.DEFAULT);
        assertEquals(4, s.get(Split.TEST).size());
        assertTrue(s.get(Split.TEST).stream().allMatch(i -> i.id().contains("/test/")));
        assertEquals(2, s.get(Split.VAL).size(), "val carved from train when the folders have none");
    }
}
