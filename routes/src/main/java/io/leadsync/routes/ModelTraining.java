package io.leadsync.routes;

import io.leadsync.connector.Person;
import io.leadsync.identity.SurvivorshipRules;
import io.leadsync.scoring.ModelKind;
import io.leadsync.scoring.RuleScorer;
import io.leadsync.scoring.ScoringModel;
import io.leadsync.scoring.eval.AdditiveTrainer;
import io.leadsync.scoring.eval.Backtest;
import io.leadsync.scoring.eval.BacktestResult;
import io.leadsync.scoring.eval.CutoffPlanner;
import io.leadsync.scoring.eval.LabelledCase;
import io.leadsync.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Models trained and checked on the CRM's own history in the store: a points table trained on the profiles as they
 * stood one horizon ago and backtested on those of today's cut-off (a split in time), the MQL threshold that fits
 * sales capacity, reps' verdicts against the model, and the periodic recalibration report with a challenger trained
 * on the latest outcomes.
 */
public final class ModelTraining {
    /** Bands with fewer cases are not judged for drift. */
    private static final int MIN_BAND_CASES = 30;

    private final Store store;
    private final Clock clock;
    private final SurvivorshipRules survivorship;

    public ModelTraining(Store store, Clock clock, SurvivorshipRules survivorship) {
        this.store = store;
        this.clock = clock;
        this.survivorship = survivorship;
    }

    /**
     * What to learn from and how.
     *
     * @param outcome the conversion and its date
     * @param horizon how long after a cut-off a conversion counts for it
     * @param exclude attributes to leave out (fields filled in after contact, running totals)
     * @param options the points table's budget and settings
     */
    public record Request(TrainingHistory.Outcome outcome, Duration horizon, Set<String> exclude,
                          AdditiveTrainer.Options options) {
        public Request {
            exclude = Set.copyOf(exclude);
            if (horizon.isNegative() || horizon.isZero()) {
                throw new IllegalArgumentException("the horizon must be above 0 days");
            }
        }
    }

    /**
     * A model trained at one cut-off and backtested at a later one.
     *
     * @param trainedAt    the training cut-off (the backtest's minus the horizon)
     * @param training     the training cases and conversions
     * @param backtest     the learned model on the later cut-off's cases (with the lift by score band)
     * @param leadsPerWeek new profiles a week over the 13 weeks before the backtest's cut-off
     */
    public record StoreBacktest(ScoringModel model, AdditiveTrainer.Result learned, Instant trainedAt,
                                TrainingHistory.Snapshot training, TrainingHistory.Snapshot tested,
                                BacktestResult backtest, double leadsPerWeek) {
    }

    /**
     * Trains at {@code cutOff - horizon} and backtests at {@code cutOff}; the default cut-off is one horizon ago, the
     * latest whose outcomes are all known.
     */
    public StoreBacktest backtest(Request request, Optional<Instant> cutOff, String name, String version) {
        Instant tested = cutOff.orElse(clock.instant().minus(request.horizon()));
        if (tested.plus(request.horizon()).isAfter(clock.instant())) {
            throw new IllegalArgumentException("the cut-off " + tested + " is less than the horizon ("
                    + request.horizon().toDays() + " days) ago: its outcomes are not all known yet");
        }
        TrainingHistory history = TrainingHistory.load(store, survivorship);
        Instant trained = tested.minus(request.horizon());
        TrainingHistory.Snapshot training = history.at(trained, request.horizon(), request.outcome(),
                request.exclude());
        TrainingHistory.Snapshot test = history.at(tested, request.horizon(), request.outcome(), request.exclude());
        requireBothOutcomes(training, "training");
        requireBothOutcomes(test, "backtest");
        AdditiveTrainer.Result learned = AdditiveTrainer.train(training.cases(), name, version, request.options());
        return new StoreBacktest(learned.model(), learned, trained, training, test,
                Backtest.evaluate(learned.model(), test.cases()), history.leadsPerWeek(tested, 13));
    }

    /** Trains on the latest cut-off whose outcomes are all known (one horizon ago), for service or shadow. */
    public AdditiveTrainer.Result train(Request request, String name, String version) {
        TrainingHistory.Snapshot latest = TrainingHistory.load(store, survivorship)
                .at(clock.instant().minus(request.horizon()), request.horizon(), request.outcome(), request.exclude());
        requireBothOutcomes(latest, "training");
        return AdditiveTrainer.train(latest.cases(), name, version, request.options());
    }

    /** Trains on reps' verdicts (good or bad) as labels, on every profile that has one. */
    public AdditiveTrainer.Result trainOnVerdicts(Request request, Verdicts verdicts, String name, String version) {
        List<LabelledCase> cases = TrainingHistory.load(store, survivorship).verdicts(verdicts.field(),
                verdicts.good(), verdicts.bad(), clock.instant(), request.outcome(), request.exclude());
        long good = cases.stream().filter(LabelledCase::converted).count();
        if (good == 0 || good == cases.size()) {
            throw new IllegalArgumentException("training on verdicts needs good and bad ones, but " + cases.size()
                    + " profiles have a verdict in " + verdicts.field() + " and " + good + " are good");
        }
        return AdditiveTrainer.train(cases, name, version, request.options());
    }

    private static void requireBothOutcomes(TrainingHistory.Snapshot snapshot, String what) {
        long conversions = snapshot.conversions();
        if (conversions == 0 || conversions == snapshot.cases().size()) {
            throw new IllegalArgumentException("the " + what + " cut-off " + snapshot.cutOff() + " has "
                    + snapshot.cases().size() + " profiles and " + conversions + " conversions within "
                    + snapshot.horizon().toDays() + " days: both outcomes are needed (" + snapshot.undated()
                    + " conversions had no date, " + snapshot.converted() + " profiles had converted before)");
        }
    }

    // ---- the cut-off planner

    /**
     * The MQL threshold for a capacity, from a model scored as it would have been one horizon ago and the outcomes
     * since.
     */
    public CutoffPlanner.Plan plan(ScoringModel model, Request request, double mqlsPerWeek) {
        Instant cutOff = clock.instant().minus(request.horizon());
        TrainingHistory history = TrainingHistory.load(store, survivorship);
        TrainingHistory.Snapshot snapshot = history.at(cutOff, request.horizon(), request.outcome(),
                request.exclude());
        if (snapshot.cases().isEmpty()) {
            throw new IllegalArgumentException("no profile was known at " + cutOff + " to plan from");
        }
        BacktestResult backtest = Backtest.evaluate(model, snapshot.cases());
        return CutoffPlanner.plan(backtest.scored(), Math.max(history.leadsPerWeek(clock.instant(), 13), 1e-9),
                mqlsPerWeek);
    }

    // ---- reps' verdicts

    /**
     * A CRM field where reps judge leads.
     *
     * @param field the person field, e.g. {@code lead_quality}
     * @param good  its values meaning a good lead, lower case
     * @param bad   its values meaning a bad lead, lower case
     */
    public record Verdicts(String field, Set<String> good, Set<String> bad) {
        public Verdicts {
            good = lower(good);
            bad = lower(bad);
        }

        private static Set<String> lower(Set<String> values) {
            return Set.copyOf(values.stream().map(v -> v.strip().toLowerCase(Locale.ROOT)).toList());
        }
    }

    /**
     * Reps' verdicts against the model: how often they agree on whether a lead is worth it (good and an MQL, bad
     * and not), and, where the outcome is known, who was right when they disagree.
     *
     * @param profiles          profiles with a verdict and a score
     * @param agreements        verdict and model agree
     * @param goodNotMql        reps say good, the model says not an MQL; {@code goodNotMqlConverted} of them bought
     * @param badButMql         reps say bad, the model says MQL; {@code badButMqlConverted} of them bought
     * @param examples          the strongest disagreements: highest-scored bad verdicts, lowest-scored good ones
     */
    public record VerdictReport(String model, String field, int threshold, long profiles, long agreements,
                                long goodNotMql, long goodNotMqlConverted, long badButMql, long badButMqlConverted,
                                List<Disagreement> examples) {
        public double agreementRate() {
            return profiles == 0 ? 0 : (double) agreements / profiles;
        }
    }

    /** One profile where the rep and the model disagree. */
    public record Disagreement(String profileId, String person, String verdict, int score, Boolean converted) {
    }

    public VerdictReport verdictReport(ScoringModel model, Verdicts verdicts, TrainingHistory.Outcome outcome) {
        int threshold = Backtest.mqlThreshold(model);
        RuleScorer scorer = new RuleScorer();
        Instant now = clock.instant();
        long profiles = 0;
        long agreements = 0;
        long goodNotMql = 0;
        long goodNotMqlConverted = 0;
        long badButMql = 0;
        long badButMqlConverted = 0;
        List<Disagreement> disagreements = new ArrayList<>();
        for (TrainingHistory.Profile profile : TrainingHistory.load(store, survivorship).profiles()) {
            String value = profile.golden().field(verdicts.field());
            if (value == null) {
                continue;
            }
            String verdict = value.strip().toLowerCase(Locale.ROOT);
            boolean good = verdicts.good().contains(verdict);
            if (!good && !verdicts.bad().contains(verdict)) {
                continue;
            }
            profiles++;
            int score = scorer.score(profile.golden(), profile.activities(), model, now).score();
            boolean mql = score >= threshold;
            Boolean converted = converted(profile, outcome);
            if (good == mql) {
                agreements++;
                continue;
            }
            if (good) {
                goodNotMql++;
                goodNotMqlConverted += Boolean.TRUE.equals(converted) ? 1 : 0;
            } else {
                badButMql++;
                badButMqlConverted += Boolean.TRUE.equals(converted) ? 1 : 0;
            }
            disagreements.add(new Disagreement(profile.id(), name(profile.golden()), verdict, score, converted));
        }
        disagreements.sort(Comparator.comparingInt((Disagreement d) -> Math.abs(d.score() - threshold)).reversed());
        return new VerdictReport(model.id(), verdicts.field(), threshold, profiles, agreements, goodNotMql,
                goodNotMqlConverted, badButMql, badButMqlConverted,
                List.copyOf(disagreements.subList(0, Math.min(20, disagreements.size()))));
    }

    /** Whether a profile converted at any time, or null when the outcome says nothing of it. */
    private static Boolean converted(TrainingHistory.Profile profile, TrainingHistory.Outcome outcome) {
        if (outcome == null) {
            return null;
        }
        boolean byActivity = profile.activities().stream()
                .anyMatch(a -> outcome.convertedActivities().contains(a.type()));
        if (byActivity) {
            return true;
        }
        String value = outcome.field() == null ? null : profile.golden().field(outcome.field());
        if (value == null) {
            return outcome.convertedActivities().isEmpty() ? null : false;
        }
        return outcome.converted().stream().anyMatch(c -> c.equalsIgnoreCase(value.strip()));
    }

    // ---- recalibration

    /**
     * The model in service checked against the last period: its scores one horizon ago against the conversions
     * since, by score band, beside the probability the model gave (a logistic model's own; a rule model's from the
     * period before: the conversion of its score band then), bands off by more than chance flagged; the AUC of both
     * periods; and a
     * challenger trained on the latest outcomes.
     *
     * @param bands      conversion by score band in the last period, predicted against observed
     * @param drift      what moved: bands off their calibration, a falling AUC; empty when none
     * @param challenger the challenger trained on the last period's outcomes (null if training was impossible)
     */
    public record RecalibrationReport(String model, Instant createdAt, Instant periodStart, Instant periodEnd,
                                      long cases, long conversions, double auc, double previousAuc,
                                      List<BandCheck> bands, List<String> drift, ScoringModel challenger,
                                      String challengerProblem) {
        public boolean drifted() {
            return !drift.isEmpty();
        }
    }

    /** One score band of the recalibration report. */
    public record BandCheck(String band, long cases, long converted, double predicted, double observed,
                            boolean flagged) {
    }

    public RecalibrationReport recalibrate(ScoringModel model, Request request, String challengerName) {
        Instant now = clock.instant();
        Instant start = now.minus(request.horizon());
        TrainingHistory history = TrainingHistory.load(store, survivorship);
        TrainingHistory.Snapshot last = history.at(start, request.horizon(), request.outcome(), request.exclude());
        TrainingHistory.Snapshot before = history.at(start.minus(request.horizon()), request.horizon(),
                request.outcome(), request.exclude());
        if (last.cases().isEmpty()) {
            throw new IllegalArgumentException("no profile was known at " + start + ": nothing to recalibrate on");
        }
        BacktestResult current = Backtest.evaluate(model, last.cases());
        BacktestResult previous = before.cases().isEmpty() ? null : Backtest.evaluate(model, before.cases());
        double[] predictedByScore = predictedByScore(model, previous);
        List<BandCheck> bands = new ArrayList<>();
        List<String> drift = new ArrayList<>();
        for (int band = 0; band < Backtest.BANDS; band++) {
            long cases = 0;
            long converted = 0;
            double predicted = 0;
            for (Backtest.Scored scored : current.scored()) {
                if (Math.min(scored.score() / 10, Backtest.BANDS - 1) == band) {
                    cases++;
                    converted += scored.converted() ? 1 : 0;
                    predicted += predictedByScore[scored.score()];
                }
            }
            if (cases == 0) {
                continue;
            }
            predicted /= cases;
            double observed = (double) converted / cases;
            double allowed = Math.max(0.05, 3 * Math.sqrt(Math.max(predicted * (1 - predicted), 1e-4) / cases));
            boolean flagged = cases >= MIN_BAND_CASES && !Double.isNaN(predicted)
                    && Math.abs(observed - predicted) > allowed;
            String label = band * 10 + "-" + (band == Backtest.BANDS - 1 ? 100 : band * 10 + 9);
            bands.add(new BandCheck(label, cases, converted, predicted, observed, flagged));
            if (flagged) {
                drift.add(String.format(Locale.ROOT, "scores %s: %.1f%% converted, calibrated %.1f%% (%d cases)",
                        label, 100 * observed, 100 * predicted, cases));
            }
        }
        double previousAuc = previous == null ? Double.NaN : previous.auc();
        if (!Double.isNaN(previousAuc) && !Double.isNaN(current.auc()) && current.auc() < previousAuc - 0.03) {
            drift.add(String.format(Locale.ROOT, "AUC fell from %.3f to %.3f", previousAuc, current.auc()));
        }
        ScoringModel challenger = null;
        String problem = null;
        try {
            requireBothOutcomes(last, "recalibration");
            challenger = AdditiveTrainer.train(last.cases(), challengerName, now.toString().substring(0, 10)
                    .replace("-", "."), request.options()).model();
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        return new RecalibrationReport(model.id(), now, start, now, last.cases().size(), last.conversions(),
                current.auc(), previousAuc, bands, drift, challenger, problem);
    }

    /** The probability the model stands for at each whole score: its own, or a rule model's from the period before. */
    private static double[] predictedByScore(ScoringModel model, BacktestResult previous) {
        double[] predicted = new double[101];
        if (model.kind() == ModelKind.LOGISTIC) {
            for (int score = 0; score <= 100; score++) {
                predicted[score] = score / 100.0;
            }
            return predicted;
        }
        java.util.Arrays.fill(predicted, Double.NaN);
        if (previous == null) {
            return predicted;
        }
        // conversion by whole score in the period before, pooled into the bands of ten
        for (int band = 0; band < Backtest.BANDS; band++) {
            BacktestResult.Group group = previous.bands().get(band);
            for (int score = band * 10; score <= Math.min(100, band * 10 + 9 + (band == Backtest.BANDS - 1 ? 1 : 0));
                 score++) {
                predicted[score] = group.cases() == 0 ? Double.NaN : group.rate();
            }
        }
        return predicted;
    }

    private static String name(Person person) {
        String name = ((person.firstName() == null ? "" : person.firstName()) + " "
                + (person.lastName() == null ? "" : person.lastName())).strip();
        return name.isEmpty() ? (person.email() != null ? person.email() : person.id().toString()) : name;
    }
}
