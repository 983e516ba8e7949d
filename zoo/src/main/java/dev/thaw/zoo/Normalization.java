package dev.thaw.zoo;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * How a backbone expects its input pixels, applied to NCHW batches of raw 0–255 values (what DataVec's image
 * readers produce). Used as a DL4J {@link DataSetPreProcessor} on iterators, or directly on a features array.
 */
public enum Normalization implements DataSetPreProcessor {

    /** Scale to [0, 1]. For backbones trained from scratch by Thaw. */
    UNIT("x / 255", new double[] {0, 0, 0}, new double[] {255, 255, 255}),

    /**
     * Subtract the ImageNet channel means, no scaling: what DL4J's ImageNet VGG16 and ResNet50 weights (converted
     * from Keras' caffe-style models) were trained with; same constants as DL4J's {@code VGG16ImagePreProcessor}.
     */
    VGG_MEAN("x - [123.68, 116.78, 103.94]", new double[] {123.68, 116.779, 103.939}, new double[] {1, 1, 1}),

    /** ImageNet mean/std on [0, 1] pixels, the torchvision convention: for imported models trained that way. */
    IMAGENET_MEAN_STD("(x/255 - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]",
            new double[] {0.485 * 255, 0.456 * 255, 0.406 * 255}, new double[] {0.229 * 255, 0.224 * 255, 0.225 * 255});

    private final String formula;
    private final double[] mean;
    private final double[] scale;

    Normalization(String formula, double[] mean, double[] scale) {
        this.formula = formula;
        this.mean = mean;
        this.scale = scale;
    }

    /** What it does, for {@code inspect} and provenance. */
    public String formula() {
        return formula;
    }

    /** Normalizes an NCHW batch of 0–255 pixels in place and returns it. Gray inputs use the channel average. */
    public INDArray apply(INDArray features) {
        long channels = features.size(1);
        for (int c = 0; c < channels; c++) {
            double m = channels == mean.length ? mean[c] : average(mean);
            double s = channels == scale.length ? scale[c] : average(scale);
            INDArray plane = features.get(NDArrayIndex.all(), NDArrayIndex.point(c));
            plane.subi(m).divi(s);
        }
        return features;
    }

    @Override
    public void preProcess(DataSet dataSet) {
        apply(dataSet.getFeatures());
    }

    /** A copy of {@code features}, normalized. */
    public INDArray applyCopy(INDArray features) {
        return apply(features.dup());
    }

    private static double average(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
