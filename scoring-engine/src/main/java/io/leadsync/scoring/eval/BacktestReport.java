package io.leadsync.scoring.eval;

import java.util.List;
import java.util.Locale;

/**
 * Formats backtest results: {@code name: value} lines a script can read, a table for people, and an HTML page
 * with the conversion chart by score band.
 */
public final class BacktestReport {

    private BacktestReport() {
    }

    /**
     * The headline figures, one {@code name: value} per line.
     *
     * @param prefix put before every name, e.g. {@code challenger_} ({@code ""} for none)
     */
    public static String lines(BacktestResult result, String prefix) {
        StringBuilder out = new StringBuilder();
        line(out, prefix + "model", result.model());
        line(out, prefix + "cases", Integer.toString(result.cases()));
        line(out, prefix + "conversion_rate", f(result.conversionRate()));
        line(out, prefix + "auc", f(result.auc()));
        line(out, prefix + "log_loss", f(result.logLoss()));
        line(out, prefix + "accuracy", f(result.accuracy()));
        line(out, prefix + "mql_threshold", Integer.toString(result.mqlThreshold()));
        line(out, prefix + "mqls", Integer.toString(result.mqls()));
        line(out, prefix + "precision_at_mql", f(result.precisionAtMql()));
        line(out, prefix + "recall_at_mql", f(result.recallAtMql()));
        line(out, prefix + "top_decile_lift", f(result.deciles().get(0).lift()));
        if (!result.folds().isEmpty()) {
            line(out, prefix + "folds", Integer.toString(result.folds().size()));
            line(out, prefix + "auc_by_fold", join(result.folds().stream().mapToDouble(BacktestResult::auc)));
            line(out, prefix + "accuracy_by_fold", join(result.folds().stream()
                    .mapToDouble(BacktestResult::accuracy)));
        }
        return out.toString();
    }

    /** Conversion rate and lift by decile, for people. */
    public static String decileTable(BacktestResult result) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-8s %7s %9s %8s %6s%n", "decile",
                "cases", "converted", "rate", "lift"));
        for (BacktestResult.Group decile : result.deciles()) {
            out.append(String.format(Locale.ROOT, "%-8s %7d %9d %7.1f%% %6.2f%n", decile.label(), decile.cases(),
                    decile.converted(), 100 * decile.rate(), decile.lift()));
        }
        return out.toString();
    }

    /** Calibration on the evaluated cases: by predicted probability, how many, predicted and observed conversion. */
    public static String reliabilityTable(BacktestResult result) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-10s %7s %10s %9s%n", "predicted",
                "cases", "mean", "observed"));
        for (BacktestResult.Reliability row : result.reliability()) {
            out.append(String.format(Locale.ROOT, "%-10s %7d %9.1f%% %8.1f%%%n", row.label(), row.cases(),
                    100 * row.predicted(), 100 * row.observed()));
        }
        return out.toString();
    }

    /** Two results side by side. */
    public static String comparison(BacktestResult champion, BacktestResult challenger) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-18s %14s %14s%n", "",
                abbreviate(champion.model()), abbreviate(challenger.model())));
        row(out, "auc", champion.auc(), challenger.auc());
        row(out, "log loss", champion.logLoss(), challenger.logLoss());
        row(out, "accuracy", champion.accuracy(), challenger.accuracy());
        out.append(String.format(Locale.ROOT, "%-18s %14d %14d%n", "mqls", champion.mqls(), challenger.mqls()));
        row(out, "precision at MQL", champion.precisionAtMql(), challenger.precisionAtMql());
        row(out, "recall at MQL", champion.recallAtMql(), challenger.recallAtMql());
        row(out, "top decile lift", champion.deciles().get(0).lift(), challenger.deciles().get(0).lift());
        return out.toString();
    }

    /** A self-contained HTML page: conversion rate by score band per model (bars), and the decile tables. */
    public static String html(String title, List<BacktestResult> results) {
        String[] colours = {"#2b6cb0", "#dd6b20", "#38a169", "#805ad5"};
        int width = 720;
        int height = 300;
        int left = 50;
        int bottom = 40;
        int bandWidth = (width - left) / Backtest.BANDS;
        int barWidth = Math.max(4, (bandWidth - 8) / Math.max(1, results.size()));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d'"
                + " role='img' aria-label='conversion rate by score band'>", width, height + bottom));
        for (int tick = 0; tick <= 100; tick += 25) {
            int y = height - tick * (height - 20) / 100;
            svg.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%d' y2='%d' stroke='#ddd'/>"
                    + "<text x='%d' y='%d' font-size='11' text-anchor='end'>%d%%</text>", left, width, y, y,
                    left - 6, y + 4, tick));
        }
        for (int band = 0; band < Backtest.BANDS; band++) {
            int x0 = left + band * bandWidth + 4;
            for (int r = 0; r < results.size(); r++) {
                BacktestResult.Group group = results.get(r).bands().get(band);
                int barHeight = (int) Math.round(group.rate() * (height - 20));
                svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='%s'>"
                        + "<title>%s, scores %s: %d of %d converted (%.1f%%)</title></rect>", x0 + r * barWidth,
                        height - barHeight, barWidth - 1, barHeight, colours[r % colours.length],
                        escape(results.get(r).model()), group.label(), group.converted(), group.cases(),
                        100 * group.rate()));
            }
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' text-anchor='middle'>%s</text>",
                    left + band * bandWidth + bandWidth / 2, height + 16, group(results, band)));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='12' text-anchor='middle'>score band"
                + " (cases per band in the tables below)</text></svg>", left + (width - left) / 2, height + 34));

        StringBuilder page = new StringBuilder("<!doctype html><html><head><meta charset='utf-8'><title>")
                .append(escape(title)).append("</title><style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;"
                        + "text-align:right}</style></head><body><h1>").append(escape(title)).append("</h1>");
        page.append("<p>Conversion rate by score band");
        for (int r = 0; r < results.size(); r++) {
            page.append(r == 0 ? ": " : ", ").append("<span style='color:").append(colours[r % colours.length])
                    .append("'>&#9632; ").append(escape(results.get(r).model())).append("</span>");
        }
        page.append("</p>").append(svg);
        for (BacktestResult result : results) {
            page.append("<h2>").append(escape(result.model())).append("</h2><pre>").append(escape(lines(result, "")))
                    .append("</pre><table><tr><th>score band</th><th>cases</th><th>converted</th><th>rate</th></tr>");
            for (BacktestResult.Group band : result.bands()) {
                page.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%.1f%%</td></tr>",
                        band.label(), band.cases(), band.converted(), 100 * band.rate()));
            }
            page.append("</table><pre>").append(escape(decileTable(result))).append("</pre><p>Calibration"
                    + " (probabilities fitted out of sample):</p><pre>").append(escape(reliabilityTable(result)))
                    .append("</pre>");
        }
        return page.append("</body></html>\n").toString();
    }

    private static String group(List<BacktestResult> results, int band) {
        return results.get(0).bands().get(band).label();
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(name).append(": ").append(value).append('\n');
    }

    private static void row(StringBuilder out, String name, double a, double b) {
        out.append(String.format(Locale.ROOT, "%-18s %14.4f %14.4f%n", name, a, b));
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String join(java.util.stream.DoubleStream values) {
        return String.join(" ", values.mapToObj(BacktestReport::f).toList());
    }

    private static String abbreviate(String text) {
        return text.length() <= 14 ? text : text.substring(0, 13) + "…";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
