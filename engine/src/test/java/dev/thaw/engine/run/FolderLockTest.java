package dev.thaw.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.engine.ChildJvm;
import dev.thaw.engine.data.SplitPlan;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per folder: a second is refused with a message; a killed holder leaves nothing stuck. */
class FolderLockTest {

    @TempDir
    Path dir;

    /** Holds a folder's lock until killed (the other process of the test). */
    public static void main(String[] args) throws InterruptedException {
        FolderLock.acquire(Path.of(args[0]), "run");
        System.out.println("locked");
        Thread.sleep(60_000);
    }

    @Test
    void aSecondWriterIsRefusedAndTheFolderIsFreeAgainWhenTheFirstEnds() {
        Path run = dir.resolve("r");
        try (FolderLock first = FolderLock.acquire(run, "run")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> FolderLock.acquire(run, "run"));
            assertTrue(e.getMessage().startsWith(run + " is in use: another Thaw run is writing to it (pid "
                    + ProcessHandle.current().pid() + ", since "), e.getMessage());
        }
        FolderLock.acquire(run, "run").close();
    }

    @Test
    void anotherProcessHoldingTheFolderRefusesUsUntilItIsKilled() throws Exception {
        Path run = dir.resolve("shared");
        Process holder = ChildJvm.of(List.of(), FolderLockTest.class, run.toString()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream()));
            assertEquals("locked", out.readLine());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> FolderLock.acquire(run, "run"));
            assertTrue(e.getMessage().contains("(pid " + holder.pid() + ", since "), e.getMessage());
        } finally {
            holder.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup — as a crash
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        FolderLock.acquire(run, "run").close();
        assertTrue(Files.exists(run.resolve(FolderLock.FILE)), "the file stays; only the OS lock mattered");
    }

    @Test
    void resumingARunThatIsTrainingIsRefused() {
        Path runs = dir.resolve("runs");
        FineTune.run(TrainConfig.builder().data("fashion-mnist-sample").split(new SplitPlan(1, 0.1, 0.1, 5, "0-1"))
                .epochs(1).name("a").build(), runs, new PrintWriter(new StringWriter()));
        try (FolderLock training = FolderLock.acquire(runs.resolve("a"), "run")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> FineTune.resume(runs.resolve("a"), new PrintWriter(new StringWriter())));
            assertTrue(e.getMessage().contains("is in use"), e.getMessage());
        }
    }
}
