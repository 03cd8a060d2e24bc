package io.leadsync.routes;

import io.leadsync.connector.Activity;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreResult;
import io.leadsync.connector.SinkConnector;
import io.leadsync.identity.Survivorship;
import io.leadsync.identity.SurvivorshipRules;
import io.leadsync.routes.internal.PushStage;
import io.leadsync.store.ModelRepository;
import io.leadsync.store.PersonLink;
import io.leadsync.store.ScoreRepository;
import io.leadsync.store.Store;
import io.leadsync.store.StoredScore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Putting a scoring model into service with evidence: preview a candidate on the live profiles before it replaces
 * the active one, activate it (every profile is re-scored from its stored records and activities on the next run;
 * only values that change are written), and compare a challenger scored in shadow with the champion as outcomes
 * arrive.
 */
public final class ModelRollout {
    private static final int BATCH = 500;

    private final Store store;
    private final Clock clock;
    private final Map<String, SinkConnector> sinks;
    private final SurvivorshipRules survivorship;

    public ModelRollout(Store store, Clock clock, Map<String, SinkConnector> sinks) {
        this(store, clock, sinks, SurvivorshipRules.mostRecent());
    }

    /** @param survivorship how golden records are built, as the pipeline builds them */
    public ModelRollout(Store store, Clock clock, Map<String, SinkConnector> sinks, SurvivorshipRules survivorship) {
        this.store = store;
        this.clock = clock;
        this.sinks = Map.copyOf(sinks);
        this.survivorship = survivorship;
    }

    /** What a sink would be asked to write. */
    public record SinkCost(long records, long fieldWrites, long apiCalls, long tasks) {
    }

    /** A task the candidate would create. */
    public record TaskPreview(String profileId, String person, int score, String grade) {
    }

    /**
     * What activating a candidate model would change.
     *
     * @param gradeMoves   {@code "B -> A"} to how many profiles would move so
     * @param stagesBefore profiles per lifecycle stage now; {@code stagesAfter} with the candidate
     * @param sinks        per sink: records and fields written and API calls (at the sink's batch size), tasks
     * @param tasks        the first tasks the candidate would create (profiles crossing its task threshold)
     */
    public record Preview(String currentModel, String candidateModel, long profiles, long scoresChanged,
                          long gradesChanged, Map<String, Long> gradeMoves, Map<String, Long> stagesBefore,
                          Map<String, Long> stagesAfter, long tasksToCreate, Map<String, SinkCost> sinks,
                          List<TaskPreview> tasks, long unscorable) {
    }

    /** Scores every live profile with a candidate, compares with the stored scores, and writes nothing. */
    public Preview preview(ScoringService candidate, String currentModel) {
        Instant asOf = clock.instant();
        long profiles = 0;
        long changed = 0;
        long gradesChanged = 0;
        long unscorable = 0;
        Map<String, Long> moves = new TreeMap<>();
        Map<String, Long> before = new TreeMap<>();
        Map<String, Long> after = new TreeMap<>();
        Map<String, long[]> cost = new LinkedHashMap<>();
        List<TaskPreview> tasks = new ArrayList<>();
        long taskCount = 0;
        OptionalInt threshold = candidate.taskThreshold();
        String after_ = null;
        while (true) {
            String from = after_;
            List<String> ids = store.inTransaction(tx -> tx.profiles().ids(from, BATCH));
            if (ids.isEmpty()) {
                break;
            }
            after_ = ids.get(ids.size() - 1);
            for (String profileId : ids) {
                ProfileData data = store.inTransaction(tx -> new ProfileData(tx.profiles().persons(profileId),
                        tx.activities().forProfile(profileId), tx.scores().current(profileId),
                        tx.profiles().links(profileId)));
                if (data.persons().isEmpty()) {
                    continue;
                }
                profiles++;
                ScoreResult next;
                Person golden = Survivorship.golden(data.persons(), survivorship);
                try {
                    next = candidate.score(golden, data.activities(), asOf);
                } catch (RuntimeException e) {
                    unscorable++;
                    continue;
                }
                Optional<ScoreResult> now = data.current().map(StoredScore::result);
                now.ifPresent(result -> before.merge(stage(result), 1L, Long::sum));
                after.merge(stage(next), 1L, Long::sum);
                boolean visible = now.map(result -> !ScoreRepository.sameForUsers(result, next)).orElse(true);
                if (visible) {
                    changed++;
                    String grade = now.map(ScoreResult::grade).orElse("none");
                    if (!grade.equals(next.grade())) {
                        gradesChanged++;
                        moves.merge(grade + " -> " + next.grade(), 1L, Long::sum);
                    }
                    Map<String, String> fields = PushStage.fields(next);
                    for (PersonLink link : data.links()) {
                        if (!sinks.containsKey(link.person().source())) {
                            continue;
                        }
                        long[] sink = cost.computeIfAbsent(link.person().source(), k -> new long[3]);
                        Map<String, String> written = store.inTransaction(tx -> tx.pushLedger()
                                .written(link.person().source(), List.of(link.person().id())))
                                .getOrDefault(link.person().id(), Map.of());
                        long differing = fields.entrySet().stream()
                                .filter(e -> !Objects.equals(written.get(e.getKey()), e.getValue())).count();
                        if (differing > 0) {
                            sink[0]++;
                            sink[1] += differing;
                        }
                    }
                }
                boolean crosses = threshold.isPresent() && next.score() >= threshold.getAsInt()
                        && now.map(result -> result.score() < threshold.getAsInt()).orElse(true);
                if (crosses) {
                    for (PersonLink link : data.links()) {
                        SinkConnector sink = sinks.get(link.person().source());
                        if (sink != null && sink.supportsTasks()) {
                            cost.computeIfAbsent(link.person().source(), k -> new long[3])[2]++;
                            taskCount++;
                            if (tasks.size() < 20) {
                                tasks.add(new TaskPreview(profileId, name(golden), next.score(), next.grade()));
                            }
                            break;
                        }
                    }
                }
            }
        }
        Map<String, SinkCost> sinkCosts = new LinkedHashMap<>();
        cost.forEach((name, values) -> {
            int batch = sinks.get(name).maxBatchSize();
            sinkCosts.put(name, new SinkCost(values[0], values[1], (values[0] + batch - 1) / batch + values[2],
                    values[2]));
        });
        tasks.sort(Comparator.comparingInt(TaskPreview::score).reversed());
        return new Preview(currentModel, candidate.modelId(), profiles, changed, gradesChanged, moves, before, after,
                taskCount, sinkCosts, tasks, unscorable);
    }

    private record ProfileData(List<Person> persons, List<Activity> activities, Optional<StoredScore> current,
                               List<PersonLink> links) {
    }

    /**
     * Records that a model went into service and marks every profile for scoring: the next run re-scores each from
     * its stored records and activities (history included), and pushes only the values that change.
     *
     * @return how many profiles will be re-scored
     */
    public long activated(String modelVersion, String previousVersion, String sourceFile) {
        Instant now = clock.instant();
        return store.inTransaction(tx -> {
            long marked = tx.profiles().markAllChanged(now);
            tx.models().recordActivation(modelVersion, previousVersion, sourceFile, marked, now);
            return marked;
        });
    }

    /**
     * Puts a challenger into shadow: when no profile has a score of its version yet (a new challenger, such as one
     * trained by the recalibration report), every profile is marked, so that the next run scores all of them in
     * shadow; the champion's values that do not change are not pushed again.
     *
     * @return how many profiles were marked (0 for a challenger already scored)
     */
    public long challengerStarted(String challengerVersion) {
        Instant now = clock.instant();
        return store.inTransaction(tx -> tx.models().hasChallengerScores(challengerVersion) ? 0L
                : tx.profiles().markAllChanged(now));
    }

    /**
     * Champion against challenger on the profiles whose outcome is known, as outcomes arrive.
     *
     * @param profiles  profiles with both scores and a known outcome
     * @param converted how many of them converted
     * @param championAuc   the champion's AUC (the chance a converter outscores a non-converter)
     * @param challengerAuc the challenger's AUC
     * @param championTopDecileRate   the conversion rate in the champion's top 10% of scores
     * @param challengerTopDecileRate the same for the challenger
     */
    public record ShadowReport(String champion, String challenger, long profiles, long converted, double championAuc,
                               double challengerAuc, double championTopDecileRate, double challengerTopDecileRate,
                               double baseRate) {
    }

    /**
     * Compares a challenger's shadow scores with the champion's on profiles whose outcome the given function knows
     * (true converted, false did not, empty unknown), e.g. a CRM lifecycle stage of customer.
     */
    public ShadowReport shadowReport(String champion, String challenger,
                                     java.util.function.Function<Person, Optional<Boolean>> outcome) {
        return shadowReport(champion, challenger, (person, activities) -> outcome.apply(person));
    }

    /**
     * Compares a challenger's shadow scores with the champion's on profiles whose outcome the given function knows
     * from the golden record and the profile's activities (e.g. a won Salesforce opportunity).
     */
    public ShadowReport shadowReport(String champion, String challenger,
                                     java.util.function.BiFunction<Person, List<io.leadsync.connector.Activity>,
                                             Optional<Boolean>> outcome) {
        List<ModelRepository.ScorePair> pairs = store.inTransaction(tx -> tx.models().pairs(challenger));
        List<double[]> champ = new ArrayList<>();
        List<double[]> chall = new ArrayList<>();
        long converted = 0;
        for (ModelRepository.ScorePair pair : pairs) {
            Optional<Boolean> known = store.inTransaction(tx -> {
                List<Person> persons = tx.profiles().persons(pair.profileId());
                return persons.isEmpty() ? Optional.<Boolean>empty() : outcome.apply(
                        Survivorship.golden(persons, survivorship), tx.activities().forProfile(pair.profileId()));
            });
            if (known.isEmpty()) {
                continue;
            }
            double label = known.get() ? 1 : 0;
            converted += known.get() ? 1 : 0;
            champ.add(new double[] {pair.champion(), label});
            chall.add(new double[] {pair.challenger(), label});
        }
        double base = champ.isEmpty() ? 0 : (double) converted / champ.size();
        return new ShadowReport(champion, challenger, champ.size(), converted, auc(champ), auc(chall),
                topDecileRate(champ), topDecileRate(chall), base);
    }

    /** Mann-Whitney AUC with ties counted half; NaN when one class is missing. */
    static double auc(List<double[]> scored) {
        List<double[]> sorted = new ArrayList<>(scored);
        sorted.sort(Comparator.comparingDouble(a -> a[0]));
        long positives = scored.stream().filter(a -> a[1] > 0).count();
        long negatives = scored.size() - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double rankSum = 0;
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1)[0] == sorted.get(i)[0]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (sorted.get(k)[1] > 0) {
                    rankSum += rank;
                }
            }
            i = j + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    static double topDecileRate(List<double[]> scored) {
        if (scored.isEmpty()) {
            return 0;
        }
        List<double[]> sorted = new ArrayList<>(scored);
        sorted.sort(Comparator.comparingDouble((double[] a) -> a[0]).reversed());
        int top = Math.max(1, sorted.size() / 10);
        return sorted.subList(0, top).stream().mapToDouble(a -> a[1]).sum() / top;
    }

    private static String stage(ScoreResult result) {
        return result.stage() == null ? "(none)" : result.stage();
    }

    private static String name(Person person) {
        String name = ((person.firstName() == null ? "" : person.firstName()) + " "
                + (person.lastName() == null ? "" : person.lastName())).strip();
        ExternalId id = person.id();
        return name.isEmpty() ? (person.email() != null ? person.email() : id.toString()) : name;
    }
}
