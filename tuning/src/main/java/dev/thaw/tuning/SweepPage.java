package dev.thaw.tuning;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.engine.ui.StatsFile;
import dev.thaw.engine.ui.UiException;
import dev.thaw.engine.ui.UiServer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.ui.api.HttpMethod;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.i18n.I18NResource;

/**
 * The live sweep page in DL4J's UI server, at {@code /thaw/sweeps}: candidates ranked as results land, their
 * status, the freeze point × learning rate heatmap, score vs learning rate, halving rungs, feature reuse, and a link
 * from each candidate to its training session in DL4J's train pages. Its JSON is at {@code /thaw/sweeps/data}.
 *
 * <p>DL4J's server finds UI modules with Java's service loader and builds them with no arguments, so the sweeps
 * to show are registered here ({@link #show}), not passed in. Everything comes from the sweep folders
 * ({@link SweepView}), read again at each request.
 */
public final class SweepPage implements UIModule {

    public static final String PATH = "/thaw/sweeps";

    private static final List<Path> SWEEPS = new CopyOnWriteArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Shows the sweep in {@code dir} on the page (once). */
    public static void show(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!SWEEPS.contains(d)) {
            SWEEPS.add(d);
        }
    }

    /** Takes every sweep off the page (tests; a new server in the same JVM). */
    static void clear() {
        SWEEPS.clear();
    }

    @Override
    public List<Route> getRoutes() {
        return List.of(new Route(PATH, HttpMethod.GET, (path, rc) -> page(rc)),
                new Route(PATH + "/data", HttpMethod.GET, (path, rc) -> data(rc)));
    }

    private static void page(RoutingContext rc) {
        rc.response().putHeader("content-type", "text/html; charset=utf-8").end(html());
    }

    private static void data(RoutingContext rc) {
        try {
            List<Object> sweeps = new ArrayList<>();
            for (Path dir : SWEEPS) {
                followCandidates(dir);
                sweeps.add(SweepView.of(dir));
            }
            rc.response().putHeader("content-type", "application/json").end(JSON.writeValueAsString(sweeps));
        } catch (IOException | RuntimeException e) {
            rc.response().setStatusCode(500).end(String.valueOf(e.getMessage()));
        }
    }

    /** Candidates that started since the last look get their training session in the UI. */
    static void followCandidates(Path dir) {
        UiServer.running().ifPresent(ui -> {
            for (Path run : SweepView.candidateRuns(dir)) {
                if (!ui.shows(run) && Files.isRegularFile(StatsFile.of(run))) {
                    try {
                        ui.show(run);
                    } catch (UiException e) {
                        // a damaged stats file: the candidate is listed without its session
                    }
                }
            }
        });
    }

    private static String html() {
        try (InputStream in = SweepPage.class.getResourceAsStream("sweep-page.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("sweep-page.html is missing from the Thaw jar", e);
        }
    }

    @Override
    public List<String> getCallbackTypeIDs() {
        return List.of();
    }

    @Override
    public void reportStorageEvents(Collection<StatsStorageEvent> events) {
        // the page reads the sweep folders, not DL4J's stats events
    }

    @Override
    public void onAttach(StatsStorage statsStorage) {
    }

    @Override
    public void onDetach(StatsStorage statsStorage) {
    }

    @Override
    public List<I18NResource> getInternationalizationResources() {
        return List.of();
    }
}
