package io.leadsync.bench.scoring;

import io.leadsync.connector.Activity;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.PersonRef;
import io.leadsync.connector.ScoreResult;
import io.leadsync.scoring.RuleScorer;
import io.leadsync.scoring.ScoringModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Scores profiles with a 15-criterion model with decay (fit, engagement with half-lives and caps, a frequency rule,
 * negatives, category caps): profiles per second on one thread, i.e. per core. Run with
 * {@code java -jar bench/target/leadsync-bench.jar ScorerBenchmark -prof gc} for the allocation per score
 * ({@code gc.alloc.rate.norm}, bytes per operation).
 *
 * <p>{@code score} builds the whole result a CRM receives (grade, stage, sorted reasons and their text);
 * {@code rawScore} is the number alone, as backtests and previews use it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 2)  // C2 keeps improving the scorer for ~12 s on this 2-core VM
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ScorerBenchmark {
    static final Instant AS_OF = Instant.parse("2025-06-02T09:00:00Z");
    static final String MODEL = """
            name: bench
            version: 1
            fit:
              - {name: Senior, field: title, contains-any: [vp, director, head of, chief], points: 20}
              - {name: Target industry, field: industry, in: [COMPUTER_SOFTWARE, FINANCIAL_SERVICES], points: 15}
              - {name: Business email, field: email, business-email: true, points: 10}
              - {name: Mid-size, field: numberofemployees, at-least: 200, points: 10}
              - {name: Target country, field: country, in: [US, DE, GB, FR], points: 5}
            engagement:
              - {name: Meeting, activity: meeting, points: 15, max: 30, within-days: 90, half-life-days: 30}
              - {name: Reply, activity: email_reply, points: 10, max: 20, half-life-days: 21}
              - {name: Click, activity: email_click, points: 3, max: 9, within-days: 60, half-life-days: 14}
              - {name: Pricing, activity: pricing_page_view, points: 4, max: 12, within-days: 30, half-life-days: 10}
              - {name: Repeat pricing, activity: pricing_page_view, at-least: 2, within-days: 3, points: 8}
              - {name: Demo, activity: demo_request, points: 25, max: 25, within-days: 90}
              - {name: Usage, activity: product_usage, points: 1, max: 20, within-days: 30, half-life-days: 14}
            negative:
              - {name: Bounce, activity: email_bounce, points: -15, max: -15}
              - {name: Free mail, field: email, business-email: false, points: -5}
              - {name: Quiet, activity: any, at-most: 0, within-days: 90, points: -10}
            caps: {engagement: 70, negative: -40}
            grades: {A: 75, B: 50, C: 25, D: 0}
            stages: {MQL: 60, lead: 0}
            task-threshold: 75
            """;
    /** A points table as score-train writes it: bands of one column, groups of categories, a segment rule. */
    static final String LEARNED = """
            name: learned
            version: 1
            kind: logistic
            intercept: -2.1
            fit:
              - {name: "title is VP Sales, CTO", field: title, in: ["VP Sales", "CTO", "Head of Marketing"], weight: 1.42}
              - {name: "numberofemployees 200 to below 1000", field: numberofemployees, at-least: 200, below: 1000, weight: 0.61}
              - {name: "numberofemployees at least 1000", field: numberofemployees, at-least: 1000, weight: 0.93}
              - {name: "industry is COMPUTER_SOFTWARE", field: industry, equals: COMPUTER_SOFTWARE, weight: 0.38}
              - {name: "title is VP Sales and country is US, DE", field: title, equals: "VP Sales", when: [{field: country, in: [US, DE]}], weight: 0.44}
            engagement:
              - {name: "2+ meetings in 30 days", activity: meeting, at-least: 2, within-days: 30, weight: 1.1}
              - {name: "1 meeting in 30 days", activity: meeting, at-least: 1, at-most: 1, within-days: 30, weight: 0.52}
              - {name: "Each pricing page view (half-life 7 days)", activity: pricing_page_view, half-life-days: 7, max: 1.2, weight: 0.4}
            negative:
              - {name: "no activities in 90 days", activity: any, at-most: 0, within-days: 90, weight: -0.8}
              - {name: "numberofemployees below 50", field: numberofemployees, below: 50, weight: -0.71}
              - {name: "country missing", field: country, present: false, weight: -0.35}
              - {name: "1+ email bounce in 365 days", activity: email_bounce, at-least: 1, within-days: 365, weight: -0.9}
            grades: {A: 75, B: 50, C: 25, D: 0}
            stages: {MQL: 50, lead: 0}
            """;
    static final String[] TYPES = {"meeting", "email_reply", "email_click", "email_open", "pricing_page_view",
            "demo_request", "product_usage", "product_usage", "page_view", "email_bounce"};
    static final String[] TITLES = {"VP Sales", "Software Engineer", "Head of Marketing", "Analyst", "CTO", ""};
    static final String[] INDUSTRIES = {"COMPUTER_SOFTWARE", "RETAIL", "FINANCIAL_SERVICES", "HEALTHCARE"};
    static final String[] DOMAINS = {"acme.io", "gmail.com", "northwind.com", "outlook.com", "contoso.de"};
    static final String[] COUNTRIES = {"US", "IN", "DE", "BR", "GB"};

    /** How many distinct profiles the benchmark cycles through (more than fit a core's caches). */
    static final int PROFILES = 4096;

    /**
     * {@code full}: the 15 criteria; {@code fit}: its 5 field criteria only; {@code activities}: the other 10;
     * {@code learned}: a 12-criterion points table as score-train writes it.
     */
    @Param({"full"})
    String criteria;

    ScoringModel model;
    RuleScorer scorer;
    Person[] persons;
    List<List<Activity>> activities;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        model = ScoringModel.parse(variant(criteria), "bench-model.yml");
        scorer = new RuleScorer();
        Random random = new Random(42);
        persons = new Person[PROFILES];
        activities = new ArrayList<>(PROFILES);
        for (int i = 0; i < PROFILES; i++) {
            ExternalId id = new ExternalId("hubspot-main", Integer.toString(100_000 + i));
            persons[i] = Person.builder(id, AS_OF).email("p" + i + "@" + DOMAINS[random.nextInt(DOMAINS.length)])
                    .title(TITLES[random.nextInt(TITLES.length)]).country(COUNTRIES[random.nextInt(COUNTRIES.length)])
                    .attributes(Map.of("industry", INDUSTRIES[random.nextInt(INDUSTRIES.length)],
                            "numberofemployees", Integer.toString(random.nextInt(2000))))
                    .build();
            int count = random.nextInt(21);   // 0..20 activities, 10 on average
            List<Activity> list = new ArrayList<>(count);
            for (int a = 0; a < count; a++) {
                Instant at = AS_OF.minus(Duration.ofMinutes(random.nextInt(120 * 24 * 60)));
                list.add(new Activity(new ExternalId("hubspot-main", i + "-" + a), TYPES[random.nextInt(TYPES.length)],
                        at, PersonRef.of(id), Map.of()));
            }
            // as the store returns them: oldest first
            list.sort(java.util.Comparator.comparing(Activity::occurredAt).thenComparing(Activity::id));
            activities.add(List.copyOf(list));
        }
    }

    /** The model with only some of its criteria. */
    static String variant(String criteria) {
        if (criteria.equals("full")) {
            return MODEL;
        }
        if (criteria.equals("learned")) {
            return LEARNED;
        }
        StringBuilder kept = new StringBuilder();
        for (String line : MODEL.split("\n")) {
            boolean isActivity = line.contains("activity:");
            boolean isField = line.contains("field:");
            if (criteria.equals("fit") && isActivity || criteria.equals("activities") && isField
                    || line.startsWith("caps:")) {
                continue;
            }
            kept.append(line).append('\n');
        }
        return kept.toString().replace("grades: {A: 75, B: 50, C: 25, D: 0}", "grades: {D: 0}")
                .replace("stages: {MQL: 60, lead: 0}\n", "").replace("task-threshold: 75\n", "");
    }

    @Benchmark
    public ScoreResult score() {
        int i = next++ & (PROFILES - 1);
        return scorer.score(persons[i], activities.get(i), model, AS_OF);
    }

    @Benchmark
    public double rawScore() {
        int i = next++ & (PROFILES - 1);
        return scorer.rawScore(persons[i], activities.get(i), model, AS_OF);
    }
}
