/**
 * Backbones and where they can be frozen: {@link dev.thaw.zoo.Backbone} (smallcnn, VGG16, ResNet50 and their
 * torchvision layouts, found by name through {@link dev.thaw.zoo.Backbones}), their named
 * {@link dev.thaw.zoo.FreezePoint}s, input shapes and normalization, and the speed settings every graph gets
 * (oneDNN layer helpers, {@link dev.thaw.zoo.ConvCache}). Depends on nothing else in Thaw.
 */
package dev.thaw.zoo;
