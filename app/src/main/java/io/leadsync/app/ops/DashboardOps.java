package io.leadsync.app.ops;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.app.LeadsyncConfig;
import io.leadsync.app.api.ModelsController;
import io.leadsync.connector.Person;
import io.leadsync.identity.Survivorship;
import io.leadsync.store.Store;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The figures of the dashboard that no other endpoint gives: how scores are spread (bands of ten points), grades, the
 * criteria that fire most, conversion by score band where outcomes are known, and the identity reviews and dead
 * letters waiting.
 */
@Singleton
public class DashboardOps {
    /** Profiles looked at for top reasons and conversion (the most recently changed scores). */
    static final int SAMPLE = 5000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final LeadsyncConfig config;

    public DashboardOps(Store store, LeadsyncConfig config) {
        this.store = store;
        this.config = config;
    }

    public Map<String, Object> summary() {
        Map<String, Object> view = new LinkedHashMap<>();
        Map<Integer, Long> bands = store.inTransaction(tx -> tx.operations().scoreBands(10));
        Map<String, Long> scoreBands = new LinkedHashMap<>();
        bands.forEach((start, count) -> scoreBands.put(start + "-" + (start + 9), count));
        view.put("profiles", store.inTransaction(tx -> tx.profiles().count()));
        view.put("scoreBands", scoreBands);
        view.put("grades", store.inTransaction(tx -> tx.scores().gradeCounts()));
        view.put("topReasons", topReasons());
        view.put("conversionByBand", conversionByBand());
        view.put("identityReviewsWaiting", store.inTransaction(tx -> tx.operations().reviewsWaiting()));
        view.put("deadLettersOpen", store.inTransaction(tx -> tx.deadLetters().countOpen()));
        return view;
    }

    /** The criteria that add points to most current scores, with how many profiles each adds to. */
    private List<Map<String, Object>> topReasons() {
        Map<String, Long> counts = new TreeMap<>();
        for (String reasons : store.inTransaction(tx -> tx.operations().currentReasons(SAMPLE))) {
            try {
                List<Map<String, Object>> list = JSON.readValue(reasons, new TypeReference<>() { });
                for (Map<String, Object> reason : list) {
                    if (reason.get("points") instanceof Number points && points.doubleValue() > 0) {
                        counts.merge(String.valueOf(reason.get("criterion")), 1L, Long::sum);
                    }
                }
            } catch (Exception e) {
                // a score without readable reasons adds nothing to the count
            }
        }
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                .map(e -> Map.<String, Object>of("criterion", e.getKey(), "profiles", e.getValue()))
                .collect(Collectors.toList());
    }

    /**
     * Per score band, how many profiles with a known outcome converted ({@code leadsync.scoring.outcome}); empty when
     * no outcome is configured.
     */
    private Map<String, Map<String, Long>> conversionByBand() {
        LeadsyncConfig.Scoring scoring = config.scoring();
        Map<String, Map<String, Long>> bands = new TreeMap<>();
        if (!scoring.knowsOutcomes()) {
            return bands;
        }
        List<String> ids = store.inTransaction(tx -> tx.profiles().ids(null, SAMPLE));
        for (String id : ids) {
            store.inTransaction(tx -> {
                Optional<Integer> score = tx.scores().current(id).map(s -> s.result().score());
                List<Person> persons = tx.profiles().persons(id);
                if (score.isEmpty() || persons.isEmpty()) {
                    return null;
                }
                Optional<Boolean> converted = ModelsController.outcome(Survivorship.golden(persons,
                        config.identity().survivorship()), tx.activities().forProfile(id), scoring);
                converted.ifPresent(outcome -> {
                    int start = score.get() / 10 * 10;
                    Map<String, Long> band = bands.computeIfAbsent(String.format("%03d-%03d", start, start + 9),
                            k -> new LinkedHashMap<>(Map.of("known", 0L, "converted", 0L)));
                    band.merge("known", 1L, Long::sum);
                    if (outcome) {
                        band.merge("converted", 1L, Long::sum);
                    }
                });
                return null;
            });
        }
        return bands;
    }
}
