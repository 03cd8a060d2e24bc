package io.leadsync.routes;

import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.hubspot.HubSpotConnectorFactory;
import io.leadsync.identity.SurvivorshipRules;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.scoring.ActivityCriterion;
import io.leadsync.scoring.Criterion;
import io.leadsync.connector.Activity;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.PersonRef;
import io.leadsync.scoring.RuleScorer;
import io.leadsync.scoring.eval.LabelledCase;
import io.leadsync.scoring.ScoringModel;
import io.leadsync.scoring.eval.AdditiveTrainer;
import io.leadsync.scoring.eval.Backtest;
import io.leadsync.scoring.eval.BacktestReport;
import io.leadsync.scoring.eval.BacktestResult;
import io.leadsync.store.DatabaseSettings;
import io.leadsync.store.Store;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Training on the CRM's own history: the sandbox's contacts buy with log-odds that rise with a senior title, a
 * large company and recent meetings (see {@link SandboxDataGenerator}); after a sync into the store, a points table
 * trained on the profiles as they stood at one cut-off finds those effects, and ranks the profiles of a later
 * cut-off, whose outcomes it never saw.
 */
class TrainingFromStoreIT {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.DAYS);
    private static final Duration HORIZON = Duration.ofDays(30);
    private static final TrainingHistory.Outcome CUSTOMER = new TrainingHistory.Outcome("lifecyclestage",
            List.of("customer"), "hs_lifecyclestage_customer_date", List.of());

    @TempDir
    static Path dataDir;
    private static HubSpotSimulator hubspot;
    private static Store store;
    private static TrainingHistory history;

    @BeforeAll
    static void syncTheSandbox() throws Exception {
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits());
        hubspot.seed(new SandboxDataGenerator(21).generate(2500, NOW));
        store = Store.open(DatabaseSettings.h2File(dataDir.resolve("leadsync").toString()));
        DefaultCamelContext camel = new DefaultCamelContext();
        Map<String, Object> settings = new HashMap<>();
        settings.put("type", "hubspot");
        settings.put("base-url", hubspot.baseUrl().toString());
        settings.put("token", HubSpotSimulator.Options.DEFAULT_TOKEN);
        settings.put("read", Map.of("streams", List.of("contacts", "emails", "meetings", "calls"), "page-size", "200",
                "properties", List.of("hs_lifecyclestage_customer_date", "lead_quality")));
        settings.put("rate-limit", Map.of("requests-per-ten-seconds", "0", "searches-per-second", "0"));
        ConnectorContext context = ConnectorContext.of(Clock.systemUTC(), camel);
        HubSpotConnectorFactory factory = new HubSpotConnectorFactory();
        ConnectorSettings connector = ConnectorSettings.of("hubspot-main", "sync.connectors.hubspot-main", settings);
        SourceConnector source = factory.createSource(connector, context);
        SyncEngine sync = SyncEngine.builder().store(store).camel(camel)
                .scoring(ModelScoringService.load(Path.of("../config/scoring/default-model.yml")))
                .job(new SyncJob("full-sync", null, List.of(source), List.<SinkConnector>of(),
                        SyncJob.TaskPolicy.defaults()))
                .build();
        sync.start();
        camel.start();
        sync.runNow("full-sync", "test");
        camel.stop();
        source.close();
        history = TrainingHistory.load(store, SurvivorshipRules.mostRecent());
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (hubspot != null) {
            hubspot.close();
        }
    }

    /** A lead in the United States with a title, a company size and meetings in the days before {@code asOf}. */
    private static LabelledCase lead(String title, String employees, int meetings, Instant asOf) {
        ExternalId id = new ExternalId("hubspot-main", "probe");
        List<Activity> activities = new java.util.ArrayList<>();
        for (int m = 0; m < meetings; m++) {
            activities.add(new Activity(new ExternalId("hubspot-main", "m" + m), "meeting",
                    asOf.minus(Duration.ofDays(2 + m)), PersonRef.of(id), Map.of()));
        }
        Person person = Person.builder(id, asOf).title(title).country("United States")
                .attributes(Map.of("numberofemployees", employees, "industry", "COMPUTER_SOFTWARE")).build();
        return new LabelledCase(person, activities, asOf, false);
    }

    private static double logOdds(RuleScorer scorer, ScoringModel model, LabelledCase lead, Instant asOf) {
        double p = scorer.rawScore(lead.person(), lead.activities(), model, asOf);
        return Math.log(p / (1 - p));
    }

    @Test
    void trainingAtOneCutOffRecoversFitAndEngagementAndRanksALaterCutOff() throws Exception {
        TrainingHistory.Snapshot training = history.at(NOW.minus(HORIZON.multipliedBy(2)), HORIZON, CUSTOMER,
                Set.of("lead_quality"));
        TrainingHistory.Snapshot later = history.at(NOW.minus(HORIZON), HORIZON, CUSTOMER, Set.of("lead_quality"));
        assertThat(training.conversions()).isGreaterThan(40);
        assertThat(later.conversions()).isGreaterThan(40);
        // outcomes before the cut-off are not cases, and no case sees a later activity
        assertThat(later.converted()).isGreaterThan(0);
        assertThat(later.cases()).allMatch(c -> c.activities().stream()
                .noneMatch(a -> a.occurredAt().isAfter(later.cutOff())));
        assertThat(later.cases()).allMatch(c -> !c.person().attributes().containsKey("lifecyclestage")
                && !c.person().attributes().containsKey("hs_lifecyclestage_customer_date"));

        ScoringModel model = AdditiveTrainer.train(training.cases(), "from-store", "1",
                AdditiveTrainer.Options.defaults().withMaxCriteria(8).withInteractions(0)).model();

        // fit: a senior title and a large company raise the odds; engagement: recent meetings do
        RuleScorer scorer = new RuleScorer();
        Instant asOf = later.cutOff();
        assertThat(logOdds(scorer, model, lead("VP Sales", "1500", 0, asOf), asOf))
                .isGreaterThan(logOdds(scorer, model, lead("Software Engineer", "1500", 0, asOf), asOf) + 0.5);
        assertThat(logOdds(scorer, model, lead("Analyst", "1500", 0, asOf), asOf))
                .isGreaterThan(logOdds(scorer, model, lead("Analyst", "40", 0, asOf), asOf) + 0.3);
        assertThat(logOdds(scorer, model, lead("Analyst", "40", 3, asOf), asOf))
                .isGreaterThan(logOdds(scorer, model, lead("Analyst", "40", 0, asOf), asOf) + 0.3);
        assertThat(model.criteria()).anyMatch(c -> c instanceof ActivityCriterion a
                && a.activityTypes().contains("meeting") && c.points() > 0);

        BacktestResult backtest = Backtest.evaluate(model, later.cases());
        System.out.println(BacktestReport.lines(backtest, ""));
        System.out.println(BacktestReport.decileTable(backtest));
        backtest.bands().stream().filter(band -> band.cases() > 0).forEach(band -> System.out.printf(
                java.util.Locale.ROOT, "scores %-7s %5d cases %4d converted %5.1f%% lift %.2f%n", band.label(),
                band.cases(), band.converted(), 100 * band.rate(), band.lift()));
        for (Criterion criterion : model.criteria()) {
            System.out.println(criterion.name() + " " + criterion.points());
        }
        BacktestResult handWritten = Backtest.evaluate(ScoringModel.load(Path.of("../config/scoring/default-model.yml")),
                later.cases());
        System.out.println(BacktestReport.comparison(handWritten, backtest));
        assertThat(backtest.auc()).isGreaterThan(0.62).isGreaterThan(handWritten.auc());
        assertThat(backtest.deciles().get(0).lift()).isGreaterThan(1.8);
    }
}
