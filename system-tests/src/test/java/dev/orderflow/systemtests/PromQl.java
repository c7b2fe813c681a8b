package dev.orderflow.systemtests;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parser of the PromQL that the dashboards and alert rules use, for checking them where no Prometheus runs: it
 * accepts an expression only if it is well formed (selectors, label matchers, range and subquery brackets,
 * {@code offset}, functions with their argument types, aggregations with {@code by}/{@code without}, binary
 * operators with {@code bool}, {@code on}/{@code ignoring} and {@code group_left}/{@code group_right}) and names the
 * metrics it selects. It knows the functions the suite's files use and the common ones besides; an unknown function
 * is an error, as in Prometheus.
 */
final class PromQl {

    /** What an expression evaluates to. */
    enum Type {
        SCALAR,
        STRING,
        VECTOR,
        MATRIX
    }

    /** A malformed expression. */
    static final class SyntaxError extends RuntimeException {
        SyntaxError(String message, String expression, int position) {
            super(message + " at " + position + " in: " + expression);
        }
    }

    private static final Set<String> AGGREGATIONS = Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
            "limitk",
            "limit_ratio");

    /** Aggregations that take a parameter before the vector. */
    private static final Set<String> PARAMETRIC =
            Set.of("count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

    private static final Type S = Type.SCALAR;
    private static final Type V = Type.VECTOR;
    private static final Type M = Type.MATRIX;
    private static final Type T = Type.STRING;

    /** Argument types and result of each function; a trailing null marks optional arguments after it. */
    private static final Map<String, Type[]> FUNCTIONS = Map.ofEntries(
            Map.entry("abs", new Type[] {V, V}),
            Map.entry("absent", new Type[] {V, V}),
            Map.entry("absent_over_time", new Type[] {M, V}),
            Map.entry("avg_over_time", new Type[] {M, V}),
            Map.entry("ceil", new Type[] {V, V}),
            Map.entry("changes", new Type[] {M, V}),
            Map.entry("clamp", new Type[] {V, S, S, V}),
            Map.entry("clamp_max", new Type[] {V, S, V}),
            Map.entry("clamp_min", new Type[] {V, S, V}),
            Map.entry("count_over_time", new Type[] {M, V}),
            Map.entry("delta", new Type[] {M, V}),
            Map.entry("deriv", new Type[] {M, V}),
            Map.entry("exp", new Type[] {V, V}),
            Map.entry("floor", new Type[] {V, V}),
            Map.entry("histogram_quantile", new Type[] {S, V, V}),
            Map.entry("idelta", new Type[] {M, V}),
            Map.entry("increase", new Type[] {M, V}),
            Map.entry("irate", new Type[] {M, V}),
            Map.entry("label_replace", new Type[] {V, T, T, T, T, V}),
            Map.entry("last_over_time", new Type[] {M, V}),
            Map.entry("ln", new Type[] {V, V}),
            Map.entry("max_over_time", new Type[] {M, V}),
            Map.entry("min_over_time", new Type[] {M, V}),
            Map.entry("predict_linear", new Type[] {M, S, V}),
            Map.entry("quantile_over_time", new Type[] {S, M, V}),
            Map.entry("rate", new Type[] {M, V}),
            Map.entry("resets", new Type[] {M, V}),
            Map.entry("round", new Type[] {V, S, V}),
            Map.entry("scalar", new Type[] {V, S}),
            Map.entry("sort", new Type[] {V, V}),
            Map.entry("sort_desc", new Type[] {V, V}),
            Map.entry("sqrt", new Type[] {V, V}),
            Map.entry("sum_over_time", new Type[] {M, V}),
            Map.entry("time", new Type[] {S}),
            Map.entry("timestamp", new Type[] {V, V}),
            Map.entry("vector", new Type[] {S, V}));

    /** Functions whose last argument may be left out. */
    private static final Set<String> LAST_OPTIONAL = Set.of("round");

    /** Binary operators by precedence, lowest first. */
    private static final List<Set<String>> PRECEDENCE = List.of(
            Set.of("or"),
            Set.of("and", "unless"),
            Set.of("==", "!=", "<=", "<", ">=", ">"),
            Set.of("+", "-"),
            Set.of("*", "/", "%", "atan2"),
            Set.of("^"));

    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<=", "<", ">=", ">");
    private static final Set<String> SET_OPERATORS = Set.of("and", "or", "unless");

    private static final Pattern TOKEN = Pattern.compile("\\s*(?:"
            + "(?<duration>(?:\\d+(?:ms|[smhdwy]))+)"
            + "|(?<number>(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|0x[0-9a-fA-F]+|[Ii]nf|NaN)"
            + "|(?<string>\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`)"
            + "|(?<ident>[a-zA-Z_][a-zA-Z0-9_:]*)"
            + "|(?<op>==|!=|=~|!~|<=|>=|[-+*/%^<>=(){}\\[\\],:@])"
            + ")");

    private record Token(String kind, String text, int position) {}

    /** A label matcher of a selector: {@code label op "value"}, op one of =, !=, =~, !~. */
    record LabelMatcher(String label, String operator, String value) {

        /** Whether a series with these labels passes; a label it lacks counts as the empty string, as in Prometheus. */
        boolean matches(Map<String, String> labels) {
            String actual = labels.getOrDefault(label, "");
            return switch (operator) {
                case "=" -> actual.equals(value);
                case "!=" -> !actual.equals(value);
                // Prometheus anchors regular expressions at both ends.
                case "=~" -> Pattern.compile(value).matcher(actual).matches();
                case "!~" -> !Pattern.compile(value).matcher(actual).matches();
                default -> throw new IllegalStateException(operator);
            };
        }

        @Override
        public String toString() {
            return label + operator + '"' + value + '"';
        }
    }

    /** A vector selector: the metric it names and its label matchers (without the one on {@code __name__}). */
    record Selector(String metric, List<LabelMatcher> matchers) {

        /** Whether a series of this metric with these labels is selected. */
        boolean selects(String name, Map<String, String> labels) {
            return metric.equals(name) && matchers.stream().allMatch(matcher -> matcher.matches(labels));
        }

        /** This selector without the matchers on a label. */
        Selector without(String label) {
            return new Selector(
                    metric,
                    matchers.stream()
                            .filter(matcher -> !matcher.label().equals(label))
                            .toList());
        }

        @Override
        public String toString() {
            return metric
                    + matchers.stream()
                            .map(LabelMatcher::toString)
                            .collect(java.util.stream.Collectors.joining(",", "{", "}"));
        }
    }

    private final String expression;
    private final List<Token> tokens = new ArrayList<>();
    private final Set<String> metrics = new LinkedHashSet<>();
    private final List<Selector> selectors = new ArrayList<>();
    private int next;

    private PromQl(String expression) {
        this.expression = expression;
        Matcher matcher = TOKEN.matcher(expression);
        int at = 0;
        while (at < expression.length()) {
            if (expression.substring(at).isBlank()) {
                break;
            }
            if (!matcher.find(at) || matcher.start() != at) {
                throw new SyntaxError("unexpected character '" + expression.charAt(at) + "'", expression, at);
            }
            for (String kind : List.of("duration", "number", "string", "ident", "op")) {
                if (matcher.group(kind) != null) {
                    tokens.add(new Token(kind, matcher.group(kind), matcher.start(kind)));
                    break;
                }
            }
            at = matcher.end();
        }
    }

    /** The metric names an expression selects; throws {@link SyntaxError} if it is malformed. */
    static Set<String> metricNames(String expression) {
        PromQl parser = new PromQl(expression);
        parser.parse();
        return parser.metrics;
    }

    /**
     * The vector selectors of an expression that name a metric, with their label matchers, in the order they
     * appear; throws {@link SyntaxError} if it is malformed.
     */
    static List<Selector> selectors(String expression) {
        PromQl parser = new PromQl(expression);
        parser.parse();
        return parser.selectors;
    }

    /** The type of a well-formed expression. */
    static Type typeOf(String expression) {
        return new PromQl(expression).parse();
    }

    private Type parse() {
        if (tokens.isEmpty()) {
            throw new SyntaxError("empty expression", expression, 0);
        }
        Type type = binary(0);
        if (next < tokens.size()) {
            throw error("unexpected '" + peek().text() + "'");
        }
        return type;
    }

    private Type binary(int level) {
        if (level == PRECEDENCE.size()) {
            return unary();
        }
        Type left = binary(level + 1);
        while (peek() != null && PRECEDENCE.get(level).contains(peek().text())) {
            String operator = take().text();
            boolean bool = accept("bool");
            if (bool && !COMPARISONS.contains(operator)) {
                throw error("bool only after a comparison");
            }
            if (accept("on") || accept("ignoring")) {
                labels();
                if (accept("group_left") || accept("group_right")) {
                    if (peekIs("(")) {
                        labels();
                    }
                }
            }
            // ^ is right-associative
            Type right = operator.equals("^") ? binary(level) : binary(level + 1);
            left = combine(operator, left, right, bool);
        }
        return left;
    }

    private Type combine(String operator, Type left, Type right, boolean bool) {
        if (left == Type.MATRIX || right == Type.MATRIX || left == Type.STRING || right == Type.STRING) {
            throw error("operator " + operator + " needs scalars or instant vectors");
        }
        if (SET_OPERATORS.contains(operator) && (left != Type.VECTOR || right != Type.VECTOR)) {
            throw error("set operator " + operator + " needs two instant vectors");
        }
        if (COMPARISONS.contains(operator) && left == Type.SCALAR && right == Type.SCALAR && !bool) {
            throw error("a comparison of two scalars needs bool");
        }
        return left == Type.VECTOR || right == Type.VECTOR ? Type.VECTOR : Type.SCALAR;
    }

    private Type unary() {
        if (peekIs("-") || peekIs("+")) {
            take();
            Type type = unary();
            if (type != Type.SCALAR && type != Type.VECTOR) {
                throw error("unary operator needs a scalar or an instant vector");
            }
            return type;
        }
        return postfix(primary());
    }

    private Type postfix(Type type) {
        while (true) {
            if (peekIs("[")) {
                take();
                duration();
                if (accept(":")) {
                    if (type != Type.VECTOR) {
                        throw error("a subquery needs an instant vector");
                    }
                    if (peek() != null && peek().kind().equals("duration")) {
                        duration();
                    }
                } else if (type != Type.VECTOR || !lastWasSelector) {
                    throw error("a range needs a vector selector");
                }
                expect("]");
                type = Type.MATRIX;
                lastWasSelector = false;
            } else if (accept("offset")) {
                accept("-");
                duration();
            } else if (peekIs("@")) {
                take();
                if (!accept("start") && !accept("end")) {
                    number();
                } else {
                    expect("(");
                    expect(")");
                }
            } else {
                return type;
            }
        }
    }

    private boolean lastWasSelector;

    private Type primary() {
        lastWasSelector = false;
        Token token = peek();
        if (token == null) {
            throw error("expression ends too early");
        }
        switch (token.kind()) {
            case "number" -> {
                take();
                return Type.SCALAR;
            }
            case "string" -> {
                take();
                return Type.STRING;
            }
            case "duration" -> throw error("a duration is not a value");
            default -> {}
        }
        if (token.text().equals("(")) {
            take();
            Type type = binary(0);
            expect(")");
            lastWasSelector = false;
            return type;
        }
        if (token.text().equals("{")) {
            selector(null);
            return Type.VECTOR;
        }
        if (!token.kind().equals("ident")) {
            throw error("unexpected '" + token.text() + "'");
        }
        String name = token.text();
        if (AGGREGATIONS.contains(name) && (peekIs(1, "(") || peekIs(1, "by") || peekIs(1, "without"))) {
            Type type = aggregation();
            lastWasSelector = false;
            return type;
        }
        if (peekIs(1, "(")) {
            Type type = function();
            lastWasSelector = false;
            return type;
        }
        selector(take().text());
        return Type.VECTOR;
    }

    private Type aggregation() {
        String name = take().text();
        boolean grouped = false;
        if (accept("by") || accept("without")) {
            labels();
            grouped = true;
        }
        expect("(");
        if (PARAMETRIC.contains(name)) {
            Type parameter = binary(0);
            if (parameter != (name.equals("count_values") ? Type.STRING : Type.SCALAR)) {
                throw error(name + " needs a " + (name.equals("count_values") ? "string" : "scalar") + " parameter");
            }
            expect(",");
        }
        Type argument = binary(0);
        if (argument != Type.VECTOR) {
            throw error(name + " needs an instant vector");
        }
        expect(")");
        if (!grouped && (accept("by") || accept("without"))) {
            labels();
        }
        return Type.VECTOR;
    }

    private Type function() {
        Token token = take();
        Type[] signature = FUNCTIONS.get(token.text());
        if (signature == null) {
            throw new SyntaxError("unknown function " + token.text(), expression, token.position());
        }
        expect("(");
        List<Type> arguments = new ArrayList<>();
        if (!peekIs(")")) {
            do {
                arguments.add(binary(0));
            } while (accept(","));
        }
        expect(")");
        int declared = signature.length - 1;
        int least = LAST_OPTIONAL.contains(token.text()) ? declared - 1 : declared;
        if (arguments.size() < least || arguments.size() > declared) {
            throw new SyntaxError(
                    token.text() + " takes " + declared + " argument(s), not " + arguments.size(),
                    expression,
                    token.position());
        }
        for (int i = 0; i < arguments.size(); i++) {
            if (arguments.get(i) != signature[i]) {
                throw new SyntaxError(
                        token.text() + ": argument " + (i + 1) + " must be " + signature[i] + ", not "
                                + arguments.get(i),
                        expression,
                        token.position());
            }
        }
        return signature[declared];
    }

    private void selector(String name) {
        boolean named = name != null;
        if (named) {
            metrics.add(name);
        }
        String metric = name;
        List<LabelMatcher> matchers = new ArrayList<>();
        boolean nonEmptyMatcher = false;
        if (accept("{")) {
            while (!peekIs("}")) {
                Token label = take();
                if (label == null
                        || !(label.kind().equals("ident") || label.kind().equals("string"))) {
                    throw error("a label name");
                }
                Token operator = take();
                if (operator == null || !Set.of("=", "!=", "=~", "!~").contains(operator.text())) {
                    throw error("a label matcher (=, !=, =~, !~)");
                }
                Token value = take();
                if (value == null || !value.kind().equals("string")) {
                    throw error("a quoted label value");
                }
                String text = value.text().substring(1, value.text().length() - 1);
                if (operator.text().endsWith("~")) {
                    try {
                        Pattern.compile(text.replace("\\\\", "\\"));
                    } catch (RuntimeException e) {
                        throw error("an invalid regular expression " + value.text());
                    }
                }
                String labelName = label.kind().equals("string")
                        ? label.text().substring(1, label.text().length() - 1)
                        : label.text();
                if (labelName.equals("__name__") && operator.text().equals("=")) {
                    metrics.add(text);
                    metric = text;
                    named = true;
                } else {
                    matchers.add(new LabelMatcher(
                            labelName, operator.text(), value.text().startsWith("`") ? text : unescape(text)));
                }
                if (!(operator.text().equals("=~")
                        ? "".matches(text)
                        : operator.text().equals("=") && text.isEmpty())) {
                    nonEmptyMatcher = true;
                }
                if (!accept(",")) {
                    break;
                }
            }
            expect("}");
        }
        if (!named && !nonEmptyMatcher) {
            throw error("a vector selector needs a metric name or a matcher that does not match the empty string");
        }
        if (metric != null) {
            selectors.add(new Selector(metric, List.copyOf(matchers)));
        }
        lastWasSelector = true;
    }

    /** A label value as written between double or single quotes, with its escapes resolved. */
    private static String unescape(String quoted) {
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length()) {
                char escaped = quoted.charAt(++i);
                value.append(
                        switch (escaped) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> escaped;
                        });
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    private void labels() {
        expect("(");
        while (!peekIs(")")) {
            Token label = take();
            if (label == null || !label.kind().equals("ident")) {
                throw error("a label name");
            }
            if (!accept(",")) {
                break;
            }
        }
        expect(")");
    }

    private void duration() {
        Token token = take();
        if (token == null || !(token.kind().equals("duration"))) {
            throw error("a duration such as 5m");
        }
    }

    private void number() {
        Token token = take();
        if (token == null || !token.kind().equals("number")) {
            throw error("a number");
        }
    }

    private Token peek() {
        return next < tokens.size() ? tokens.get(next) : null;
    }

    private boolean peekIs(String text) {
        return peekIs(0, text);
    }

    private boolean peekIs(int ahead, String text) {
        return next + ahead < tokens.size() && tokens.get(next + ahead).text().equals(text);
    }

    private Token take() {
        return next < tokens.size() ? tokens.get(next++) : null;
    }

    private boolean accept(String text) {
        if (peekIs(text)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(String text) {
        if (!accept(text)) {
            throw error("expected '" + text + "'");
        }
    }

    private SyntaxError error(String message) {
        int position = next < tokens.size() ? tokens.get(next).position() : expression.length();
        return new SyntaxError(message, expression, position);
    }
}
