package dev.thaw.benchmarks.comparison;

import dev.thaw.benchmarks.PythonPeer;
import dev.thaw.engine.data.DataSource;
import dev.thaw.engine.data.DataSplits;
import dev.thaw.engine.data.FashionMnist;
import dev.thaw.engine.data.Item;
import dev.thaw.engine.data.Split;
import dev.thaw.engine.data.Splitter;
import dev.thaw.tuning.ResultsLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The PyTorch peer's rows of a comparison: {@code benchmarks/peer/torch_transfer.py} with the plan's recipes, label
 * budgets and seeds, run after Thaw's runs in the same invocation, so both sides are measured on one machine in one
 * sitting. The peer trains on exactly the images Thaw's run of the same budget and seed trained on (their indices
 * are handed over in a file), so the two differ by library and recipe, not by which 100 images were drawn; both
 * score the same test split. It starts from the plan's {@code torchvision:} weights when there are some (identical
 * weights), and otherwise pretrains its own model on task A for the plan's source epochs, as Thaw does.
 */
final class PeerTransfer {

    private static final String SCRIPT = "benchmarks/peer/torch_transfer.py";
    private static final String OWN_PRETRAINING = "peer-pretrained.pth";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PeerTransfer() {
    }

    /**
     * The peer's model pretrained on task A ({@code out/peer-pretrained.pth}), pretraining it first when it is not
     * there: what {@code --weights peer} transfers from on both sides.
     */
    static Path pretrain(ComparisonPlan plan, Path out, String python) throws IOException, InterruptedException {
        Path file = out.resolve(OWN_PRETRAINING);
        if (!Files.exists(file)) {
            Files.createDirectories(out);
            record(PythonPeer.run(python, SCRIPT, List.of("--model", peerModel(plan), "--size", size(plan),
                    "--pretrain-epochs", String.valueOf(plan.sourceEpochs()), "--save-pretrained", file.toString(),
                    "--pretrain-only", "--out", out.resolve("peer.jsonl").toString())), out);
            if (!Files.exists(file)) {
                throw new IllegalStateException("the PyTorch peer did not write " + file + " (see its output above; "
                        + "is python3-torch installed?)");
            }
        }
        return file.toAbsolutePath();
    }

    /** Runs the peer when some of its rows are not in {@code log} yet, and appends what it measured. */
    static void runMissing(ComparisonPlan plan, StrategyComparison.Pretraining pre, ResultsLog<ComparisonRun> log,
                           Path out, String python) throws IOException, InterruptedException {
        if (plan.peerRecipes().isEmpty() || !missing(plan, log)) {
            return;
        }
        String model = peerModel(plan);
        Path debian = Path.of(FashionMnist.DEBIAN_DIR);
        if (model == null || !plan.data().equals(DataSource.FASHION_MNIST) || !Files.isDirectory(debian)
                || System.getenv(FashionMnist.ENV) != null) {
            System.out.println("PyTorch peer not run: it covers resnet18/resnet50 on Debian's Fashion-MNIST ("
                    + debian + "), this comparison is " + plan.model() + " on " + plan.data());
            return;
        }
        Path indices = out.resolve("peer-train-indices.json");
        JSON.writeValue(indices.toFile(), trainingImages(plan));
        List<String> args = new ArrayList<>(List.of("--model", model,
                "--size", size(plan),
                "--per-class", String.join(",", plan.budgets().stream().map(String::valueOf).toList()),
                "--seeds", String.join(",", seeds(plan)),
                "--recipes", String.join(",", plan.peerRecipes()),
                "--epochs", String.valueOf(plan.targetEpochs()),
                "--pretrain-epochs", String.valueOf(plan.sourceEpochs()),
                "--indices", indices.toString(),
                "--out", out.resolve("peer.jsonl").toString()));
        Path ownPretraining = out.resolve(OWN_PRETRAINING);
        if (pre.given() && pre.model().startsWith("torchvision:")) {
            args.addAll(List.of("--pretrained", pre.model().substring("torchvision:".length())));
        } else if (Files.exists(ownPretraining)) {
            args.addAll(List.of("--pretrained", ownPretraining.toString()));
        } else {
            args.addAll(List.of("--save-pretrained", ownPretraining.toString()));
        }
        for (JsonNode line : record(PythonPeer.run(python, SCRIPT, args), out)) {
            String name = ComparisonPlan.PEER + line.get("recipe").asText();
            int budget = line.get("per_class").asInt();
            long seed = line.get("seed").asLong();
            if (log.find(r -> r.is(name, budget, seed)).isEmpty()) {
                log.append(new ComparisonRun(name, -1, budget, seed, line.get("test_accuracy").asDouble(),
                        line.get("macro_f1").asDouble(), line.get("seconds").asDouble(),
                        line.get("trainable_params").asLong(), line.get("train_seconds").asDouble(),
                        line.get("test_seconds").asDouble()));
            }
        }
    }

    /** Keeps the peer's pretraining line (in {@code peer-pretrain.json}); returns its transfer lines. */
    private static List<JsonNode> record(List<JsonNode> lines, Path out) throws IOException {
        List<JsonNode> transfers = new ArrayList<>();
        for (JsonNode line : lines) {
            if (line.get("recipe").asText().equals("pretrain")) {
                JSON.writeValue(out.resolve("peer-pretrain.json").toFile(), line);
            } else {
                transfers.add(line);
            }
        }
        return transfers;
    }

    /** The torchvision model the peer runs for Thaw's backbone, or null when it has none. */
    private static String peerModel(ComparisonPlan plan) {
        return switch (plan.model()) {
            case "resnet50", "resnet50-tv" -> "resnet50";
            case "resnet18" -> "resnet18";
            default -> null;
        };
    }

    private static String size(ComparisonPlan plan) {
        return plan.input().substring(plan.input().lastIndexOf('x') + 1);
    }

    /** The peer's own pretraining, when it did one: its line of the peer's output. */
    static Optional<JsonNode> pretraining(Path out) throws IOException {
        Path file = out.resolve("peer-pretrain.json");
        return Files.exists(file) ? Optional.of(JSON.readTree(file.toFile())) : Optional.empty();
    }

    private static boolean missing(ComparisonPlan plan, ResultsLog<ComparisonRun> log) {
        for (String recipe : plan.peerRecipes()) {
            for (int budget : plan.budgets()) {
                for (long seed = 1; seed <= plan.seeds(); seed++) {
                    long s = seed;
                    if (log.find(r -> r.is(ComparisonPlan.PEER + recipe, budget, s)).isEmpty()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<String> seeds(ComparisonPlan plan) {
        List<String> seeds = new ArrayList<>();
        for (long s = 1; s <= plan.seeds(); s++) {
            seeds.add(String.valueOf(s));
        }
        return seeds;
    }

    /**
     * Per budget and seed, the indices into Fashion-MNIST's 60,000 training images of what Thaw's run trained on
     * (Thaw's IDX items are {@code idx:N}, training images first).
     */
    private static Map<String, Map<String, List<Integer>>> trainingImages(ComparisonPlan plan) {
        var dataset = DataSource.open(plan.data(), false);
        Map<String, Map<String, List<Integer>>> all = new LinkedHashMap<>();
        for (int budget : plan.budgets()) {
            Map<String, List<Integer>> bySeed = new LinkedHashMap<>();
            for (long seed = 1; seed <= plan.seeds(); seed++) {
                DataSplits splits = Splitter.split(dataset, StrategyComparison.targetSplit(plan, budget, seed));
                bySeed.put(String.valueOf(seed), imageIndices(splits, Split.TRAIN));
            }
            all.put(String.valueOf(budget), bySeed);
        }
        return all;
    }

    /** The images of a split as indices into Fashion-MNIST's 60,000 training images (Thaw's items are idx:N). */
    static List<Integer> imageIndices(DataSplits splits, Split split) {
        return splits.get(split).stream().map(Item::id)
                .map(id -> Integer.parseInt(id.substring(id.indexOf(':') + 1))).toList();
    }
}
