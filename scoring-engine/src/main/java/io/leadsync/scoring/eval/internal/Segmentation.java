package io.leadsync.scoring.eval.internal;

/**
 * Optimal segmentation of a sequence into contiguous groups: the grouping with the least weighted squared error
 * around each group's weighted mean (dynamic programming, exact). Bands of a points table are the groups of a
 * learned shape's bins; categories sorted by effect are grouped the same way.
 */
final class Segmentation {
    private Segmentation() {
    }

    /** The least error of at most {@code groups} contiguous groups. */
    static double cost(double[] values, double[] weights, int groups) {
        double[] costs = costs(values, weights, groups);
        return costs[Math.min(groups, values.length)];
    }

    /** The least error for 1..groups groups ({@code [0]} unused; beyond the sequence length, that length's). */
    static double[] costs(double[] values, double[] weights, int groups) {
        int m = values.length;
        double[][] best = table(values, weights, groups, null, null, 0);
        double[] result = new double[groups + 1];
        for (int k = 1; k <= groups; k++) {
            result[k] = m == 0 ? 0 : best[Math.min(k, m)][m];
        }
        return result;
    }

    /**
     * The start index of each group of the best split into at most {@code groups} groups (first start 0); fewer
     * groups when more would not lower the error.
     */
    static int[] starts(double[] values, double[] weights, int groups) {
        return starts(values, weights, groups, null, 0);
    }

    /**
     * As {@link #starts(double[], double[], int)}, with every group holding at least {@code minSize} of
     * {@code sizes} (a band too small to be worth a line is no band), unless the whole sequence holds less.
     */
    static int[] starts(double[] values, double[] weights, int groups, double[] sizes, double minSize) {
        int m = values.length;
        if (m == 0) {
            return new int[0];
        }
        int k = Math.min(groups, m);
        int[][] cut = new int[k + 1][m + 1];
        double[][] best = table(values, weights, k, cut, sizes, minSize);
        while (k > 1 && best[k][m] >= best[k - 1][m] - 1e-12) {
            k--;
        }
        int[] starts = new int[k];
        int end = m;
        for (int g = k; g >= 1; g--) {
            int start = cut[g][end];
            starts[g - 1] = start;
            end = start;
        }
        return starts;
    }

    private static double[][] table(double[] values, double[] weights, int groups, int[][] cut, double[] sizes,
                                    double minSize) {
        int m = values.length;
        double[] size = new double[m + 1];
        for (int i = 0; i < m; i++) {
            size[i + 1] = size[i] + (sizes == null ? 0 : sizes[i]);
        }
        double[] w = new double[m + 1];
        double[] wx = new double[m + 1];
        double[] wxx = new double[m + 1];
        for (int i = 0; i < m; i++) {
            w[i + 1] = w[i] + weights[i];
            wx[i + 1] = wx[i] + weights[i] * values[i];
            wxx[i + 1] = wxx[i] + weights[i] * values[i] * values[i];
        }
        int k = Math.max(1, Math.min(groups, m));
        double[][] best = new double[k + 1][m + 1];
        for (int end = 1; end <= m; end++) {
            best[1][end] = tooSmall(size, minSize, 0, end) ? Double.POSITIVE_INFINITY : error(w, wx, wxx, 0, end);
        }
        for (int g = 2; g <= k; g++) {
            for (int end = 1; end <= m; end++) {
                double min = Double.POSITIVE_INFINITY;
                int arg = 0;
                for (int start = g - 1; start < end; start++) {
                    double value = tooSmall(size, minSize, start, end) ? Double.POSITIVE_INFINITY
                            : best[g - 1][start] + error(w, wx, wxx, start, end);
                    if (value < min) {
                        min = value;
                        arg = start;
                    }
                }
                if (end < g) {
                    min = best[g - 1][end];
                    arg = -1;
                }
                best[g][end] = min;
                if (cut != null) {
                    cut[g][end] = arg;
                }
            }
        }
        return best;
    }

    /** Whether the group {@code [from, to)} holds less than the least size (the whole sequence never does). */
    private static boolean tooSmall(double[] size, double minSize, int from, int to) {
        return minSize > 0 && size[to] - size[from] < minSize && !(from == 0 && to == size.length - 1);
    }

    private static double error(double[] w, double[] wx, double[] wxx, int from, int to) {
        double weight = w[to] - w[from];
        if (weight <= 0) {
            return 0;
        }
        double sum = wx[to] - wx[from];
        return Math.max(0, wxx[to] - wxx[from] - sum * sum / weight);
    }

    /** Weighted mean of {@code values[from, to)}. */
    static double mean(double[] values, double[] weights, int from, int to) {
        double w = 0;
        double wx = 0;
        for (int i = from; i < to; i++) {
            w += weights[i];
            wx += weights[i] * values[i];
        }
        return w == 0 ? 0 : wx / w;
    }

    /** The weighted isotonic (non-decreasing) fit of a sequence: pool adjacent violators. */
    static double[] isotonic(double[] values, double[] weights) {
        int m = values.length;
        double[] level = new double[m];
        double[] weight = new double[m];
        int[] size = new int[m];
        int blocks = 0;
        for (int i = 0; i < m; i++) {
            level[blocks] = values[i];
            weight[blocks] = Math.max(weights[i], 1e-12);
            size[blocks] = 1;
            blocks++;
            while (blocks > 1 && level[blocks - 2] > level[blocks - 1]) {
                double w = weight[blocks - 2] + weight[blocks - 1];
                level[blocks - 2] = (level[blocks - 2] * weight[blocks - 2] + level[blocks - 1] * weight[blocks - 1]) / w;
                weight[blocks - 2] = w;
                size[blocks - 2] += size[blocks - 1];
                blocks--;
            }
        }
        double[] fit = new double[m];
        int i = 0;
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < size[b]; j++) {
                fit[i++] = level[b];
            }
        }
        return fit;
    }

    /** Weighted squared error between two sequences. */
    static double distance(double[] a, double[] b, double[] weights) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += weights[i] * (a[i] - b[i]) * (a[i] - b[i]);
        }
        return sum;
    }
}
