package io.leadsync.app.api;

import io.leadsync.routes.ModelTraining;
import io.leadsync.routes.TrainingHistory;
import io.leadsync.scoring.ModelWriter;
import io.leadsync.scoring.eval.AdditiveTrainer;
import io.leadsync.scoring.eval.BacktestResult;
import io.leadsync.scoring.eval.CutoffPlanner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON views of training, backtests, plans, verdict and recalibration reports, for the API and the store. */
public final class TrainingViews {
    private TrainingViews() {
    }

    public static Map<String, Object> learned(AdditiveTrainer.Result result, String header) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("model", result.model().id());
        view.put("criteria", result.model().criteria().size());
        view.put("pointsTable", result.rows().stream().map(row -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("criterion", row.criterion().name());
            line.put("category", row.criterion().category().key());
            line.put("weight", row.criterion().points());
            line.put("cases", row.cases());
            line.put("converted", row.converted());
            return line;
        }).toList());
        view.put("budgets", result.budgets().stream().map(budget -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("maxCriteria", budget.criteria() < 0 ? "full shapes" : budget.criteria());
            line.put("auc", round(budget.auc()));
            line.put("logLoss", round(budget.logLoss()));
            return line;
        }).toList());
        view.put("yaml", ModelWriter.toYaml(result.model(), List.of(header)));
        return view;
    }

    public static Map<String, Object> snapshot(TrainingHistory.Snapshot snapshot) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("cutOff", snapshot.cutOff().toString());
        view.put("horizonDays", snapshot.horizon().toDays());
        view.put("cases", snapshot.cases().size());
        view.put("conversions", snapshot.conversions());
        view.put("convertedBefore", snapshot.converted());
        view.put("undatedConversions", snapshot.undated());
        return view;
    }

    public static Map<String, Object> backtest(BacktestResult result) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("model", result.model());
        view.put("cases", result.cases());
        view.put("conversionRate", round(result.conversionRate()));
        view.put("auc", round(result.auc()));
        view.put("logLoss", round(result.logLoss()));
        view.put("accuracy", round(result.accuracy()));
        view.put("topDecileLift", round(result.deciles().get(0).lift()));
        view.put("bands", result.bands().stream().filter(band -> band.cases() > 0).map(band -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("scores", band.label());
            line.put("cases", band.cases());
            line.put("converted", band.converted());
            line.put("rate", round(band.rate()));
            line.put("lift", round(band.lift()));
            return line;
        }).toList());
        view.put("reliability", result.reliability().stream().map(row -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("predicted", row.label());
            line.put("cases", row.cases());
            line.put("meanPredicted", round(row.predicted()));
            line.put("observed", round(row.observed()));
            return line;
        }).toList());
        return view;
    }

    public static Map<String, Object> plan(CutoffPlanner.Plan plan, double target) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("mqlsPerWeekTarget", target);
        view.put("threshold", plan.threshold());
        view.put("mqlsPerWeek", round(plan.mqlsPerWeek()));
        view.put("shareOfLeads", round(plan.share()));
        view.put("conversionRate", round(plan.conversionRate()));
        view.put("recall", round(plan.recall()));
        view.put("baseRate", round(plan.baseRate()));
        return view;
    }

    public static Map<String, Object> verdicts(ModelTraining.VerdictReport report) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("model", report.model());
        view.put("field", report.field());
        view.put("mqlThreshold", report.threshold());
        view.put("profiles", report.profiles());
        view.put("agreementRate", round(report.agreementRate()));
        view.put("goodButNotMql", Map.of("profiles", report.goodNotMql(), "converted", report.goodNotMqlConverted()));
        view.put("badButMql", Map.of("profiles", report.badButMql(), "converted", report.badButMqlConverted()));
        view.put("examples", report.examples().stream().map(example -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("profileId", example.profileId());
            line.put("person", example.person());
            line.put("verdict", example.verdict());
            line.put("score", example.score());
            line.put("converted", example.converted());
            return line;
        }).toList());
        return view;
    }

    public static Map<String, Object> recalibration(ModelTraining.RecalibrationReport report, String challengerFile) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("model", report.model());
        view.put("createdAt", report.createdAt().toString());
        view.put("periodStart", report.periodStart().toString());
        view.put("periodEnd", report.periodEnd().toString());
        view.put("cases", report.cases());
        view.put("conversions", report.conversions());
        view.put("auc", round(report.auc()));
        view.put("previousAuc", Double.isNaN(report.previousAuc()) ? null : round(report.previousAuc()));
        view.put("drifted", report.drifted());
        view.put("drift", report.drift());
        view.put("bands", report.bands().stream().map(band -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("scores", band.band());
            line.put("cases", band.cases());
            line.put("converted", band.converted());
            line.put("predicted", Double.isNaN(band.predicted()) ? null : round(band.predicted()));
            line.put("observed", round(band.observed()));
            line.put("flagged", band.flagged());
            return line;
        }).toList());
        view.put("challenger", report.challenger() == null ? null : report.challenger().id());
        view.put("challengerFile", challengerFile);
        view.put("challengerProblem", report.challengerProblem());
        return view;
    }

    public static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 10_000) / 10_000.0;
    }
}
