package io.leadsync.bench.scoring;

import io.leadsync.scoring.eval.Folds;
import io.leadsync.scoring.eval.LabelledCase;
import io.leadsync.scoring.eval.LabelledCsv;
import io.leadsync.scoring.eval.Metrics;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The gradient-boosting peer of {@code leadsync score-eval --folds}: tuned XGBoost on the same CSV, the same columns
 * and the same stratified folds ({@link Folds}, same seed), so the comparison in docs/scoring.md can be repeated.
 *
 * <pre>
 * java -cp bench/target/leadsync-bench.jar io.leadsync.bench.scoring.GradientBoostingPeer \
 *     --data Leads.csv --label Converted --exclude "Tags,Lead Quality,Prospect ID,Lead Number" [--folds 5] [--seed 42]
 *     [--depths 2,3,4,6,8]
 * </pre>
 *
 * Within each training fold, a grid (tree depth 2..8, or those of {@code --depths}, minimum child weight 1 or 5,
 * learning rate 0.05, rows and columns sampled at 80%) is searched on an inner stratified 80/20 split with early
 * stopping on the log loss; the best setting by inner AUC is trained on the whole training fold with its number of
 * rounds and scores the held-out fold. Numeric columns are numbers (missing as missing), text columns one-hot (values with 10+ training cases).
 */
public final class GradientBoostingPeer {

    private GradientBoostingPeer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--folds", "5", "--seed", "42", "--exclude", "",
                "--depths", "2,3,4,6,8"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (!options.containsKey("--data") || !options.containsKey("--label")) {
            System.err.println("usage: GradientBoostingPeer --data <csv> --label <column> [--exclude a,b]"
                    + " [--folds 5] [--seed 42] [--depths 2,3,4,6,8]");
            System.exit(2);
        }
        Set<String> exclude = new LinkedHashSet<>();
        for (String column : options.get("--exclude").split(",")) {
            if (!column.isBlank()) {
                exclude.add(column.strip());
            }
        }
        List<LabelledCase> cases = LabelledCsv.withLabel(options.get("--label"), exclude)
                .load(Path.of(options.get("--data"))).cases();
        int folds = Integer.parseInt(options.get("--folds"));
        long seed = Long.parseLong(options.get("--seed"));
        int[] depths = Arrays.stream(options.get("--depths").split(",")).map(String::strip)
                .mapToInt(Integer::parseInt).toArray();
        long started = System.nanoTime();
        int[] fold = Folds.stratified(cases, folds, seed);
        double[] predicted = new double[cases.size()];
        List<String> perFold = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            List<LabelledCase> training = new ArrayList<>();
            List<Integer> heldOut = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                if (fold[i] == f) {
                    heldOut.add(i);
                } else {
                    training.add(cases.get(i));
                }
            }
            Encoding encoding = Encoding.learn(training);
            Setting best = tune(training, encoding, seed, depths);
            Booster booster = fit(encoding.matrix(training), best, best.rounds, null);
            List<LabelledCase> held = heldOut.stream().map(cases::get).toList();
            float[][] scores = booster.predict(encoding.matrix(held));
            double[] foldScores = new double[held.size()];
            boolean[] foldLabels = new boolean[held.size()];
            for (int k = 0; k < held.size(); k++) {
                predicted[heldOut.get(k)] = scores[k][0];
                foldScores[k] = scores[k][0];
                foldLabels[k] = held.get(k).converted();
            }
            perFold.add(String.format(Locale.ROOT, "%.4f", Metrics.auc(foldScores, foldLabels)));
            System.err.printf(Locale.ROOT, "fold %d: %s, held-out auc %s%n", f, best, perFold.get(f));
        }
        boolean[] label = new boolean[cases.size()];
        for (int i = 0; i < label.length; i++) {
            label[i] = cases.get(i).converted();
        }
        System.out.println("model: xgboost-tuned");
        System.out.println("cases: " + cases.size());
        System.out.printf(Locale.ROOT, "auc: %.4f%n", Metrics.auc(predicted, label));
        System.out.printf(Locale.ROOT, "log_loss: %.4f%n", Metrics.logLoss(predicted, label));
        System.out.printf(Locale.ROOT, "accuracy: %.4f%n", Metrics.accuracy(predicted, label));
        System.out.println("folds: " + folds);
        System.out.println("auc_by_fold: " + String.join(" ", perFold));
        System.out.printf(Locale.ROOT, "seconds: %.1f%n", (System.nanoTime() - started) / 1e9);
    }

    /** One point of the grid, with the rounds early stopping chose. */
    private record Setting(int depth, double minChildWeight, int rounds, double innerAuc) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "max_depth %d, min_child_weight %.0f, %d rounds (inner auc %.4f)",
                    depth, minChildWeight, rounds, innerAuc);
        }
    }

    private static Setting tune(List<LabelledCase> training, Encoding encoding, long seed, int[] depths)
            throws XGBoostError {
        int[] inner = Folds.stratified(training, 5, seed + 1);
        List<LabelledCase> fitting = new ArrayList<>();
        List<LabelledCase> validation = new ArrayList<>();
        for (int i = 0; i < training.size(); i++) {
            (inner[i] == 0 ? validation : fitting).add(training.get(i));
        }
        DMatrix fit = encoding.matrix(fitting);
        DMatrix check = encoding.matrix(validation);
        boolean[] checkLabels = new boolean[validation.size()];
        for (int i = 0; i < checkLabels.length; i++) {
            checkLabels[i] = validation.get(i).converted();
        }
        Setting best = null;
        for (int depth : depths) {
            for (double minChildWeight : new double[] {1, 5}) {
                Setting setting = new Setting(depth, minChildWeight, 3000, 0);
                Booster booster = fit(fit, setting, 3000, check);
                int rounds = Integer.parseInt(booster.getAttr("best_iteration")) + 1;
                float[][] scores = booster.predict(check, false, rounds);
                double[] values = new double[scores.length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = scores[i][0];
                }
                double innerAuc = Metrics.auc(values, checkLabels);
                if (best == null || innerAuc > best.innerAuc) {
                    best = new Setting(depth, minChildWeight, rounds, innerAuc);
                }
            }
        }
        return best;
    }

    private static Booster fit(DMatrix data, Setting setting, int rounds, DMatrix validation) throws XGBoostError {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", "binary:logistic");
        params.put("eval_metric", "logloss");
        params.put("tree_method", "hist");
        params.put("eta", 0.05);
        params.put("max_depth", setting.depth);
        params.put("min_child_weight", setting.minChildWeight);
        params.put("subsample", 0.8);
        params.put("colsample_bytree", 0.8);
        params.put("seed", 42);
        params.put("nthread", 2);
        params.put("verbosity", 0);
        params.put("silent", "true");   // read by xgboost4j only: no evaluation line per round
        Map<String, DMatrix> watches = new LinkedHashMap<>();
        if (validation != null) {
            watches.put("validation", validation);
        }
        float[][] metrics = validation == null ? null : new float[1][rounds];
        return XGBoost.train(data, params, rounds, watches, metrics, null, null, validation == null ? 0 : 50);
    }

    /** Columns as XGBoost features, learned from a training fold. */
    private record Encoding(List<String> numeric, Map<String, List<String>> levels, int width) {

        static Encoding learn(List<LabelledCase> training) {
            Map<String, int[]> counts = new LinkedHashMap<>();   // column -> {present, numeric}
            Map<String, Map<String, Integer>> values = new LinkedHashMap<>();
            for (LabelledCase labelled : training) {
                for (Map.Entry<String, String> attribute : labelled.person().attributes().entrySet()) {
                    String value = attribute.getValue().strip();
                    if (value.isEmpty()) {
                        continue;
                    }
                    int[] count = counts.computeIfAbsent(attribute.getKey(), k -> new int[2]);
                    count[0]++;
                    count[1] += Double.isNaN(number(value)) ? 0 : 1;
                    values.computeIfAbsent(attribute.getKey(), k -> new HashMap<>())
                            .merge(value.toLowerCase(Locale.ROOT), 1, Integer::sum);
                }
            }
            List<String> numeric = new ArrayList<>();
            Map<String, List<String>> levels = new LinkedHashMap<>();
            int width = 0;
            for (Map.Entry<String, int[]> column : counts.entrySet()) {
                int distinct = values.get(column.getKey()).size();
                if (column.getValue()[1] >= 0.98 * column.getValue()[0] && distinct > 2) {
                    numeric.add(column.getKey());
                    width++;
                } else if (!(distinct > 0.5 * column.getValue()[0] && distinct > 50)) {
                    List<String> frequent = values.get(column.getKey()).entrySet().stream()
                            .filter(e -> e.getValue() >= 10).map(Map.Entry::getKey).sorted().toList();
                    levels.put(column.getKey(), frequent);
                    width += frequent.size();
                }
            }
            return new Encoding(numeric, levels, width);
        }

        DMatrix matrix(List<LabelledCase> cases) throws XGBoostError {
            float[] data = new float[cases.size() * width];
            float[] labels = new float[cases.size()];
            Arrays.fill(data, Float.NaN);
            for (int i = 0; i < cases.size(); i++) {
                Map<String, String> attributes = cases.get(i).person().attributes();
                int offset = i * width;
                for (String column : numeric) {
                    String value = attributes.get(column);
                    data[offset++] = value == null ? Float.NaN : (float) number(value.strip());
                }
                for (Map.Entry<String, List<String>> column : levels.entrySet()) {
                    String value = attributes.get(column.getKey());
                    String key = value == null ? null : value.strip().toLowerCase(Locale.ROOT);
                    for (String level : column.getValue()) {
                        data[offset++] = level.equals(key) ? 1 : 0;
                    }
                }
                labels[i] = cases.get(i).converted() ? 1 : 0;
            }
            DMatrix matrix = new DMatrix(data, cases.size(), width, Float.NaN);
            matrix.setLabel(labels);
            return matrix;
        }
    }

    private static double number(String value) {
        try {
            double number = Double.parseDouble(value);
            return Double.isFinite(number) ? number : Double.NaN;
        } catch (NumberFormatException notANumber) {
            return Double.NaN;
        }
    }
}
