package dev.berth.bus.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A Kubernetes label selector: requirements that all must hold. Read from kubectl's {@code -l}
 * syntax ({@code app=web,tier!=db,env in (prod,qa),!legacy}) or from a manifest's
 * {@code matchLabels}/{@code matchExpressions}; matched against an object's labels with Kubernetes'
 * meaning ({@code !=} and {@code notin} also match objects without the key). The empty selector
 * matches everything.
 */
public record LabelSelector(List<Requirement> requirements) {
    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN }

    /** One requirement; {@code values} sorted, as Kubernetes prints them. */
    public record Requirement(String key, Operator operator, SortedSet<String> values) {
        public Requirement {
            values = new TreeSet<>(values);
        }

        public boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
                case GREATER_THAN, LESS_THAN -> {
                    if (value == null) yield false;
                    try {
                        long have = Long.parseLong(value);
                        long bound = Long.parseLong(values.first());
                        yield operator == Operator.GREATER_THAN ? have > bound : have < bound;
                    } catch (NumberFormatException e) {
                        yield false;
                    }
                }
            };
        }

        @Override
        public String toString() {
            return switch (operator) {
                case EQUALS -> key + "=" + values.first();
                case NOT_EQUALS -> key + "!=" + values.first();
                case IN -> key + " in (" + String.join(",", values) + ")";
                case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
                case GREATER_THAN -> key + ">" + values.first();
                case LESS_THAN -> key + "<" + values.first();
            };
        }
    }

    /** Bounds of our own: a selector is typed by people, a few requirements long. */
    public static final int MAX_LENGTH = 4096;
    public static final int MAX_REQUIREMENTS = 64;
    public static final int MAX_VALUES = 64;

    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    public static class InvalidSelector extends Exception {
        public InvalidSelector(String message) { super(message); }
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Requirement r : requirements) if (!r.matches(l)) return false;
        return true;
    }

    public boolean isEmpty() { return requirements.isEmpty(); }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        requirements.forEach(r -> parts.add(r.toString()));
        return String.join(",", parts);
    }

    /** A Deployment's or Service's {@code matchLabels} alone: every pair must be carried. */
    public static LabelSelector matchLabels(Map<String, String> matchLabels) throws InvalidSelector {
        return of(matchLabels, List.of());
    }

    /** A manifest's {@code matchExpressions} entry: operator In, NotIn, Exists or DoesNotExist. */
    public record Expression(String key, String operator, List<String> values) {}

    /** {@code matchLabels} and {@code matchExpressions} ANDed, as Kubernetes' metav1.LabelSelector. */
    public static LabelSelector of(Map<String, String> matchLabels, List<Expression> matchExpressions) throws InvalidSelector {
        List<Requirement> out = new ArrayList<>();
        if (matchLabels != null) {
            for (var e : new java.util.TreeMap<>(matchLabels).entrySet()) out.add(requirement(e.getKey(), Operator.EQUALS, List.of(e.getValue())));
        }
        if (matchExpressions != null) {
            for (Expression x : matchExpressions) {
                Operator op = switch (x.operator() == null ? "" : x.operator()) {
                    case "In" -> Operator.IN;
                    case "NotIn" -> Operator.NOT_IN;
                    case "Exists" -> Operator.EXISTS;
                    case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                    default -> throw new InvalidSelector("matchExpressions: operator '" + Labels.excerpt(String.valueOf(x.operator()))
                            + "' is not one of In, NotIn, Exists, DoesNotExist");
                };
                out.add(requirement(x.key(), op, x.values() == null ? List.of() : x.values()));
            }
        }
        if (out.size() > MAX_REQUIREMENTS) throw new InvalidSelector("at most " + MAX_REQUIREMENTS + " requirements");
        return new LabelSelector(out);
    }

    /** kubectl's {@code -l} syntax; the empty string selects everything. */
    public static LabelSelector parse(String text) throws InvalidSelector {
        if (text == null) return EVERYTHING;
        if (text.length() > MAX_LENGTH) throw new InvalidSelector("a selector is at most " + MAX_LENGTH + " characters");
        return new Parser(text).selector();
    }

    static Requirement requirement(String key, Operator op, List<String> values) throws InvalidSelector {
        Optional<String> bad = Labels.checkKey(key);
        if (bad.isPresent()) throw new InvalidSelector(bad.get());
        if (values.size() > MAX_VALUES) throw new InvalidSelector("at most " + MAX_VALUES + " values for '" + key + "'");
        switch (op) {
            case EQUALS, NOT_EQUALS -> {
                if (values.size() != 1) throw new InvalidSelector("exact-match requirement on '" + key + "' needs exactly one value");
            }
            case IN, NOT_IN -> {
                if (values.isEmpty()) throw new InvalidSelector("for 'in', 'notin' operators, values set can't be empty");
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) throw new InvalidSelector("values set must be empty for exists and does not exist");
            }
            case GREATER_THAN, LESS_THAN -> {
                if (values.size() != 1) throw new InvalidSelector("for 'Gt', 'Lt' operators, exactly one value is required");
                try {
                    Long.parseLong(values.get(0));
                } catch (NumberFormatException e) {
                    throw new InvalidSelector("for 'Gt', 'Lt' operators, the value must be an integer");
                }
                return new Requirement(key, op, new TreeSet<>(values));
            }
        }
        for (String v : values) {
            Optional<String> badValue = Labels.checkValue(v);
            if (badValue.isPresent()) throw new InvalidSelector(badValue.get());
        }
        return new Requirement(key, op, new TreeSet<>(values));
    }

    /** A recursive-descent reader of kubectl's selector grammar. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) { this.s = s; }

        LabelSelector selector() throws InvalidSelector {
            List<Requirement> out = new ArrayList<>();
            skipSpace();
            if (i == s.length()) return EVERYTHING;
            while (true) {
                out.add(requirement());
                if (out.size() > MAX_REQUIREMENTS) throw new InvalidSelector("at most " + MAX_REQUIREMENTS + " requirements");
                skipSpace();
                if (i == s.length()) return new LabelSelector(out);
                expect(',');
            }
        }

        private Requirement requirement() throws InvalidSelector {
            skipSpace();
            boolean not = peek('!');
            if (not) i++;
            String key = word("a key");
            skipSpace();
            if (not) {
                if (i < s.length() && s.charAt(i) != ',') throw error("a '!key' requirement takes no operator");
                return LabelSelector.requirement(key, Operator.DOES_NOT_EXIST, List.of());
            }
            if (i == s.length() || s.charAt(i) == ',') return LabelSelector.requirement(key, Operator.EXISTS, List.of());
            if (s.startsWith("==", i)) return exact(key, Operator.EQUALS, 2);
            if (s.startsWith("!=", i)) return exact(key, Operator.NOT_EQUALS, 2);
            if (peek('=')) return exact(key, Operator.EQUALS, 1);
            if (peek('>')) return exact(key, Operator.GREATER_THAN, 1);
            if (peek('<')) return exact(key, Operator.LESS_THAN, 1);
            String op = word("an operator");
            Operator set = switch (op) {
                case "in" -> Operator.IN;
                case "notin" -> Operator.NOT_IN;
                default -> throw error("unknown operator '" + Labels.excerpt(op) + "' (expected =, ==, !=, in, notin)");
            };
            skipSpace();
            expect('(');
            List<String> values = new ArrayList<>();
            skipSpace();
            if (peek(')')) {
                i++;
                return LabelSelector.requirement(key, set, values);
            }
            while (true) {
                skipSpace();
                values.add(valueWord());
                skipSpace();
                if (peek(')')) {
                    i++;
                    return LabelSelector.requirement(key, set, values);
                }
                expect(',');
            }
        }

        private Requirement exact(String key, Operator op, int width) throws InvalidSelector {
            i += width;
            skipSpace();
            return LabelSelector.requirement(key, op, List.of(valueWord()));
        }

        /** A value may be empty ({@code tier=}): it ends where the next token starts. */
        private String valueWord() {
            int start = i;
            while (i < s.length() && !isDelimiter(s.charAt(i))) i++;
            return s.substring(start, i);
        }

        private String word(String what) throws InvalidSelector {
            String w = valueWord();
            if (w.isEmpty()) throw error("expected " + what);
            return w;
        }

        private static boolean isDelimiter(char c) {
            return Character.isWhitespace(c) || c == ',' || c == '=' || c == '!' || c == '(' || c == ')' || c == '<' || c == '>';
        }

        private boolean peek(char c) { return i < s.length() && s.charAt(i) == c; }

        private void expect(char c) throws InvalidSelector {
            if (!peek(c)) throw error("expected '" + c + "'");
            i++;
        }

        private void skipSpace() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        private InvalidSelector error(String why) {
            return new InvalidSelector("unable to parse requirement at position " + i + ": " + why);
        }
    }
}
