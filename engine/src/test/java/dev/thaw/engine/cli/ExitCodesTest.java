package dev.thaw.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Exit codes a script can rely on (README "Command line"): 0 done, 1 failed, 2 usage. */
class ExitCodesTest {

    @Test
    void doneFailedAndUsageErrorsExitZeroOneAndTwo() {
        assertEquals(0, CliRun.of("inspect").code());

        CliRun usage = CliRun.of("train", "--no-such-flag");
        assertEquals(2, usage.code());
        assertTrue(usage.err().contains("Unknown option: '--no-such-flag'"), usage.err());

        CliRun failed = CliRun.of("evaluate", "/no/such/run");
        assertEquals(1, failed.code());
        assertEquals("thaw evaluate: /no/such/run is not a Thaw run folder (no config.json): pass a folder under "
                + "runs/ that train or pretrain wrote", failed.err().strip());
    }

    @Test
    void shellCompletionIsGenerated() {
        CliRun completion = CliRun.of("generate-completion");
        assertEquals(0, completion.code(), completion.err());
        assertTrue(completion.out().contains("complete -F _complete_thaw") && completion.out().contains("train"),
                completion.out().substring(0, 200));
    }
}
