package dev.thaw.engine.data;

import dev.thaw.zoo.InputShape;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.image.loader.NativeImageLoader;
import org.bytedeco.javacpp.BytePointer;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

/**
 * A dataset read straight from IDX files (MNIST / Fashion-MNIST format). Images stay in memory as the file's gray
 * bytes and are resized and channel-converted by DataVec's {@link NativeImageLoader} when decoded, exactly as
 * image files would be.
 */
public final class IdxDataset {

    /** One IDX image file with its label file, and the split it stands for (null: not pre-split). */
    public record Part(Path images, Path labels, Split split) {
    }

    private IdxDataset() {
    }

    public static Dataset read(String name, List<Part> parts, List<String> classNames) {
        List<IdxFile.Images> images = new ArrayList<>();
        List<Item> items = new ArrayList<>();
        MessageDigest md = Sha256.digest();
        int offset = 0;
        for (Part part : parts) {
            IdxFile.Images img;
            int[] labels;
            try {
                img = IdxFile.readImages(part.images());
                labels = IdxFile.readLabels(part.labels());
            } catch (IOException e) {
                throw new DataException(e.getMessage(), e);
            }
            if (labels.length != img.count()) {
                throw new DataException(part.labels() + " has " + labels.length + " labels but " + part.images()
                        + " has " + img.count() + " images: pass matching files");
            }
            if (!images.isEmpty() && (img.rows() != images.get(0).rows() || img.cols() != images.get(0).cols())) {
                throw new DataException(part.images() + " holds " + img.rows() + "x" + img.cols()
                        + " images, unlike the other parts");
            }
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] >= classNames.size()) {
                    throw new DataException(part.labels() + " has label " + labels[i] + " but only "
                            + classNames.size() + " class names are known");
                }
                items.add(new Item("idx:" + (offset + i), labels[i], part.split()));
            }
            md.update(img.pixels());
            for (int l : labels) {
                md.update((byte) l);
            }
            images.add(img);
            offset += img.count();
        }
        IdxFile.Images all = concat(images);
        String fingerprint = "sha256:" + Sha256.hex(md, 16);
        return new Dataset(name, classNames, items, List.of(), List.of(), fingerprint, new Decoder(all));
    }

    private static IdxFile.Images concat(List<IdxFile.Images> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int count = parts.stream().mapToInt(IdxFile.Images::count).sum();
        IdxFile.Images first = parts.get(0);
        byte[] pixels = new byte[count * first.rows() * first.cols()];
        int at = 0;
        for (IdxFile.Images p : parts) {
            System.arraycopy(p.pixels(), 0, pixels, at, p.pixels().length);
            at += p.pixels().length;
        }
        return new IdxFile.Images(count, first.rows(), first.cols(), pixels);
    }

    /** Whether the dataset was read from IDX files (and so has raw gray bytes to export). */
    static boolean isIdx(Dataset dataset) {
        return dataset.decoder() instanceof Decoder;
    }

    /** The gray bytes of one IDX image, for the importer. */
    static byte[] pixelsOf(Dataset dataset, Item item) {
        Decoder d = (Decoder) dataset.decoder();
        int size = d.images.rows() * d.images.cols();
        byte[] out = new byte[size];
        System.arraycopy(d.images.pixels(), index(item) * size, out, 0, size);
        return out;
    }

    static int[] sizeOf(Dataset dataset) {
        Decoder d = (Decoder) dataset.decoder();
        return new int[] {d.images.rows(), d.images.cols()};
    }

    private static int index(Item item) {
        return Integer.parseInt(item.id().substring(4));
    }

    private static final class Decoder implements ItemDecoder {
        private final IdxFile.Images images;

        Decoder(IdxFile.Images images) {
            this.images = images;
        }

        @Override
        public DecodedImages decode(List<Item> items, InputShape shape) {
            int size = DecodedImages.imageSize(shape);
            int src = images.rows() * images.cols();
            byte[] pixels = new byte[Math.multiplyExact(items.size(), size)];
            boolean asIs = shape.channels() == 1 && shape.height() == images.rows() && shape.width() == images.cols();
            NativeImageLoader loader = new NativeImageLoader(shape.height(), shape.width(), shape.channels());
            try (BytePointer buffer = new BytePointer(src)) {
                for (int i = 0; i < items.size(); i++) {
                    int from = index(items.get(i)) * src;
                    if (asIs) {
                        System.arraycopy(images.pixels(), from, pixels, i * size, size);
                        continue;
                    }
                    buffer.put(images.pixels(), from, src);
                    try (Mat gray = new Mat(images.rows(), images.cols(), CV_8UC1, buffer)) {
                        FolderDecoder.toBytes(loader.asMatrix(gray), pixels, i * size, size);
                    } catch (IOException e) {
                        throw new DataException("cannot convert IDX image " + items.get(i).id() + ": " + e, e);
                    }
                }
            }
            return new DecodedImages(shape, pixels, items.stream().mapToInt(Item::label).toArray());
        }
    }
}
