package dev.thaw.engine.ui;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.core.storage.StatsStorageListener;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.sqlite.J7FileStatsStorage;

/**
 * A stats file opened for viewing that notices records another process adds. DL4J's stores tell their listeners
 * only about records written through them, and its train pages redraw only when told a session has a newer
 * update; so this store checks the file every second and tells its listeners about each session that has grown.
 */
public final class FollowedStats extends J7FileStatsStorage {

    private static final long POLL_MILLIS = 1000;

    /** One thread checks every followed file (a sweep's page follows each of its candidates). */
    private static final ScheduledExecutorService POLLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "thaw-stats-follow");
        t.setDaemon(true);
        return t;
    });

    private final File file;
    private final Map<String, Integer> recordsSeen = new HashMap<>();
    private final ScheduledFuture<?> polling;

    FollowedStats(File file) {
        super(file);
        this.file = file;
        for (String session : listSessionIDs()) {
            recordsSeen.put(session, getNumUpdateRecordsFor(session));
        }
        polling = POLLER.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Tells listeners about sessions that are new or have more records than last time. */
    synchronized void poll() {
        try {
            List<StatsStorageEvent> events = new ArrayList<>();
            for (String session : listSessionIDs()) {
                int records = getNumUpdateRecordsFor(session);
                Integer seen = recordsSeen.put(session, records);
                if (seen != null && seen == records) {
                    continue;
                }
                long time = latestTime(session);
                if (seen == null) {
                    // DL4J's train module learns of a session from its static information being posted
                    events.add(new StatsStorageEvent(this, StatsStorageListener.EventType.PostStaticInfo, session,
                            StatsListener.TYPE_ID, null, time));
                }
                events.add(new StatsStorageEvent(this, StatsStorageListener.EventType.PostUpdate, session,
                        StatsListener.TYPE_ID, null, time));
            }
            if (!events.isEmpty()) {
                notifyListeners(events);
            }
        } catch (RuntimeException e) {
            // the writer may hold the file for a moment; the next poll reads it
        }
    }

    private long latestTime(String session) {
        long latest = 0;
        for (Persistable p : getLatestUpdateAllWorkers(session, StatsListener.TYPE_ID)) {
            latest = Math.max(latest, p.getTimeStamp());
        }
        return latest;
    }

    @Override
    public void close() throws IOException {
        polling.cancel(false);
        synchronized (this) { // not while a poll reads the file
            super.close();
        }
    }

    @Override
    public String toString() {
        return "FollowedStats(" + file + ")";
    }
}
