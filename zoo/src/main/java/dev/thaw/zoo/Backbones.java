package dev.thaw.zoo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The catalog of backbones by the names users type. */
public final class Backbones {

    private static final Map<String, Backbone> CATALOG = new LinkedHashMap<>();

    static {
        LayerHelpers.enable();
        register(new SmallCnn());
        register(new Vgg16());
        register(new ResNet50());
        register(TorchvisionResNet.resnet18());
        register(TorchvisionResNet.resnet50());
        register(new TorchvisionVgg16());
    }

    private Backbones() {
    }

    private static void register(Backbone backbone) {
        CATALOG.put(backbone.name(), backbone);
    }

    /** Every backbone, smallest first. */
    public static List<Backbone> all() {
        return List.copyOf(CATALOG.values());
    }

    public static List<String> names() {
        return List.copyOf(CATALOG.keySet());
    }

    /** The backbone of that name (case-insensitive), or an error listing the valid names. */
    public static Backbone get(String name) {
        Backbone b = CATALOG.get(name.trim().toLowerCase());
        if (b == null) {
            throw new IllegalArgumentException("unknown backbone '" + name + "': choose one of " + names());
        }
        return b;
    }
}
