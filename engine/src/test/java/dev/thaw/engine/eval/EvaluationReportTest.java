package dev.thaw.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The printed tables stay aligned whatever the class names. */
class EvaluationReportTest {

    @Test
    void confusionColumnsStayAlignedWithLongAndNonAsciiNames() {
        List<String> names = List.of("Sandal", "Shirt", "Ankle boot", "Käfer", "x");
        List<EvaluationReport.PerClass> classes = names.stream()
                .map(n -> new EvaluationReport.PerClass(n, 0.5, 0.5, 0.5, 10)).toList();
        int[][] confusion = new int[5][5];
        for (int i = 0; i < 5; i++) {
            confusion[i][i] = 1000 * i;
        }
        String text = new EvaluationReport("test", 50, 0.5, 3, 0.9, 0.5, classes, confusion).render();
        List<String> matrix = text.lines().dropWhile(l -> !l.startsWith("  confusion")).skip(1).toList();
        assertEquals(6, matrix.size(), text);
        for (String row : matrix) {
            assertEquals(matrix.get(0).length(), row.length(), "every row as wide as the header:\n" + text);
        }
        // each column's numbers end where its header index ends
        int end = matrix.get(0).indexOf(" 2") + 2;
        assertTrue(matrix.get(3).substring(0, end).endsWith("2000"), text);
        List<String> table = text.lines().skip(1).limit(6).toList();
        for (String row : table) {
            assertEquals(table.get(0).length(), row.length(), "per-class table aligned:\n" + text);
        }
    }
}
