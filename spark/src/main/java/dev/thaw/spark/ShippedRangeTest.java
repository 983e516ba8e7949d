package dev.thaw.spark;

import dev.thaw.engine.run.TrainConfig;

/**
 * A learning-rate range test as it travels to an executor ({@code sweep --search find --spark}): the configuration
 * with absolute paths ({@link ShippedTask#absolute}), the rates and steps, and the driver's cache folder, where the
 * test's frozen-prefix features go for the candidates to reuse. Out, and its curve back, as JSON ({@link Wire}).
 */
record ShippedRangeTest(TrainConfig config, double start, double end, int steps, String cacheDir) {

    static ShippedRangeTest of(TrainConfig config, double start, double end, int steps, String cacheDir) {
        return new ShippedRangeTest(ShippedTask.absolute(config), start, end, steps, cacheDir);
    }
}
