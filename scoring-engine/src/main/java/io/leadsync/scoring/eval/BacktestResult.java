package io.leadsync.scoring.eval;

import java.util.List;

/**
 * What a backtest measured.
 *
 * @param model          the model's id ({@code name@version}; for cross-validation, that of the last fold's model)
 * @param cases          cases scored
 * @param converted      how many converted
 * @param auc            area under the ROC curve: the chance that a converter outscores a non-converter
 * @param logLoss        mean negative log-likelihood of the outcomes under the (calibrated) probabilities
 * @param accuracy       share of cases whose (calibrated) probability is on the right side of 0.5
 * @param mqlThreshold   the score that makes an MQL
 * @param mqls           cases at or above it: the MQLs the model would have produced
 * @param precisionAtMql share of those MQLs that converted
 * @param recallAtMql    share of converters that were MQLs
 * @param deciles        cases by score, highest tenth first: conversion rate and lift in each
 * @param bands          cases by score band 0-9 ... 90-100
 * @param reliability    cases by predicted probability (tenths): mean predicted against observed conversion
 * @param folds          per-fold results of a cross-validation, else empty
 * @param scored         the scored cases, for pooling
 */
public record BacktestResult(String model, int cases, int converted, double auc, double logLoss, double accuracy,
                             int mqlThreshold, int mqls, double precisionAtMql, double recallAtMql,
                             List<Group> deciles, List<Group> bands, List<Reliability> reliability,
                             List<BacktestResult> folds,
                             List<Backtest.Scored> scored) {

    /** The conversion rate over all cases. */
    public double conversionRate() {
        return cases == 0 ? 0 : (double) converted / cases;
    }

    /**
     * Calibration in one range of predicted probability: how often the cases predicted so converted.
     *
     * @param label     the range, e.g. {@code 30-40%}
     * @param cases     cases predicted in it
     * @param predicted their mean predicted probability
     * @param observed  the share of them that converted
     */
    public record Reliability(String label, int cases, double predicted, double observed) {
    }

    /**
     * Cases in a decile or score band.
     *
     * @param label     e.g. {@code 1} (the top tenth) or {@code 70-79}
     * @param cases     cases in it
     * @param converted how many of them converted
     * @param baseRate  the conversion rate over all cases
     */
    public record Group(String label, int cases, int converted, double baseRate) {
        public double rate() {
            return cases == 0 ? 0 : (double) converted / cases;
        }

        /** The group's conversion rate over the base rate: 2.0 means twice as likely to convert. */
        public double lift() {
            return baseRate == 0 ? 0 : rate() / baseRate;
        }
    }
}
