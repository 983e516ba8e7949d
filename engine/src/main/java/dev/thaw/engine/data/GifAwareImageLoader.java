package dev.thaw.engine.data;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.datavec.image.loader.Java2DNativeImageLoader;
import org.datavec.image.transform.ImageTransform;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DataVec's native image loader, plus GIF. The OpenCV 4.5 that DL4J M2.1 ships has no GIF decoder and its
 * Leptonica fallback is built without giflib, so GIFs are read with the JDK's ImageIO (first frame) and handed to
 * DataVec's own conversion ({@link Java2DNativeImageLoader}); resizing, channel conversion and transforms are
 * DataVec's in both cases.
 */
final class GifAwareImageLoader extends Java2DNativeImageLoader {

    GifAwareImageLoader(int height, int width, int channels, ImageTransform transform) {
        super(height, width, channels, transform);
    }

    GifAwareImageLoader() {
        super();
    }

    @Override
    public INDArray asMatrix(File f, boolean nchw) throws IOException {
        if (!isGif(f)) {
            return super.asMatrix(f, nchw);
        }
        INDArray a = asMatrix(readGif(f));
        return nchw ? a : a.permute(0, 2, 3, 1);
    }

    @Override
    public void asMatrixView(File f, INDArray view) throws IOException {
        if (!isGif(f)) {
            super.asMatrixView(f, view);
            return;
        }
        view.assign(asMatrix(readGif(f)).reshape(view.shape()));
    }

    private static boolean isGif(File f) {
        return f.getName().toLowerCase().endsWith(".gif");
    }

    /** First frame as BGR bytes, the channel order OpenCV decodes to. */
    private static BufferedImage readGif(File f) throws IOException {
        BufferedImage gif = ImageIO.read(f);
        if (gif == null) {
            throw new IOException("Could not decode GIF " + f);
        }
        return bgr(gif);
    }

    /** An image of any type drawn as BGR bytes, the channel order OpenCV decodes files to. */
    static BufferedImage bgr(BufferedImage image) {
        BufferedImage bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = bgr.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return bgr;
    }
}
