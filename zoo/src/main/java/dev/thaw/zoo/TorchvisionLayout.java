package dev.thaw.zoo;

/**
 * What every backbone built in torchvision's layout shares: torchvision's models are ImageNet-trained at 224 px on
 * inputs scaled to [0, 1] and normalized by ImageNet's mean and std, and their graphs take torchvision's module names
 * as vertex names, so that a torchvision {@code state_dict} loads into them ({@code --weights torchvision:FILE.pth}).
 */
abstract class TorchvisionLayout implements Backbone {

    @Override
    public InputShape nativeInput() {
        return InputShape.rgb(224);
    }

    @Override
    public int minInputSize() {
        return 32;
    }

    @Override
    public Normalization normalization() {
        return Normalization.IMAGENET_MEAN_STD;
    }

    @Override
    public boolean readsTorchvisionStateDicts() {
        return true;
    }
}
