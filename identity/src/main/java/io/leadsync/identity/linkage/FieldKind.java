package io.leadsync.identity.linkage;

/**
 * How two values of a field are compared, each into agreement levels from 0 (exact) up; a missing value on either
 * side gives no level and no evidence either way.
 */
public enum FieldKind {
    /**
     * Names: exact; Jaro-Winkler at least 0.94; at least 0.85 or sounding alike (Double Metaphone: {@code Smith}
     * and {@code Smyth}, {@code Catherine} and {@code Kathryn}); else disagree.
     */
    NAME(4),
    /** Free text such as street names: exact; Jaro-Winkler at least 0.92 or all words of one in the other; else. */
    TEXT(3),
    /** Codes and identifiers (postcode, national id, phone): exact; one edit apart; else. */
    CODE(3),
    /** Dates as digits (YYYYMMDD or YYYY-MM-DD): exact; one edit apart or day and month swapped; same year; else. */
    DATE(4),
    /** Emails: exact; same local part or Jaro-Winkler at least 0.9; else. */
    EMAIL(3),
    /** Categorical values (state, gender): equal or not. */
    EXACT(2);

    private final int levels;

    FieldKind(int levels) {
        this.levels = levels;
    }

    /** How many agreement levels the comparison has; the last means "disagree". */
    public int levels() {
        return levels;
    }

    /** The agreement level of two non-empty values. */
    int compare(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        switch (this) {
            case NAME -> {
                double similarity = Similarity.jaroWinkler(a, b);
                return similarity >= 0.94 ? 1 : similarity >= 0.85 || Similarity.soundsAlike(a, b) ? 2 : 3;
            }
            case TEXT -> {
                return Similarity.jaroWinkler(a, b) >= 0.92 || Similarity.tokenOverlap(a, b) == 1 ? 1 : 2;
            }
            case CODE -> {
                return Similarity.editDistance(a, b, 1) <= 1 ? 1 : 2;
            }
            case DATE -> {
                String x = a.replace("-", "");
                String y = b.replace("-", "");
                if (x.equals(y)) {
                    return 0;
                }
                if (Similarity.editDistance(x, y, 1) <= 1 || swapsDayAndMonth(x, y)) {
                    return 1;
                }
                return x.length() >= 4 && y.length() >= 4 && x.regionMatches(0, y, 0, 4) ? 2 : 3;
            }
            case EMAIL -> {
                int atA = a.indexOf('@');
                int atB = b.indexOf('@');
                boolean sameLocal = atA > 0 && atB > 0 && a.substring(0, atA).equals(b.substring(0, atB));
                return sameLocal || Similarity.jaroWinkler(a, b) >= 0.9 ? 1 : 2;
            }
            default -> {
                return 1;
            }
        }
    }

    private static boolean swapsDayAndMonth(String x, String y) {
        return x.length() == 8 && y.length() == 8 && x.regionMatches(0, y, 0, 4)
                && x.regionMatches(4, y, 6, 2) && x.regionMatches(6, y, 4, 2);
    }
}
