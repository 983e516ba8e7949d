package dev.thaw.engine.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes an IDX dataset out as a class-folder dataset of gray PNGs, so it goes through the same folder pipeline as
 * any user's images: {@code OUT/[train|test/]<class>/<n>.png}, plus {@code classes.txt} keeping the real class
 * names and their order.
 */
public final class IdxImport {

    private IdxImport() {
    }

    /** @return number of images written */
    public static int write(Dataset dataset, Path out) {
        if (!IdxDataset.isIdx(dataset)) {
            throw new DataException(dataset.name() + " is not an IDX dataset; only IDX data can be imported");
        }
        try {
            if (Files.exists(out) && Files.list(out).findAny().isPresent()) {
                throw new DataException(out + " already exists and is not empty: choose a new --out folder");
            }
            List<String> folders = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (String name : dataset.classes()) {
                String folder = name.replaceAll("[/\\\\:*?\"<>|]", "-");
                folders.add(folder);
                lines.add(folder + "\t" + name);
            }
            Files.createDirectories(out);
            Files.write(out.resolve(ImageFolder.CLASSES_FILE), lines, StandardCharsets.UTF_8);
            int[] size = IdxDataset.sizeOf(dataset);
            BufferedImage image = new BufferedImage(size[1], size[0], BufferedImage.TYPE_BYTE_GRAY);
            int written = 0;
            for (Item item : dataset.items()) {
                Path dir = out;
                if (item.presplit() != null) {
                    dir = dir.resolve(item.presplit().folderName());
                }
                dir = dir.resolve(folders.get(item.label()));
                Files.createDirectories(dir);
                byte[] px = IdxDataset.pixelsOf(dataset, item);
                image.getRaster().setDataElements(0, 0, size[1], size[0], px);
                ImageIO.write(image, "png", dir.resolve(item.id().substring(4) + ".png").toFile());
                written++;
            }
            return written;
        } catch (IOException e) {
            throw new DataException("cannot write to " + out + ": " + e.getMessage(), e);
        }
    }
}
