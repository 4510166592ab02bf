package org.teachlearn.ros.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Python expressions of roslaunch's {@code $(eval ...)}: literals, names (launch args, typed as
 * roslaunch types them), calls of {@code arg env optenv find anon dirname} and the math module's
 * functions, arithmetic, comparisons, {@code and or not}, {@code in}, {@code x if c else y}. The
 * result prints as Python's {@code str()} would, which is what the attribute then holds.
 */
final class PyExpr {

    /** Functions callable from an expression, by name. */
    interface Functions {
        /** The function's result, or throws IllegalArgumentException when there is no such function. */
        Object call(String name, List<Object> args);

        /** A bare name: an arg's value, a math constant; IllegalArgumentException when unknown. */
        Object name(String name);
    }

    private interface Node {
        Object eval();
    }

    private final String src;
    private final Functions fn;
    private final List<String> tokens = new ArrayList<>();
    private int pos;

    private PyExpr(String src, Functions fn) {
        this.src = src;
        this.fn = fn;
    }

    /** Evaluates and prints as Python's str(). */
    static String evaluate(String expression, Functions functions) {
        if (expression.contains("__")) throw new IllegalArgumentException("$(eval ...) may not contain double underscores");
        PyExpr p = new PyExpr(expression, functions);
        p.tokenize();
        Node n = p.ternary();
        if (p.pos != p.tokens.size()) throw new IllegalArgumentException("unexpected '" + p.tokens.get(p.pos) + "' in $(eval " + expression + ")");
        return str(n.eval());
    }

    // --- grammar (Python's precedence) ---

    private Node ternary() {
        Node body = or();
        if (!accept("if")) return body;
        Node cond = or();
        expect("else");
        Node other = ternary();
        return () -> truthy(cond.eval()) ? body.eval() : other.eval();
    }

    private Node or() {
        Node left = and();
        while (accept("or")) {
            Node l = left, r = and();
            left = () -> {
                Object v = l.eval();
                return truthy(v) ? v : r.eval();
            };
        }
        return left;
    }

    private Node and() {
        Node left = not();
        while (accept("and")) {
            Node l = left, r = not();
            left = () -> {
                Object v = l.eval();
                return truthy(v) ? r.eval() : v;
            };
        }
        return left;
    }

    private Node not() {
        if (accept("not")) {
            Node n = not();
            return () -> !truthy(n.eval());
        }
        return comparison();
    }

    private Node comparison() {
        Node first = arith();
        List<String> ops = new ArrayList<>();
        List<Node> rest = new ArrayList<>();
        while (true) {
            String op = peek();
            if (op == null) break;
            if (op.equals("not") && "in".equals(peekAt(1))) {
                pos += 2;
                op = "not in";
            } else if (List.of("==", "!=", "<", ">", "<=", ">=", "in").contains(op)) {
                pos++;
            } else {
                break;
            }
            ops.add(op);
            rest.add(arith());
        }
        if (ops.isEmpty()) return first;
        return () -> {
            Object left = first.eval();
            for (int i = 0; i < ops.size(); i++) {
                Object right = rest.get(i).eval();
                if (!compare(ops.get(i), left, right)) return false;
                left = right;
            }
            return true;
        };
    }

    private Node arith() {
        Node left = term();
        while (true) {
            String op = peek();
            if (!"+".equals(op) && !"-".equals(op)) return left;
            pos++;
            Node l = left, r = term();
            left = () -> binary(op, l.eval(), r.eval());
        }
    }

    private Node term() {
        Node left = unary();
        while (true) {
            String op = peek();
            if (!List.of("*", "/", "//", "%").contains(op == null ? "" : op)) return left;
            pos++;
            Node l = left, r = unary();
            left = () -> binary(op, l.eval(), r.eval());
        }
    }

    private Node unary() {
        if (accept("-")) {
            Node n = unary();
            return () -> binary("-", 0L, n.eval());
        }
        if (accept("+")) return unary();
        return power();
    }

    private Node power() {
        Node base = atom();
        if (accept("**")) {
            Node exp = unary();
            return () -> binary("**", base.eval(), exp.eval());
        }
        return base;
    }

    private Node atom() {
        String t = next();
        if (t.equals("(")) {
            Node n = ternary();
            expect(")");
            return n;
        }
        if (t.equals("[")) {
            List<Node> items = new ArrayList<>();
            if (!accept("]")) {
                do {
                    items.add(ternary());
                } while (accept(","));
                expect("]");
            }
            return () -> {
                List<Object> out = new ArrayList<>();
                for (Node n : items) out.add(n.eval());
                return out;
            };
        }
        char c = t.charAt(0);
        if (c == '\'' || c == '"') {
            String s = t.substring(1, t.length() - 1).replace("\\n", "\n").replace("\\t", "\t").replace("\\'", "'").replace("\\\"", "\"").replace("\\\\", "\\");
            return () -> s;
        }
        if (Character.isDigit(c) || c == '.') {
            Object v = t.matches("\\d+") ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
            return () -> v;
        }
        if (!Character.isLetter(c) && c != '_') throw new IllegalArgumentException("unexpected '" + t + "' in $(eval " + src + ")");
        switch (t) {
            case "True":
                return () -> true;
            case "False":
                return () -> false;
            case "None":
                return () -> null;
            default:
                break;
        }
        if (accept("(")) {
            List<Node> args = new ArrayList<>();
            if (!accept(")")) {
                do {
                    args.add(ternary());
                } while (accept(","));
                expect(")");
            }
            return () -> {
                List<Object> values = new ArrayList<>();
                for (Node a : args) values.add(a.eval());
                return fn.call(t, values);
            };
        }
        return () -> fn.name(t);
    }

    // --- tokens ---

    private void tokenize() {
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            if (c == '\'' || c == '"') {
                i++;
                while (i < src.length() && src.charAt(i) != c) i += src.charAt(i) == '\\' ? 2 : 1;
                if (i >= src.length()) throw new IllegalArgumentException("unterminated string in $(eval " + src + ")");
                i++;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < src.length() && Character.isDigit(src.charAt(i + 1)))) {
                while (i < src.length() && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '.')) i++;
                if (i < src.length() && (src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
                    i++;
                    if (i < src.length() && (src.charAt(i) == '+' || src.charAt(i) == '-')) i++;
                    while (i < src.length() && Character.isDigit(src.charAt(i))) i++;
                }
            } else if (Character.isLetter(c) || c == '_') {
                while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) i++;
            } else {
                String two = i + 1 < src.length() ? src.substring(i, i + 2) : "";
                i += List.of("**", "//", "==", "!=", "<=", ">=").contains(two) ? 2 : 1;
            }
            tokens.add(src.substring(start, i));
        }
    }

    private String peek() {
        return peekAt(0);
    }

    private String peekAt(int k) {
        return pos + k < tokens.size() ? tokens.get(pos + k) : null;
    }

    private String next() {
        if (pos >= tokens.size()) throw new IllegalArgumentException("$(eval " + src + ") ends too early");
        return tokens.get(pos++);
    }

    private boolean accept(String t) {
        if (t.equals(peek())) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String t) {
        if (!accept(t)) throw new IllegalArgumentException("expected '" + t + "' in $(eval " + src + ")");
    }

    // --- Python semantics ---

    static boolean truthy(Object v) {
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        if (v instanceof Long l) return l != 0;
        if (v instanceof Double d) return d != 0;
        if (v instanceof String s) return !s.isEmpty();
        if (v instanceof List<?> l) return !l.isEmpty();
        return true;
    }

    private static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    private static double num(Object v) {
        if (v instanceof Boolean b) return b ? 1 : 0;
        return ((Number) v).doubleValue();
    }

    private static long integer(Object v) {
        if (v instanceof Boolean b) return b ? 1 : 0;
        return (Long) v;
    }

    private static boolean bothIntegers(Object a, Object b) {
        return (a instanceof Long || a instanceof Boolean) && (b instanceof Long || b instanceof Boolean);
    }

    private static Object binary(String op, Object a, Object b) {
        if (op.equals("+") && a instanceof String x && b instanceof String y) return x + y;
        if (op.equals("+") && a instanceof List<?> x && b instanceof List<?> y) {
            List<Object> out = new ArrayList<>(x);
            out.addAll(y);
            return out;
        }
        if (op.equals("*") && a instanceof String s && (b instanceof Long || b instanceof Boolean)) return s.repeat((int) Math.max(0, integer(b)));
        if (!isNumber(a) || !isNumber(b)) {
            throw new IllegalArgumentException("unsupported operand types for " + op + ": " + typeName(a) + " and " + typeName(b));
        }
        boolean ints = bothIntegers(a, b);
        switch (op) {
            case "+":
                return ints ? (Object) (integer(a) + integer(b)) : (Object) (num(a) + num(b));
            case "-":
                return ints ? (Object) (integer(a) - integer(b)) : (Object) (num(a) - num(b));
            case "*":
                return ints ? (Object) (integer(a) * integer(b)) : (Object) (num(a) * num(b));
            case "/":
                if (num(b) == 0) throw new IllegalArgumentException("division by zero");
                return num(a) / num(b);
            case "//":
                if (num(b) == 0) throw new IllegalArgumentException("integer division by zero");
                return ints ? (Object) Math.floorDiv(integer(a), integer(b)) : (Object) Math.floor(num(a) / num(b));
            case "%":
                if (num(b) == 0) throw new IllegalArgumentException("modulo by zero");
                if (ints) return Math.floorMod(integer(a), integer(b));
                double r = num(a) % num(b);
                return r != 0 && (r < 0) != (num(b) < 0) ? r + num(b) : r;
            case "**":
                if (ints && integer(b) >= 0) return (long) Math.pow(integer(a), integer(b));
                return Math.pow(num(a), num(b));
            default:
                throw new IllegalArgumentException("unknown operator " + op);
        }
    }

    private static boolean compare(String op, Object a, Object b) {
        switch (op) {
            case "==":
                return equal(a, b);
            case "!=":
                return !equal(a, b);
            case "in":
                return contains(b, a);
            case "not in":
                return !contains(b, a);
            default:
                break;
        }
        int c;
        if (isNumber(a) && isNumber(b)) c = Double.compare(num(a), num(b));
        else if (a instanceof String x && b instanceof String y) c = x.compareTo(y);
        else throw new IllegalArgumentException("'" + op + "' not supported between " + typeName(a) + " and " + typeName(b));
        return switch (op) {
            case "<" -> c < 0;
            case ">" -> c > 0;
            case "<=" -> c <= 0;
            default -> c >= 0;
        };
    }

    private static boolean equal(Object a, Object b) {
        if (isNumber(a) && isNumber(b)) return num(a) == num(b);
        return a == null ? b == null : a.equals(b);
    }

    private static boolean contains(Object container, Object item) {
        if (container instanceof String s && item instanceof String x) return s.contains(x);
        if (container instanceof List<?> l) {
            for (Object o : l) if (equal(o, item)) return true;
            return false;
        }
        throw new IllegalArgumentException("argument of type " + typeName(container) + " is not iterable");
    }

    private static String typeName(Object v) {
        if (v == null) return "NoneType";
        if (v instanceof Boolean) return "bool";
        if (v instanceof Long) return "int";
        if (v instanceof Double) return "float";
        if (v instanceof String) return "str";
        return "list";
    }

    /** Python's str() of a value. */
    static String str(Object v) {
        if (v == null) return "None";
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof Double d) return org.teachlearn.ros.message.PyFloat.repr(d);
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) parts.add(o instanceof String s ? "'" + s + "'" : str(o));
            return "[" + String.join(", ", parts) + "]";
        }
        return v.toString();
    }

    /** The math module's functions and constants that roslaunch puts in scope. */
    static final Map<String, Function<List<Object>, Object>> MATH = Map.ofEntries(
            Map.entry("sin", a -> Math.sin(num(a.get(0)))), Map.entry("cos", a -> Math.cos(num(a.get(0)))),
            Map.entry("tan", a -> Math.tan(num(a.get(0)))), Map.entry("asin", a -> Math.asin(num(a.get(0)))),
            Map.entry("acos", a -> Math.acos(num(a.get(0)))), Map.entry("atan", a -> Math.atan(num(a.get(0)))),
            Map.entry("atan2", a -> Math.atan2(num(a.get(0)), num(a.get(1)))), Map.entry("sqrt", a -> Math.sqrt(num(a.get(0)))),
            Map.entry("exp", a -> Math.exp(num(a.get(0)))), Map.entry("log", a -> a.size() > 1 ? Math.log(num(a.get(0))) / Math.log(num(a.get(1))) : Math.log(num(a.get(0)))),
            Map.entry("log10", a -> Math.log10(num(a.get(0)))), Map.entry("pow", a -> Math.pow(num(a.get(0)), num(a.get(1)))),
            Map.entry("fabs", a -> Math.abs(num(a.get(0)))), Map.entry("floor", a -> (long) Math.floor(num(a.get(0)))),
            Map.entry("ceil", a -> (long) Math.ceil(num(a.get(0)))), Map.entry("radians", a -> Math.toRadians(num(a.get(0)))),
            Map.entry("degrees", a -> Math.toDegrees(num(a.get(0)))), Map.entry("hypot", a -> Math.hypot(num(a.get(0)), num(a.get(1)))),
            Map.entry("abs", a -> a.get(0) instanceof Long l ? (Object) Math.abs(l) : (Object) Math.abs(num(a.get(0)))),
            Map.entry("int", a -> a.get(0) instanceof String s ? (Object) Long.parseLong(s.strip()) : (Object) (long) num(a.get(0))),
            Map.entry("float", a -> a.get(0) instanceof String s ? (Object) Double.parseDouble(s.strip()) : (Object) num(a.get(0))),
            Map.entry("str", a -> str(a.get(0))), Map.entry("bool", a -> truthy(a.get(0))),
            Map.entry("len", a -> (long) (a.get(0) instanceof String s ? s.length() : ((List<?>) a.get(0)).size())),
            Map.entry("min", a -> a.stream().min((x, y) -> Double.compare(num(x), num(y))).orElseThrow()),
            Map.entry("max", a -> a.stream().max((x, y) -> Double.compare(num(x), num(y))).orElseThrow()),
            // Python rounds the exact binary value half to even: round(2.675, 2) is 2.67
            Map.entry("round", a -> a.size() > 1
                    ? (Object) new java.math.BigDecimal(num(a.get(0))).setScale((int) integer(a.get(1)), java.math.RoundingMode.HALF_EVEN).doubleValue()
                    : (Object) (long) Math.rint(num(a.get(0)))));

    static final Map<String, Object> MATH_CONSTANTS = Map.of("pi", Math.PI, "e", Math.E, "tau", 2 * Math.PI, "inf", Double.POSITIVE_INFINITY,
            "nan", Double.NaN);
}
