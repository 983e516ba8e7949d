/**
 * Where a backbone's weights come from: {@link dev.thaw.zoo.weights.WeightSource#parse} reads a {@code --weights}
 * value (random, imagenet, a Thaw or DL4J model zip, a Keras .h5, a torchvision .pth) and loads it into a graph with
 * a new head for the task; {@link dev.thaw.zoo.weights.ThawModelFile} saves a trained model with its labels, input
 * shape and provenance.
 */
package dev.thaw.zoo.weights;
