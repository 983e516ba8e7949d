package dev.thaw.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Fashion-MNIST (Zalando Research, MIT licence): 28×28 gray images of 10 clothing classes.
 *
 * <p>Where the data comes from, first found wins: the folder in {@code $THAW_FASHION_MNIST}; Debian's
 * {@code dataset-fashion-mnist} package ({@value #DEBIAN_DIR}, full 60,000 + 10,000 images); otherwise the test
 * split (10,000 images) bundled inside Thaw, so the default job runs on a machine with nothing installed.
 */
public final class FashionMnist {

    public static final String ENV = "THAW_FASHION_MNIST";
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
    static final String BUNDLED = "/dev/thaw/engine/data/fashion-mnist/";

    /** The real class names, in label order. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    private FashionMnist() {
    }

    /** Loads from the first place that has it (see class doc). */
    public static Dataset load() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            Path dir = Path.of(env);
            if (!Files.isRegularFile(dir.resolve(TEST_IMAGES))) {
                throw new DataException("$" + ENV + " is " + dir + " but " + TEST_IMAGES + " is not there: point it "
                        + "at a folder with the Fashion-MNIST .gz files, or unset it");
            }
            return fromDirectory(dir);
        }
        Path debian = Path.of(DEBIAN_DIR);
        if (Files.isRegularFile(debian.resolve(TRAIN_IMAGES)) && Files.isRegularFile(debian.resolve(TEST_IMAGES))) {
            return fromDirectory(debian);
        }
        return bundled();
    }

    /** The bundled test split only: 10,000 images, not pre-split. */
    public static Dataset bundled() {
        Path dir = extractBundled();
        return IdxDataset.read("fashion-mnist (bundled test split, 10,000 images)",
                List.of(new IdxDataset.Part(dir.resolve(TEST_IMAGES), dir.resolve(TEST_LABELS), null)), CLASSES);
    }

    /** A folder with the four Fashion-MNIST files (train and test), or with the test pair alone. */
    public static Dataset fromDirectory(Path dir) {
        if (Files.isRegularFile(dir.resolve(TRAIN_IMAGES))) {
            return IdxDataset.read("fashion-mnist (" + dir + ", 70,000 images)", List.of(
                    new IdxDataset.Part(dir.resolve(TRAIN_IMAGES), dir.resolve(TRAIN_LABELS), Split.TRAIN),
                    new IdxDataset.Part(dir.resolve(TEST_IMAGES), dir.resolve(TEST_LABELS), Split.TEST)), CLASSES);
        }
        return IdxDataset.read("fashion-mnist (" + dir + ", test split)",
                List.of(new IdxDataset.Part(dir.resolve(TEST_IMAGES), dir.resolve(TEST_LABELS), null)), CLASSES);
    }

    private static Path extracted;

    /** The bundled files live in the jar; IDX reading wants paths, so they are copied out once per JVM. */
    private static synchronized Path extractBundled() {
        if (extracted != null && Files.isRegularFile(extracted.resolve(TEST_IMAGES))) {
            return extracted;
        }
        try {
            Path dir = Files.createTempDirectory("thaw-fashion-mnist");
            dir.toFile().deleteOnExit();
            for (String name : List.of(TEST_IMAGES, TEST_LABELS)) {
                try (InputStream in = FashionMnist.class.getResourceAsStream(BUNDLED + name)) {
                    if (in == null) {
                        throw new DataException("the bundled Fashion-MNIST file " + name + " is missing from the "
                                + "build: rebuild Thaw, or install Debian's dataset-fashion-mnist");
                    }
                    Path target = dir.resolve(name);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().deleteOnExit();
                }
            }
            extracted = dir;
            return dir;
        } catch (IOException e) {
            throw new DataException("cannot unpack the bundled Fashion-MNIST sample: " + e.getMessage(), e);
        }
    }
}
