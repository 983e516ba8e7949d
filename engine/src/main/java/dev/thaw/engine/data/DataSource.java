package dev.thaw.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens what the user passed as {@code --data}: {@code fashion-mnist} (Debian's full set if installed, else the
 * bundled sample), {@code fashion-mnist-sample} (always the bundled 10,000 images), a folder of class subfolders,
 * or {@code idx:IMAGES,LABELS} for any MNIST-format pair.
 */
public final class DataSource {

    public static final String FASHION_MNIST = "fashion-mnist";
    /** The bundled 10,000-image test split, whatever else is installed: same data on every machine. */
    public static final String FASHION_MNIST_SAMPLE = "fashion-mnist-sample";

    private DataSource() {
    }

    public static Dataset open(String spec, boolean strict) {
        String s = spec.strip();
        if (s.equalsIgnoreCase(FASHION_MNIST)) {
            return FashionMnist.load();
        }
        if (s.equalsIgnoreCase(FASHION_MNIST_SAMPLE)) {
            return FashionMnist.bundled();
        }
        if (s.startsWith("idx:")) {
            String[] files = s.substring(4).split(",");
            if (files.length != 2) {
                throw new DataException("--data " + spec + ": write idx:IMAGES_FILE,LABELS_FILE");
            }
            Path images = Path.of(files[0].strip());
            Path labels = Path.of(files[1].strip());
            for (Path p : List.of(images, labels)) {
                if (!Files.isRegularFile(p)) {
                    throw new DataException("IDX file " + p + " does not exist: check the --data path");
                }
            }
            int maxLabel = 0;
            try {
                for (int l : IdxFile.readLabels(labels)) {
                    maxLabel = Math.max(maxLabel, l);
                }
            } catch (java.io.IOException e) {
                throw new DataException(e.getMessage(), e);
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i <= maxLabel; i++) {
                names.add(String.valueOf(i));
            }
            return IdxDataset.read(images.toString(), List.of(new IdxDataset.Part(images, labels, null)), names);
        }
        return ImageFolder.scan(Path.of(s), strict);
    }
}
