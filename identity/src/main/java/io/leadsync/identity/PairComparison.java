package io.leadsync.identity;

import io.leadsync.identity.IdentityRecord.Field;
import io.leadsync.identity.internal.Similarity;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares two identity records into one agreement level per {@link Comparison} (-1 where a value is missing), and
 * weighs the levels. Two rules keep shared values from passing for identity: an email or phone that two records hold
 * while their given names clearly differ is a shared inbox or switchboard, not evidence (its level is dropped); and
 * names read from an email address are not compared with a record whose address has the same local part, since that
 * would count one fact twice.
 */
final class PairComparison {
    static final int MISSING = -1;
    private static final Comparison[] COMPARISONS = Comparison.values();

    private PairComparison() {
    }

    /** The levels of a pair, by comparison ordinal. */
    static int[] levels(IdentityRecord a, IdentityRecord b) {
        int[] levels = new int[COMPARISONS.length];
        int email = email(a, b);
        int first = firstName(a.value(Field.FIRST), a.value(Field.FORMAL), a.value(Field.FIRST_CODE),
                b.value(Field.FIRST), b.value(Field.FORMAL), b.value(Field.FIRST_CODE));
        int last = lastName(a.value(Field.LAST), a.value(Field.LAST_CODE), b.value(Field.LAST),
                b.value(Field.LAST_CODE));
        if (first == 3 && last == 3) {
            int swappedFirst = swapped(a.value(Field.FIRST), b.value(Field.LAST));
            int swappedLast = swapped(a.value(Field.LAST), b.value(Field.FIRST));
            if (swappedFirst <= 1 && swappedLast <= 1) {
                first = Math.max(1, swappedFirst);
                last = Math.max(1, swappedLast);
            }
        }
        if ((a.flag('e') || b.flag('e')) && (email == 0 || email == 1)) {
            first = MISSING;
            last = MISSING;
        }
        int phone = phone(a.value(Field.PHONE), b.value(Field.PHONE));
        boolean otherFirstName = first == 3 && clearlyDifferent(a.value(Field.FIRST), b.value(Field.FIRST));
        boolean otherLastName = last == 3 && clearlyDifferent(a.value(Field.LAST), b.value(Field.LAST));
        if (email == 2 && (otherFirstName || otherLastName)) {
            email = 3;
        }
        if (otherFirstName) {
            email = email == 0 ? MISSING : email;
            phone = phone == 0 ? MISSING : phone;
        }
        int organisation = organisation(a, b, email >= 0 && email <= 2);
        // the same local part made of a name (mary.brooks@ at two companies) says only what the names say, also where
        // the other record's name is mistyped or missing (may brooks, mary.brooks@): it is not counted again
        if (email == 1 && (nameMade(a) || nameMade(b))) {
            email = MISSING;
        }
        levels[Comparison.FIRST_NAME.ordinal()] = first;
        levels[Comparison.LAST_NAME.ordinal()] = last;
        levels[Comparison.DATE_OF_BIRTH.ordinal()] = date(a.value(Field.DOB), b.value(Field.DOB));
        levels[Comparison.EMAIL.ordinal()] = email;
        levels[Comparison.PHONE.ordinal()] = phone;
        levels[Comparison.ORGANISATION.ordinal()] = organisation;
        levels[Comparison.ADDRESS.ordinal()] = address(a.value(Field.ADDRESS), b.value(Field.ADDRESS));
        levels[Comparison.CITY.ordinal()] = city(a.value(Field.CITY), b.value(Field.CITY));
        levels[Comparison.POSTAL_CODE.ordinal()] = postal(a.value(Field.POSTAL), b.value(Field.POSTAL));
        String countryA = a.value(Field.COUNTRY);
        String countryB = b.value(Field.COUNTRY);
        levels[Comparison.COUNTRY.ordinal()] = countryA == null || countryB == null ? MISSING
                : countryA.equals(countryB) ? 0 : 1;
        return levels;
    }

    /**
     * The evidence of a pair's levels in bits: the sum of the levels' weights, exact agreement on names, cities,
     * companies and local parts adjusted to the value's frequency, and exact agreement on an email or phone weighed
     * by how many people hold it: {@code log2(m / (holders / records))}.
     *
     * @param emailHolders distinct people holding a's email (at least 1)
     * @param phoneHolders distinct people holding a's phone (at least 1)
     * @param records      records in the store
     */
    static double evidence(int[] levels, IdentityRecord a, MatchWeights weights, int emailHolders, int phoneHolders,
                           long records) {
        double bits = 0;
        for (Comparison comparison : COMPARISONS) {
            int level = levels[comparison.ordinal()];
            if (level == MISSING) {
                continue;
            }
            bits += weight(comparison, level, a, weights, emailHolders, phoneHolders, records);
        }
        return bits;
    }

    static double weight(Comparison comparison, int level, IdentityRecord a, MatchWeights weights,
                         int emailHolders, int phoneHolders, long records) {
        if (level == 0) {
            switch (comparison) {
                case FIRST_NAME -> {
                    // names read from an email's local part: which is the first name is a guess
                    return a.flag('e') ? weights.exactWeight(comparison, a.value(Field.FORMAL), Comparison.LAST_NAME,
                            a.value(Field.FIRST)) : weights.exactWeight(comparison, a.value(Field.FORMAL));
                }
                case LAST_NAME -> {
                    String last = a.value(Field.LAST);
                    return a.flag('e') && last != null ? weights.exactWeight(comparison, last,
                            Comparison.FIRST_NAME, NameNormalizer.formal(last)) : weights.exactWeight(comparison, last);
                }
                case CITY -> {
                    return weights.exactWeight(comparison, a.value(Field.CITY));
                }
                case ORGANISATION -> {
                    return weights.exactWeight(comparison, organisationValue(a));
                }
                case EMAIL -> {
                    return shared(weights, comparison, emailHolders, records);
                }
                case PHONE -> {
                    return shared(weights, comparison, phoneHolders, records);
                }
                default -> {
                    return weights.weight(comparison, 0);
                }
            }
        }
        if (comparison == Comparison.EMAIL && level == 1) {
            Double frequency = weights.frequencies(Comparison.EMAIL).get(a.value(Field.LOCAL));
            double share = Math.max(frequency != null ? frequency : 0, weights.u(Comparison.EMAIL, 1));
            return MatchWeights.log2(weights.m(Comparison.EMAIL, 1) / share);
        }
        return weights.weight(comparison, level);
    }

    /**
     * Exact agreement on an email or phone, weighed by how many people hold the value: agreeing on a value one of
     * {@code N} records holds is as likely between two people as {@code 1/N}; a value {@code k} distinct people hold
     * (a household's inbox) is {@code k} times likelier, so it weighs {@code log2(k)} bits less. A phone that several
     * people answer is a switchboard: it tells the company, which the company comparison weighs, not the person, and
     * counts for nothing.
     */
    private static double shared(MatchWeights weights, Comparison comparison, int holders, long records) {
        if (holders > 1 && comparison == Comparison.PHONE) {
            return 0;
        }
        double share = Math.min(1, Math.max(1, holders) / (double) Math.max(records, 1));
        return Math.max(0, MatchWeights.log2(weights.m(comparison, 0) / share));
    }

    /**
     * Whether an address's local part is made of its holder's names ({@code mary.green}, {@code mgreen},
     * {@code green_m}): the same such part at another domain repeats what the names say, and is not counted again
     * (whichever of the two records it is made from: the other's name may be mistyped or missing).
     */
    static boolean nameMade(IdentityRecord record) {
        String local = record.value(Field.LOCAL);
        String first = record.value(Field.FIRST);
        String last = record.value(Field.LAST);
        if (local == null || first == null && last == null) {
            return false;
        }
        String letters = without(local, "._-");
        if (!letters.chars().allMatch(Character::isLetter)) {
            return false;
        }
        String f = first == null ? "" : first.replace(" ", "");
        String l = last == null ? "" : last;
        String formal = record.value(Field.FORMAL) == null ? f : record.value(Field.FORMAL);
        for (String given : new String[] {f, formal}) {
            String initial = given.isEmpty() ? "" : given.substring(0, 1);
            String lastInitial = l.isEmpty() ? "" : l.substring(0, 1);
            for (String candidate : new String[] {given + l, initial + l, given + lastInitial, l + given, l + initial,
                    given, l}) {
                if (!candidate.isEmpty() && candidate.equals(letters)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The value a record's organisation frequency is looked up by: its domain, else its company name. */
    static String organisationValue(IdentityRecord record) {
        String domain = record.value(Field.DOMAIN);
        return domain != null ? domain : record.value(Field.COMPANY);
    }

    /** Which comparisons agree and differ, for reasons: {@code first name exact, ...; phone different}. */
    static String describe(int[] levels) {
        List<String> agree = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        for (Comparison comparison : COMPARISONS) {
            int level = levels[comparison.ordinal()];
            if (level == MISSING) {
                continue;
            }
            if (level == comparison.levelCount() - 1) {
                differ.add(comparison.label());
            } else {
                agree.add(comparison.label() + (level == 0 ? "" : " (" + comparison.levels().get(level) + ")"));
            }
        }
        return (agree.isEmpty() ? "nothing agrees" : String.join(", ", agree) + " agree")
                + (differ.isEmpty() ? "" : "; " + String.join(", ", differ) + " differ");
    }

    /**
     * Whether two names that do not agree are different names rather than one name mistyped: more letters differ
     * than a slip or two explains (a third of the shorter name, at least two), and they are no anagram of each other
     * ({@code jnydea} is {@code jayden} scrambled). {@code John} and {@code Mary} differ; {@code Jhon} and {@code John}
     * do not.
     */
    static boolean clearlyDifferent(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        int allowed = Math.max(1, Math.min(a.length(), b.length()) / 3);
        if (Similarity.editDistance(a, b, allowed) <= allowed) {
            return false;
        }
        if (a.length() != b.length()) {
            return true;   // not the same letters in another order
        }
        char[] x = a.toCharArray();
        char[] y = b.toCharArray();
        java.util.Arrays.sort(x);
        java.util.Arrays.sort(y);
        return !java.util.Arrays.equals(x, y);
    }

    static int firstName(String a, String formalA, String codeA, String b, String formalB, String codeB) {
        if (a == null || b == null) {
            return MISSING;
        }
        if (a.equals(b)) {
            return 0;
        }
        if (formalA.equals(formalB)) {
            return 1;
        }
        if (numberedApart(a, b)) {
            return 3;
        }
        if (a.length() == 1 || b.length() == 1) {
            return a.charAt(0) == b.charAt(0) || formalA.charAt(0) == formalB.charAt(0) ? 2 : 3;
        }
        double similarity = Math.max(Similarity.jaroWinkler(formalA, formalB), Similarity.jaroWinkler(a, b));
        if (similarity >= 0.92) {
            return 1;
        }
        boolean prefix = a.length() >= 3 && b.length() >= 3 && (a.startsWith(b) || b.startsWith(a)
                || formalA.startsWith(formalB) || formalB.startsWith(formalA));
        boolean soundAlike = codeA != null && codeA.equals(codeB) && Math.min(a.length(), b.length()) >= 5;
        if (prefix || similarity >= 0.85 || soundAlike) {
            return 2;
        }
        return 3;
    }

    static int lastName(String a, String codeA, String b, String codeB) {
        if (a == null || b == null) {
            return MISSING;
        }
        if (a.equals(b)) {
            return 0;
        }
        if (numberedApart(a, b)) {
            return 3;
        }
        double similarity = Similarity.jaroWinkler(a, b);
        if (similarity >= 0.92 || Similarity.editDistance(a, b, 1) <= 1 || transposed(a, b)) {
            return 1;
        }
        boolean part = a.length() >= 4 && b.length() >= 4 && (a.contains(b) || b.contains(a));
        if (part || similarity >= 0.85 || codeA != null && codeA.equals(codeB)) {
            return 2;
        }
        return 3;
    }

    /**
     * Whether two names carry different numbers ({@code Test 1} and {@code Test 2}, {@code Store 12}): numbers in a
     * name field label records apart, they are not a spelling to forgive.
     */
    static boolean numberedApart(String a, String b) {
        int i = nextDigit(a, 0);
        int j = nextDigit(b, 0);
        while (i < a.length() && j < b.length()) {
            if (a.charAt(i) != b.charAt(j)) {
                return true;
            }
            i = nextDigit(a, i + 1);
            j = nextDigit(b, j + 1);
        }
        return i < a.length() || j < b.length();   // one has digits left: other digits
    }

    /** The index of the first digit of {@code text} at or after {@code from}, or its length. */
    private static int nextDigit(String text, int from) {
        int i = from;
        while (i < text.length() && !Character.isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int swapped(String a, String b) {
        if (a == null || b == null) {
            return 3;
        }
        return a.equals(b) ? 0 : Similarity.jaroWinkler(a, b) >= 0.92 ? 1 : 3;
    }

    static int date(String a, String b) {
        if (a == null || b == null) {
            return MISSING;
        }
        if (a.equals(b)) {
            return 0;
        }
        if (Similarity.editDistance(a, b, 1) <= 1 || transposed(a, b) || swapsDayAndMonth(a, b)) {
            return 1;
        }
        return Similarity.editDistance(a, b, 2) <= 2 ? 2 : 3;
    }

    private static boolean swapsDayAndMonth(String a, String b) {
        return a.length() == 8 && b.length() == 8 && a.regionMatches(0, b, 0, 4)
                && a.regionMatches(4, b, 6, 2) && a.regionMatches(6, b, 4, 2);
    }

    static int email(IdentityRecord a, IdentityRecord b) {
        String x = a.value(Field.EMAIL);
        String y = b.value(Field.EMAIL);
        if (x == null || y == null) {
            return MISSING;
        }
        if (x.equals(y)) {
            return 0;
        }
        if (a.value(Field.LOCAL).equals(b.value(Field.LOCAL))) {
            return 1;
        }
        return typo(x, y) ? 2 : 3;
    }

    static int phone(String a, String b) {
        if (a == null || b == null) {
            return MISSING;
        }
        if (a.equals(b)) {
            return 0;
        }
        return Similarity.editDistance(a, b, 1) <= 1 || transposed(a, b) ? 1 : 2;
    }

    /**
     * Company evidence: the same web domain or company name; similar names; different names or domains. A domain read
     * from an email address counts only when the emails themselves differ (when they agree, {@link Comparison#EMAIL}
     * has said it), and two domains read from emails that differ are left to the email comparison too.
     *
     * @param emailsAgree whether the emails agree (exact, same local part or a typo)
     */
    static int organisation(IdentityRecord a, IdentityRecord b, boolean emailsAgree) {
        boolean fromEmails = emailsAgree && (a.flag('m') || b.flag('m'));
        String domainA = fromEmails ? null : a.value(Field.DOMAIN);
        String domainB = fromEmails ? null : b.value(Field.DOMAIN);
        String companyA = a.value(Field.COMPANY);
        String companyB = b.value(Field.COMPANY);
        if (domainA != null && domainA.equals(domainB) || companyA != null && companyA.equals(companyB)) {
            return 0;
        }
        if (companyA != null && companyB != null) {
            return Similarity.jaroWinkler(companyA, companyB) >= 0.92 || Similarity.tokenOverlap(companyA, companyB) == 1
                    ? 1 : 2;
        }
        return domainA != null && domainB != null && !(a.flag('m') && b.flag('m')) ? 2 : MISSING;
    }

    static int address(String a, String b) {
        if (a == null || b == null) {
            return MISSING;
        }
        if (a.equals(b)) {
            return 0;
        }
        if (Similarity.jaroWinkler(a, b) >= 0.9 || Similarity.tokenOverlap(a, b) >= 0.75) {
            return 1;
        }
        return 2;
    }

    static int city(String a, String b) {
        if (a == null || b == null) {
            return MISSING;
        }
        return a.equals(b) ? 0 : Similarity.jaroWinkler(a, b) >= 0.9 ? 1 : 2;
    }

    static int postal(String a, String b) {
        if (a == null || b == null) {
            return MISSING;
        }
        return a.equals(b) ? 0 : Similarity.editDistance(a, b, 1) <= 1 || transposed(a, b) ? 1 : 2;
    }

    /**
     * Whether two addresses are one slip of the keyboard apart: a character dropped, added, replaced or swapped with
     * its neighbour. Digits alone making the difference are another mailbox, not a typo: companies number namesakes
     * ({@code ann2@} beside {@code ann@}, {@code mary.johnson3@} beside {@code mary.johnson2@}) and people whose
     * address was taken add a number ({@code jamesperez47@} beside {@code jamesperez74@}), so among many people
     * of one name such pairs are namesakes far more often than slips.
     */
    static boolean typo(String a, String b) {
        if (!(Similarity.editDistance(a, b, 1) <= 1 || transposed(a, b))) {
            return false;
        }
        boolean numbered = without(a, "0123456789").equals(without(b, "0123456789"));
        return !numbered && !initialApart(a, b);
    }

    /** The text without the given characters (a regular expression compiled at every call cost more than a pair). */
    static String without(String text, String characters) {
        StringBuilder kept = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (characters.indexOf(c) >= 0) {
                if (kept == null) {
                    kept = new StringBuilder(text.length()).append(text, 0, i);
                }
            } else if (kept != null) {
                kept.append(c);
            }
        }
        return kept == null ? text : kept.toString();
    }

    /**
     * Whether two addresses at one domain differ only in the first or the last letter of the local part, the initial
     * of a company's naming pattern ({@code jhernandez@} and {@code khernandez@}, {@code johnw@} and {@code johnc@}):
     * two colleagues, more often than a slip of the keyboard.
     */
    static boolean initialApart(String a, String b) {
        int atA = a.indexOf('@');
        if (a.length() != b.length() || atA < 4 || atA != b.indexOf('@') || !a.regionMatches(atA, b, atA,
                a.length() - atA)) {
            return false;
        }
        for (int edge : new int[] {0, atA - 1}) {
            if (a.charAt(edge) != b.charAt(edge) && Character.isLetter(a.charAt(edge))
                    && Character.isLetter(b.charAt(edge))) {
                int from = edge == 0 ? 1 : 0;
                return a.regionMatches(from, b, from, atA - 1);
            }
        }
        return false;
    }

    /** Whether two strings of one length differ by one swap of neighbouring characters. */
    static boolean transposed(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        int first = -1;
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) != b.charAt(i)) {
                if (first >= 0) {
                    return i == first + 1 && a.charAt(first) == b.charAt(i) && a.charAt(i) == b.charAt(first)
                            && a.regionMatches(i + 1, b, i + 1, a.length() - i - 1);
                }
                first = i;
            }
        }
        return false;
    }
}
