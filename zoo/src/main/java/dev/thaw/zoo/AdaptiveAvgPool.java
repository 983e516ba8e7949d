package dev.thaw.zoo;

import java.util.Collection;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.params.EmptyParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * PyTorch's {@code AdaptiveAvgPool2d}: average-pools a {@code [N, C, inH, inW]} map to {@code [N, C, outH, outW]},
 * output cell {@code i} averaging input rows {@code floor(i·inH/outH)} to {@code ceil((i+1)·inH/outH) - 1} (columns
 * alike). DL4J has no such layer; torchvision's VGG16 puts one (7×7) before its first dense layer, which is what lets
 * ImageNet's 25,088-input {@code classifier.0} run at any input size. A smaller map is spread over the 7×7 grid (at
 * 32 px VGG16's 1×1 map becomes 49 copies), a larger one averaged.
 *
 * <p>The pooling is linear and fixed: per channel, one product with a constant {@code [outH·outW, inH·inW]} matrix
 * {@code P}, and its backward pass the product with {@code Pᵀ}. Written as a plain DL4J layer because a SameDiff
 * lambda layer of the same product returned twice the input gradient (DL4J 1.0.0-M2.1; measured in
 * {@code benchmarks/results/parity.md}). The map size is fixed when the graph is built (the backbone knows its input).
 */
public final class AdaptiveAvgPool extends NoParamLayer {

    // annotated because DL4J's JSON mapper sees only properties (a saved model is this JSON plus the weights)
    @JsonProperty private int channels;
    @JsonProperty private int inHeight;
    @JsonProperty private int inWidth;
    @JsonProperty private int outHeight;
    @JsonProperty private int outWidth;

    /** For DL4J's JSON deserialization of saved models. */
    private AdaptiveAvgPool() {
    }

    public AdaptiveAvgPool(int channels, int inHeight, int inWidth, int outHeight, int outWidth) {
        this.channels = channels;
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
    }

    /** The {@code [out, in]} averaging matrix along one axis, PyTorch's bin edges. */
    static INDArray weights(int out, int in) {
        double[][] w = new double[out][in];
        for (int i = 0; i < out; i++) {
            int start = Math.floorDiv(i * in, out);
            int end = -Math.floorDiv(-(i + 1) * in, out); // ceil
            for (int j = start; j < end; j++) {
                w[i][j] = 1.0 / (end - start);
            }
        }
        return Nd4j.create(w);
    }

    /**
     * {@code P}, {@code [outH·outW, inH·inW]}: output cell (i, j) takes {@code rows[i][h] · cols[j][w]} of input
     * cell (h, w), the Kronecker product of the two axes' averaging matrices.
     */
    INDArray poolingMatrix(DataType type) {
        INDArray rows = weights(outHeight, inHeight);
        INDArray cols = weights(outWidth, inWidth);
        double[][] p = new double[outHeight * outWidth][inHeight * inWidth];
        for (int i = 0; i < outHeight; i++) {
            for (int j = 0; j < outWidth; j++) {
                for (int h = 0; h < inHeight; h++) {
                    for (int w = 0; w < inWidth; w++) {
                        p[i * outWidth + j][h * inWidth + w] = rows.getDouble(i, h) * cols.getDouble(j, w);
                    }
                }
            }
        }
        return Nd4j.create(p).castTo(type);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        Impl layer = new Impl(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return EmptyParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c) || c.getChannels() != channels
                || c.getHeight() != inHeight || c.getWidth() != inWidth) {
            throw new IllegalStateException("adaptive pooling was built for [" + channels + ", " + inHeight + ", "
                    + inWidth + "] maps, the graph gives it " + inputType);
        }
        return InputType.convolutional(outHeight, outWidth, channels);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new LayerMemoryReport.Builder(layerName, AdaptiveAvgPool.class, inputType,
                getOutputType(-1, inputType)).standardMemory(0, 0)
                .workingMemory(0, 0, MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS).build();
    }

    /** The layer itself: {@code out = X·Pᵀ} and {@code dX = dOut·P}, per channel. */
    static final class Impl extends AbstractLayer<AdaptiveAvgPool> {

        private INDArray pooling; // P, outside any workspace, made on first use

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        private INDArray pooling() {
            if (pooling == null) {
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    pooling = layerConf().poolingMatrix(dataType);
                }
            }
            return pooling;
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(false);
            AdaptiveAvgPool c = layerConf();
            long n = input.size(0);
            INDArray cells = input.castTo(dataType).reshape('c', n * c.channels, (long) c.inHeight * c.inWidth);
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                    new long[] {n * c.channels, (long) c.outHeight * c.outWidth}, 'c');
            cells.mmul(pooling().transpose(), out);
            return out.reshape('c', n, c.channels, c.outHeight, c.outWidth);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(true);
            AdaptiveAvgPool c = layerConf();
            long n = input.size(0);
            INDArray grads = epsilon.reshape('c', n * c.channels, (long) c.outHeight * c.outWidth);
            INDArray dIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                    new long[] {n * c.channels, (long) c.inHeight * c.inWidth}, 'c');
            grads.mmul(pooling(), dIn);
            return new Pair<>(new DefaultGradient(), dIn.reshape('c', input.shape()));
        }

        @Override
        public boolean isPretrainLayer() {
            return false;
        }

        @Override
        public void clearNoiseWeightParams() {
        }

        @Override
        public Type type() {
            return Type.CONVOLUTIONAL;
        }

        @Override
        public double calcRegularizationScore(boolean backpropParamsOnly) {
            return 0;
        }
    }
}
