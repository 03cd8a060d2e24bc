package io.leadsync.sandbox.faults;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The injector decides faults deterministically by seed and keeps honest counts. */
class FaultInjectorTest {
    private static final String UPDATE = "/crm/v3/objects/contacts/batch/update";

    private static List<Boolean> decisions(FaultInjector injector, int requests) {
        List<Boolean> taken = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            taken.add(injector.decide("POST", UPDATE, kind -> true) != null);
        }
        return taken;
    }

    private static FaultInjector injector(long seed, FaultRule... rules) {
        FaultInjector injector = new FaultInjector();
        injector.setPlan(FaultPlan.of(seed, rules));
        return injector;
    }

    @Test
    void theSameSeedTakesTheSameRequestsAndAnotherSeedOthers() {
        FaultRule storm = FaultRule.rateLimit().withShare(0.2);

        List<Boolean> first = decisions(injector(42, storm), 2_000);
        List<Boolean> again = decisions(injector(42, storm), 2_000);
        List<Boolean> other = decisions(injector(43, storm), 2_000);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        long taken = first.stream().filter(b -> b).count();
        assertThat(taken).as("about a fifth of 2,000").isBetween(340L, 460L);
    }

    @Test
    void skipLetsTheFirstRequestsThroughAndCountStopsTheRule() {
        FaultInjector injector = injector(1, FaultRule.serverError(503).withSkip(2).withCount(3));

        assertThat(decisions(injector, 8)).containsExactly(false, false, true, true, true, false, false, false);
        assertThat(injector.rules()).singleElement().satisfies(status -> {
            assertThat(status.matched()).isEqualTo(8);
            assertThat(status.fired()).isEqualTo(3);
        });
        assertThat(injector.stats().injected(FaultKind.SERVER_ERROR)).isEqualTo(3);
    }

    @Test
    void theFirstRuleThatFiresTakesTheRequestAndLaterRulesDoNotSeeIt() {
        FaultInjector injector = injector(1, FaultRule.dropBefore().withCount(1), FaultRule.dropAfter().withCount(1));

        assertThat(injector.decide("POST", UPDATE, kind -> true).rule().kind()).isEqualTo(FaultKind.DROP_BEFORE);
        assertThat(injector.decide("POST", UPDATE, kind -> true).rule().kind()).isEqualTo(FaultKind.DROP_AFTER);
        assertThat(injector.decide("POST", UPDATE, kind -> true)).isNull();
        assertThat(injector.rules()).extracting(FaultInjector.RuleStatus::matched).containsExactly(3L, 2L);
    }

    @Test
    void aRuleOfAKindThatDoesNotApplyHereNeitherMatchesNorCounts() {
        FaultInjector injector = injector(1, FaultRule.partialBatch(0.5).withCount(1));

        assertThat(injector.decide("GET", "/crm/v3/objects/contacts", kind -> kind != FaultKind.PARTIAL_BATCH)).isNull();
        assertThat(injector.rules().get(0).matched()).isZero();
        assertThat(injector.decide("POST", UPDATE, kind -> true)).isNotNull();
    }

    @Test
    void rulesMatchMethodsAndPathPatterns() {
        FaultInjector injector = injector(1,
                FaultRule.dead().on("PATCH|POST", "/services/data/*/composite/sobjects$"),
                FaultRule.slow(java.time.Duration.ofMillis(1)).withPath("/crm/**/batch"));

        assertThat(injector.decide("PATCH", "/services/data/v60.0/composite/sobjects", k -> true).rule().kind())
                .isEqualTo(FaultKind.DEAD);
        assertThat(injector.decide("GET", "/services/data/v60.0/composite/sobjects", k -> true)).isNull();
        assertThat(injector.decide("POST", "/services/data/v60.0/composite/sobjects/Lead", k -> true)).isNull();
        assertThat(injector.decide("POST", UPDATE, k -> true).rule().kind()).isEqualTo(FaultKind.SLOW);
        assertThat(injector.decide("POST", "/crm/v3/objects/contacts/search", k -> true)).isNull();
    }

    @Test
    void aPartialBatchFailsTheSameRecordsForTheSameSeedAndAlwaysAtLeastOne() {
        FaultRule rule = FaultRule.partialBatch(0.3);
        Set<Integer> first = injector(9, rule).decide("POST", UPDATE, k -> true).partialBatch().failing(100);
        Set<Integer> again = injector(9, rule).decide("POST", UPDATE, k -> true).partialBatch().failing(100);

        assertThat(again).isEqualTo(first);
        assertThat(first.size()).isBetween(15, 45);
        assertThat(injector(9, FaultRule.partialBatch(0.01)).decide("POST", UPDATE, k -> true).partialBatch()
                .failing(1)).containsExactly(0);
        assertThat(PartialBatch.NONE.failing(100)).isEmpty();
    }

    @Test
    void countsRequestsByClassAndRouteWithIdsFolded() {
        FaultInjector injector = new FaultInjector();
        injector.count("PATCH", "/crm/v3/objects/contacts/1201", RequestClass.WRITE);
        injector.count("PATCH", "/crm/v3/objects/contacts/1202", RequestClass.WRITE);
        injector.count("GET", "/services/data/v60.0/query/01g000000000001AAA-2000", RequestClass.READ);

        FaultStats stats = injector.stats();

        assertThat(stats.requests()).isEqualTo(3);
        assertThat(stats.writes()).isEqualTo(2);
        assertThat(stats.reads()).isEqualTo(1);
        assertThat(stats.route("PATCH /crm/v3/objects/contacts/{id}")).isEqualTo(2);
        assertThat(stats.byRoute()).containsKey("GET /services/data/v60.0/query/{id}");
        injector.resetStats();
        assertThat(injector.stats().requests()).isZero();
    }

    @Test
    void aRuleTheSimulatorRefusesIsNotAddedAndClearingUndoesLastingEffects() {
        List<String> cleared = new ArrayList<>();
        FaultInjector injector = new FaultInjector(rule -> {
            if (rule.kind() == FaultKind.EXPIRE_TOKEN) {
                throw new IllegalArgumentException("no tokens here");
            }
        }, () -> cleared.add("tokens restored"));

        assertThatThrownBy(() -> injector.add(FaultRule.dead(), FaultRule.expireToken())).hasMessage("no tokens here");
        assertThat(injector.plan().rules()).as("all or nothing").isEmpty();
        injector.add(FaultRule.dead());
        injector.clear();
        assertThat(injector.plan().rules()).isEmpty();
        assertThat(cleared).containsExactly("tokens restored");
    }
}
