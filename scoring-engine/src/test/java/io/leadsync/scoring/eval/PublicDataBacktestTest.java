package io.leadsync.scoring.eval;

import io.leadsync.scoring.ScoringModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Points tables of at most 40 criteria trained and backtested (stratified 5-fold, seed 42) on the public
 * lead-conversion data sets in {@code ../shared/refs/data}; skipped, with
 * the reason, in a clone without that folder.
 */
class PublicDataBacktestTest {

    static Path sharedData(String relative) {
        for (String root : List.of("../shared/refs/data", "../../shared/refs/data")) {
            Path candidate = Path.of(root).resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static BacktestResult crossValidate(Path file, LabelledCsv csv) throws IOException {
        List<LabelledCase> cases = csv.load(file).cases();
        return Backtest.crossValidate(cases, 5, 42, training -> AdditiveTrainer.train(training, "learned", "1",
                AdditiveTrainer.Options.defaults().withBudgets(List.of())).model());
    }

    @Test
    void xEducationWithoutSalesFilledColumnsReachesTheTargets() throws IOException {
        Path file = sharedData("x_education_leads/Leads.csv");
        assumeTrue(file != null, "../shared/refs/data/x_education_leads/Leads.csv is absent (a clone without the"
                + " shared reference data); skipping the X Education backtest");

        BacktestResult result = crossValidate(file, LabelledCsv.withLabel("Converted",
                Set.of("Tags", "Lead Quality", "Prospect ID", "Lead Number")));
        System.out.println(BacktestReport.lines(result, ""));

        assertThat(result.cases()).isEqualTo(9240);
        assertThat(result.folds()).hasSize(5);
        assertThat(result.auc()).isGreaterThanOrEqualTo(0.929);
        assertThat(result.accuracy()).isGreaterThanOrEqualTo(0.85);
        assertThat(result.folds()).allMatch(fold -> fold.model().equals("learned@1"));
        assertThat(result.deciles().get(0).lift()).isGreaterThan(2);
    }

    @Test
    void bankMarketingWithoutCallDurationBeatsChance() throws IOException {
        Path file = sharedData("uci_bank_marketing/bank-additional-full.csv");
        assumeTrue(file != null, "../shared/refs/data/uci_bank_marketing is absent; skipping the bank backtest");

        BacktestResult result = crossValidate(file, LabelledCsv.withLabel("y", Set.of("duration")));
        System.out.println(BacktestReport.lines(result, ""));

        assertThat(result.cases()).isEqualTo(41188);
        assertThat(result.auc()).isGreaterThan(0.799);
        assertThat(result.logLoss()).isLessThan(0.28);
    }
}
