package io.leadsync.connector.testkit;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.FieldChange;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.WriteField;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every sink connector must prove: one bad record fails alone, batches above the vendor's limit are split
 * (never sent), written values read back, preparing twice is harmless. A connector's test extends this class with
 * a fixture holding at least {@code maxBatchSize() + 1} writable records. Skipping one of these tests needs a
 * reason written in the code.
 */
public abstract class SinkConnectorContract {

    /** A sink against the fixture. */
    protected abstract SinkConnector sink();

    /** Ids of records that exist in the fixture and may be written. */
    protected abstract List<ExternalId> writableRecords(int count);

    /** A record the vendor refuses to write (e.g. an id that does not exist). */
    protected abstract ExternalId refusedRecord();

    /** The canonical field values the vendor now holds for a record. */
    protected abstract Map<String, String> readBack(ExternalId record);

    /** The largest number of records the vendor received in one call so far. */
    protected abstract int largestBatchReceived();

    private static FieldChange scoreChange(ExternalId target, int score) {
        return new FieldChange(target, Map.of(WriteField.SCORE, Integer.toString(score), WriteField.GRADE,
                score >= 75 ? "A" : "B", WriteField.REASONS, "+" + score + " Contract test",
                WriteField.MODEL_VERSION, "contract@1"));
    }

    @Test
    void writesValuesThatReadBack() {
        SinkConnector sink = sink();
        sink.prepare();
        ExternalId target = writableRecords(1).get(0);

        List<RecordResult> results = sink.write(List.of(scoreChange(target, 81)));

        assertThat(results).singleElement().satisfies(result -> assertThat(result.success()).isTrue());
        assertThat(readBack(target)).containsEntry(WriteField.SCORE, "81").containsEntry(WriteField.GRADE, "A")
                .containsEntry(WriteField.REASONS, "+81 Contract test")
                .containsEntry(WriteField.MODEL_VERSION, "contract@1");
    }

    @Test
    void aBatchWithOneBadRecordReportsExactlyThatRecordAsFailed() {
        SinkConnector sink = sink();
        sink.prepare();
        List<ExternalId> good = writableRecords(4);
        List<FieldChange> batch = new ArrayList<>();
        batch.add(scoreChange(good.get(0), 10));
        batch.add(scoreChange(good.get(1), 20));
        batch.add(scoreChange(refusedRecord(), 30));
        batch.add(scoreChange(good.get(2), 40));
        batch.add(scoreChange(good.get(3), 50));

        List<RecordResult> results = sink.write(batch);

        assertThat(results).hasSize(5);
        assertThat(results.get(2).success()).isFalse();
        assertThat(results.get(2).target()).isEqualTo(refusedRecord());
        assertThat(results.get(2).message()).isNotBlank();
        assertThat(List.of(results.get(0), results.get(1), results.get(3), results.get(4)))
                .allSatisfy(result -> assertThat(result.success()).isTrue());
        assertThat(readBack(good.get(3))).containsEntry(WriteField.SCORE, "50");
    }

    @Test
    void aBatchAboveTheVendorLimitIsSplitNeverSent() {
        SinkConnector sink = sink();
        sink.prepare();
        int size = sink.maxBatchSize() + 1;
        List<FieldChange> batch = new ArrayList<>();
        for (ExternalId target : writableRecords(size)) {
            batch.add(scoreChange(target, 60));
        }

        List<RecordResult> results = sink.write(batch);

        assertThat(results).hasSize(size).allSatisfy(result -> assertThat(result.success()).isTrue());
        assertThat(largestBatchReceived()).isLessThanOrEqualTo(sink.maxBatchSize());
    }

    @Test
    void preparingTwiceIsHarmless() {
        SinkConnector sink = sink();
        sink.prepare();
        sink.prepare();
        ExternalId target = writableRecords(1).get(0);
        assertThat(sink.write(List.of(scoreChange(target, 33)))).allSatisfy(r -> assertThat(r.success()).isTrue());
    }
}
