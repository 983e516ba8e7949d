package dev.thaw.engine.cli;

import dev.thaw.engine.data.DataSource;
import dev.thaw.engine.data.Dataset;
import dev.thaw.engine.data.IdxImport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code thaw import}: IDX files (MNIST format) to a class-folder dataset of PNGs. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Write IDX data (MNIST / Fashion-MNIST format) as a folder of PNGs, one subfolder per class, "
                + "so it can be used like any image folder."},
        footer = {"", "Examples:", "  import --out /tmp/fmnist",
                "  import --from idx:train-images-idx3-ubyte.gz,train-labels-idx1-ubyte.gz --out /tmp/mnist"})
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Option(names = "--from", paramLabel = "SOURCE", defaultValue = DataSource.FASHION_MNIST,
            description = "'fashion-mnist' or idx:IMAGES,LABELS (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "New folder to write into.")
    Path out;

    @Override
    public Integer call() {
        Dataset dataset = DataSource.open(from, false);
        long start = System.nanoTime();
        int n = IdxImport.write(dataset, out);
        spec.commandLine().getOut().printf("wrote %,d images of %d classes to %s in %.1f s%n", n,
                dataset.classes().size(), out, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
