package dev.thaw.engine.data;

import dev.thaw.zoo.InputShape;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.datavec.image.recordreader.ImageRecordReader;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Decodes image files with DataVec's {@link ImageRecordReader} (OpenCV, with Leptonica as fallback), resizing and
 * converting channels to the input shape. Large lists are split across the machine's cores, one reader each.
 */
final class FolderDecoder implements ItemDecoder {

    private static final int MIN_PER_THREAD = 256;

    @Override
    public DecodedImages decode(List<Item> items, InputShape shape) {
        int n = items.size();
        int size = DecodedImages.imageSize(shape);
        byte[] pixels = new byte[Math.multiplyExact(n, size)];
        int[] labels = items.stream().mapToInt(Item::label).toArray();
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n / MIN_PER_THREAD));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "thaw-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> parts = new ArrayList<>();
            int chunk = (n + threads - 1) / threads;
            for (int start = 0; start < n; start += chunk) {
                int from = start;
                int to = Math.min(n, start + chunk);
                parts.add(pool.submit(() -> {
                    decodeRange(items, from, to, shape, pixels);
                    return null;
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof DataException d ? d : new DataException("decoding failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("interrupted while decoding images", e);
        } finally {
            pool.shutdownNow();
        }
        return new DecodedImages(shape, pixels, labels);
    }

    private static void decodeRange(List<Item> items, int from, int to, InputShape shape, byte[] pixels) {
        if (from >= to) {
            return;
        }
        List<URI> uris = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            uris.add(new File(items.get(i).id()).toURI());
        }
        int size = DecodedImages.imageSize(shape);
        try (ImageRecordReader reader = new FolderRecordReader(shape.height(), shape.width(), shape.channels(),
                null, null)) {
            reader.initialize(new CollectionInputSplit(uris));
            for (int i = from; i < to; i++) {
                List<Writable> record;
                try {
                    record = reader.next();
                } catch (RuntimeException e) {
                    throw new DataException("cannot decode " + items.get(i).id() + " (it passed the scan; was it "
                            + "changed since?): " + e.getMessage(), e);
                }
                INDArray image = ((NDArrayWritable) record.get(0)).get();
                toBytes(image, pixels, i * size, size);
            }
        } catch (IOException e) {
            throw new DataException("cannot read images: " + e.getMessage(), e);
        }
    }

    /** Copies a decoded 0–255 float image into the byte buffer, rounding and clamping. */
    static void toBytes(INDArray image, byte[] into, int offset, int size) {
        float[] values = image.dup('c').data().asFloat();
        if (values.length != size) {
            throw new IllegalStateException("decoded image has " + values.length + " values, expected " + size);
        }
        for (int k = 0; k < size; k++) {
            into[offset + k] = (byte) Math.max(0, Math.min(255, Math.round(values[k])));
        }
    }
}
