package dev.thaw.engine.data;

import org.datavec.api.io.labels.PathLabelGenerator;
import org.datavec.image.recordreader.ImageRecordReader;
import org.datavec.image.transform.ImageTransform;

/** DataVec's {@link ImageRecordReader} decoding through {@link GifAwareImageLoader}, so GIFs read like the rest. */
final class FolderRecordReader extends ImageRecordReader {

    FolderRecordReader(long height, long width, long channels, PathLabelGenerator labels, ImageTransform transform) {
        super(height, width, channels, labels, transform);
        // BaseImageRecordReader.initialize(split) only creates its own loader when none is set.
        this.imageLoader = new GifAwareImageLoader((int) height, (int) width, (int) channels, transform);
    }
}
