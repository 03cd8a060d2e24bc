package io.leadsync.sandbox.salesforce.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The subset of SOQL the connectors send, parsed and evaluated: {@code SELECT f, Rel.f FROM Object [WHERE cond]
 * [ORDER BY f [ASC|DESC], ...] [LIMIT n]} with {@code = != < > <= >= IN (...)}, {@code AND}, {@code OR},
 * parentheses, and string, number, boolean, null and datetime literals. Anything else is a
 * {@code MALFORMED_QUERY} with the position, as Salesforce reports it.
 */
public final class Soql {

    /** A query that cannot be parsed: Salesforce answers 400 MALFORMED_QUERY. */
    public static final class MalformedQuery extends RuntimeException {
        public MalformedQuery(String message) {
            super(message);
        }
    }

    /**
     * A parsed query; {@code count} for {@code SELECT COUNT() FROM ...}, which answers only {@code totalSize}.
     */
    public record Query(List<String> fields, String object, Condition where, List<Order> orderBy, int limit,
                        boolean count) {
    }

    /** One ORDER BY term. */
    public record Order(String field, boolean descending) {
    }

    /** A WHERE condition over a record's field values (relationship fields resolved by the caller). */
    public interface Condition {
        boolean test(Function<String, Object> values);

        /** Every field the condition reads. */
        List<String> fields();
    }

    private static final DateTimeFormatter SALESFORCE_OFFSET = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd'T'HH:mm:ss[.SSS]XX");

    private final String text;
    private final List<String> tokens = new ArrayList<>();
    private int at;

    private Soql(String text) {
        this.text = text;
        tokenize();
    }

    public static Query parse(String soql) {
        return new Soql(soql).query();
    }

    // ---- tokens

    private void tokenize() {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                int end = i + 1;
                StringBuilder literal = new StringBuilder("'");
                while (end < text.length() && text.charAt(end) != '\'') {
                    if (text.charAt(end) == '\\' && end + 1 < text.length()) {
                        end++;
                    }
                    literal.append(text.charAt(end));
                    end++;
                }
                if (end >= text.length()) {
                    throw new MalformedQuery("unterminated string literal at position " + i);
                }
                tokens.add(literal.append('\'').toString());
                i = end + 1;
            } else if ("(),".indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else if ("=<>!".indexOf(c) >= 0) {
                int end = i + 1;
                if (end < text.length() && (text.charAt(end) == '=' || c == '<' && text.charAt(end) == '>')) {
                    end++;
                }
                tokens.add(text.substring(i, end));
                i = end;
            } else {
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))
                        && "(),=<>!'".indexOf(text.charAt(end)) < 0) {
                    end++;
                }
                tokens.add(text.substring(i, end));
                i = end;
            }
        }
    }

    private String peek() {
        return at < tokens.size() ? tokens.get(at) : null;
    }

    private boolean peekKeyword(String keyword) {
        return keyword.equalsIgnoreCase(peek());
    }

    private String next(String what) {
        if (at >= tokens.size()) {
            throw new MalformedQuery("unexpected end of query: expecting " + what);
        }
        return tokens.get(at++);
    }

    private void expect(String keyword) {
        String token = next(keyword);
        if (!token.equalsIgnoreCase(keyword)) {
            throw new MalformedQuery("unexpected token: '" + token + "', expecting " + keyword);
        }
    }

    // ---- grammar

    private Query query() {
        expect("SELECT");
        List<String> fields = new ArrayList<>();
        boolean count = false;
        if (peekKeyword("COUNT") && at + 2 < tokens.size() && "(".equals(tokens.get(at + 1))
                && ")".equals(tokens.get(at + 2))) {
            at += 3;
            count = true;
        } else {
            fields.add(identifier(next("a field")));
            while (",".equals(peek())) {
                at++;
                fields.add(identifier(next("a field")));
            }
        }
        expect("FROM");
        String object = identifier(next("an object"));
        Condition where = null;
        if (peekKeyword("WHERE")) {
            at++;
            where = or();
        }
        List<Order> orderBy = new ArrayList<>();
        if (peekKeyword("ORDER")) {
            at++;
            expect("BY");
            do {
                if (",".equals(peek())) {
                    at++;
                }
                String field = identifier(next("a field"));
                boolean descending = false;
                if (peekKeyword("ASC") || peekKeyword("DESC")) {
                    descending = next("ASC").equalsIgnoreCase("DESC");
                }
                orderBy.add(new Order(field, descending));
            } while (",".equals(peek()));
        }
        int limit = Integer.MAX_VALUE;
        if (peekKeyword("LIMIT")) {
            at++;
            String value = next("a number");
            try {
                limit = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new MalformedQuery("LIMIT must be a number, got '" + value + "'");
            }
        }
        if (at < tokens.size()) {
            throw new MalformedQuery("unexpected token: '" + tokens.get(at) + "'");
        }
        if (count && !orderBy.isEmpty()) {
            throw new MalformedQuery("COUNT() cannot be used with ORDER BY");
        }
        return new Query(List.copyOf(fields), object, where, List.copyOf(orderBy), limit, count);
    }

    private static String identifier(String token) {
        if (!token.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw new MalformedQuery("unexpected token: '" + token + "', expecting a field or object name");
        }
        return token;
    }

    private Condition or() {
        Condition left = and();
        while (peekKeyword("OR")) {
            at++;
            left = new Composite(left, and(), false);
        }
        return left;
    }

    private Condition and() {
        Condition left = term();
        while (peekKeyword("AND")) {
            at++;
            left = new Composite(left, term(), true);
        }
        return left;
    }

    private Condition term() {
        if ("(".equals(peek())) {
            at++;
            Condition inner = or();
            if (!")".equals(next(")"))) {
                throw new MalformedQuery("expecting ')'");
            }
            return inner;
        }
        String field = identifier(next("a field"));
        String operator = next("an operator");
        if (operator.equalsIgnoreCase("IN")) {
            if (!"(".equals(next("("))) {
                throw new MalformedQuery("expecting '(' after IN");
            }
            List<Object> values = new ArrayList<>();
            do {
                if (",".equals(peek())) {
                    at++;
                }
                values.add(literal(next("a value")));
            } while (",".equals(peek()));
            if (!")".equals(next(")"))) {
                throw new MalformedQuery("expecting ')' to close IN");
            }
            return new In(field, values);
        }
        if (!List.of("=", "!=", "<>", "<", ">", "<=", ">=").contains(operator)) {
            throw new MalformedQuery("unexpected token: '" + operator + "', expecting an operator");
        }
        return new Comparison(field, operator, literal(next("a value")));
    }

    private static Object literal(String token) {
        if (token.startsWith("'")) {
            return token.substring(1, token.length() - 1);
        }
        if (token.equalsIgnoreCase("null")) {
            return null;
        }
        if (token.equalsIgnoreCase("true") || token.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(token);
        }
        if (token.length() >= 10 && Character.isDigit(token.charAt(0)) && token.contains("T")) {
            return parseDateTime(token);
        }
        try {
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw new MalformedQuery("unexpected token: '" + token + "', expecting a value");
        }
    }

    /** A SOQL datetime: {@code 2024-01-01T00:00:00Z} or {@code 2024-01-01T00:00:00.000+0000}. */
    public static Instant parseDateTime(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notIso) {
            try {
                return OffsetDateTime.parse(text, SALESFORCE_OFFSET).toInstant();
            } catch (DateTimeParseException e) {
                throw new MalformedQuery("invalid datetime literal '" + text + "'");
            }
        }
    }

    /** Compares two field values as Salesforce does: null first, then numbers, instants, text. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Instant x) {
            Instant y = b instanceof Instant instant ? instant : parseDateTime(b.toString());
            return x.compareTo(y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        return a.toString().compareTo(b.toString());
    }

    /** A comparator of records by the ORDER BY terms. */
    public static Comparator<Function<String, Object>> comparator(List<Order> orderBy) {
        Comparator<Function<String, Object>> comparator = (a, b) -> 0;
        for (Order order : orderBy) {
            Comparator<Function<String, Object>> term = (a, b) -> compare(a.apply(order.field()),
                    b.apply(order.field()));
            comparator = comparator.thenComparing(order.descending() ? term.reversed() : term);
        }
        return comparator;
    }

    private record Comparison(String field, String operator, Object value) implements Condition {
        @Override
        public boolean test(Function<String, Object> values) {
            Object actual = values.apply(field);
            if (value == null || actual == null) {
                boolean equal = value == actual;
                return switch (operator) {
                    case "=" -> equal;
                    case "!=", "<>" -> !equal;
                    default -> false;
                };
            }
            int order = compare(actual, value);
            return switch (operator) {
                case "=" -> order == 0;
                case "!=", "<>" -> order != 0;
                case "<" -> order < 0;
                case ">" -> order > 0;
                case "<=" -> order <= 0;
                default -> order >= 0;
            };
        }

        @Override
        public List<String> fields() {
            return List.of(field);
        }
    }

    private record In(String field, List<Object> values) implements Condition {
        @Override
        public boolean test(Function<String, Object> record) {
            Object actual = record.apply(field);
            for (Object value : values) {
                if (actual == null ? value == null : value != null && compare(actual, value) == 0) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public List<String> fields() {
            return List.of(field);
        }
    }

    private record Composite(Condition a, Condition b, boolean and) implements Condition {
        @Override
        public boolean test(Function<String, Object> values) {
            return and ? a.test(values) && b.test(values) : a.test(values) || b.test(values);
        }

        @Override
        public List<String> fields() {
            List<String> fields = new ArrayList<>(a.fields());
            fields.addAll(b.fields());
            return fields;
        }
    }

    @Override
    public String toString() {
        return text.toLowerCase(Locale.ROOT);
    }

    /** For tests: field values of a plain map. */
    public static Function<String, Object> of(Map<String, Object> record) {
        return record::get;
    }
}
