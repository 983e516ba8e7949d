package dev.thaw.spark;

import dev.thaw.engine.run.FineTune;
import java.nio.file.Path;
import org.apache.spark.api.java.function.Function;

/** What an executor does with a shipped range test: the test a local sweep runs, its curve back as JSON. */
final class RangeTestOnExecutor implements Function<String, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String call(String json) {
        ShippedRangeTest shipped = Wire.read(json, ShippedRangeTest.class, "range test");
        SharedPaths.requireHere(Path.of(shipped.cacheDir()));
        System.setProperty("thaw.cache.dir", shipped.cacheDir()); // as for a candidate: the driver's cache
        return Wire.write(FineTune.rangeTest(shipped.config(), shipped.start(), shipped.end(), shipped.steps()));
    }
}
