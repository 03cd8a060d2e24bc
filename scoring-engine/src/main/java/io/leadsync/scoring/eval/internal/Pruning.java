package io.leadsync.scoring.eval.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a plan of more criteria than the budget down to it by what the learned model says, not by the outcomes
 * again: the criteria's weights are fitted jointly to the learned log-odds (least squares, each case weighted by the
 * curvature {@code p(1-p)} of its log loss: a second-order estimate of the likelihood), and the line whose loss moves
 * that fit least goes, a criterion dropped (its cases score as the reference) or a band joined to a neighbouring band
 * of its column, until the budget is met. Unlike the separate cutting of each shape, the joint fit sees that two
 * columns say the same (one of them goes, the other takes its weight); unlike a fit to the outcomes, it judges a
 * line by the shapes, whose boosting stopped on cases it did not fit, rather than by how well groups of categories
 * formed by their effect on the training cases fit those cases again.
 */
public final class Pruning {
    /** Ridge on the least-squares fit, relative to the mean curvature of a line (keeps twin columns solvable). */
    private static final double RIDGE = 1e-4;

    private Pruning() {
    }

    /**
     * @param plan      the plan, changed in place
     * @param x         the plan's criteria evaluated on the cases, in the order of {@code plan.criteria()}
     * @param target    the learned log-odds of each case
     * @param curvature each case's weight {@code p(1-p)}
     * @param rows      the cases to fit on
     * @param budget    the most criteria to keep
     */
    public static void toBudget(PointsPlan plan, double[][] x, double[] target, double[] curvature, int[] rows,
                                int budget) {
        List<PointsPlan.Slot> live = new ArrayList<>(plan.criteria());
        int m = live.size();
        if (m <= budget) {
            return;
        }
        // Gram matrix and right-hand side with the intercept first
        int size = m + 1;
        double[][] gram = new double[size][size];
        double[] right = new double[size];
        double[] row = new double[size];
        row[0] = 1;
        for (int i : rows) {
            double h = curvature[i];
            System.arraycopy(x[i], 0, row, 1, m);
            for (int a = 0; a < size; a++) {
                if (row[a] == 0) {
                    continue;
                }
                double ha = h * row[a];
                right[a] += ha * target[i];
                for (int b = 0; b <= a; b++) {
                    gram[a][b] += ha * row[b];
                }
            }
        }
        for (int a = 0; a < size; a++) {
            for (int b = 0; b < a; b++) {
                gram[b][a] = gram[a][b];
            }
        }
        List<Integer> index = new ArrayList<>();
        for (int j = 0; j <= m; j++) {
            index.add(j);
        }
        while (live.size() > budget) {
            int k = live.size() + 1;
            double[][] g = new double[k][k];
            double[] r = new double[k];
            double diagonal = 0;
            for (int a = 0; a < k; a++) {
                r[a] = right[index.get(a)];
                for (int b = 0; b < k; b++) {
                    g[a][b] = gram[index.get(a)][index.get(b)];
                }
                diagonal += a > 0 ? g[a][a] : 0;
            }
            double ridge = RIDGE * diagonal / Math.max(1, k - 1);
            for (int a = 1; a < k; a++) {
                g[a][a] += ridge;
            }
            g[0][0] += 1e-12;
            double[][] inverse = invert(g);
            double[] w = new double[k];
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    w[a] += inverse[a][b] * r[b];
                }
            }
            double least = Double.POSITIVE_INFINITY;
            int drop = -1;
            int[] join = null;
            for (int j = 0; j < live.size(); j++) {
                double worth = w[j + 1] * w[j + 1] / Math.max(inverse[j + 1][j + 1], 1e-300);
                if (worth < least) {
                    least = worth;
                    drop = j;
                }
            }
            for (int[] pair : plan.neighbours(live)) {
                int a = pair[0] + 1;
                int b = pair[1] + 1;
                double difference = w[a] - w[b];
                double worth = difference * difference
                        / Math.max(inverse[a][a] + inverse[b][b] - 2 * inverse[a][b], 1e-300);
                if (worth < least) {
                    least = worth;
                    join = pair;
                }
            }
            if (join == null) {
                plan.drop(live.get(drop));
                live.remove(drop);
                index.remove(drop + 1);
            } else {
                int a = index.get(join[0] + 1);
                int b = index.get(join[1] + 1);
                // the joined band's indicator is the sum of the two (bands of a column never overlap)
                double[] joined = new double[gram.length];
                for (int c = 0; c < gram.length; c++) {
                    joined[c] = gram[c][a] + gram[c][b];
                }
                joined[a] = gram[a][a] + 2 * gram[a][b] + gram[b][b];
                for (int c = 0; c < gram.length; c++) {
                    gram[a][c] = joined[c];
                    gram[c][a] = joined[c];
                }
                right[a] += right[b];
                plan.join(live.get(join[0]), live.get(join[1]));
                live.remove(join[1]);
                index.remove(join[1] + 1);
            }
        }
    }

    /** The inverse of a symmetric positive definite matrix (Gauss-Jordan with partial pivoting). */
    private static double[][] invert(double[][] matrix) {
        int k = matrix.length;
        double[][] a = new double[k][2 * k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(matrix[i], 0, a[i], 0, k);
            a[i][k + i] = 1;
        }
        for (int col = 0; col < k; col++) {
            int pivot = col;
            for (int i = col + 1; i < k; i++) {
                if (Math.abs(a[i][col]) > Math.abs(a[pivot][col])) {
                    pivot = i;
                }
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            double p = a[col][col];
            if (Math.abs(p) < 1e-300) {
                p = 1e-300;
            }
            for (int j = 0; j < 2 * k; j++) {
                a[col][j] /= p;
            }
            for (int i = 0; i < k; i++) {
                if (i != col && a[i][col] != 0) {
                    double f = a[i][col];
                    for (int j = 0; j < 2 * k; j++) {
                        a[i][j] -= f * a[col][j];
                    }
                }
            }
        }
        double[][] inverse = new double[k][k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(a[i], k, inverse[i], 0, k);
        }
        return inverse;
    }
}
