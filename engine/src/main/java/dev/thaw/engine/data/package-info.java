/**
 * Images in: datasets ({@link dev.thaw.engine.data.DataSource}: image folders, Fashion-MNIST, IDX files), their
 * train/validation/test splits and label budgets ({@link dev.thaw.engine.data.Splitter}), decoding through DataVec
 * with a decoded-image cache, and the minibatch pipeline training reads ({@link dev.thaw.engine.data.DataPipeline}).
 */
package dev.thaw.engine.data;
