package org.teachlearn.learn.chart;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Tick labels a reader takes in at a glance: 10k, 200k, 1.5M rather than 1.02e+04, and plain
 * decimals without trailing zeros (0.5, not 0.500).
 */
public final class TickLabels {

    private TickLabels() {
    }

    /** {@code 0}, {@code 0.25}, {@code 950}, {@code 10k}, {@code 12.5k}, {@code 300k}, {@code 1.5M}. */
    public static String compact(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        double a = Math.abs(v);
        if (a >= 999_500) return plain(v / 1e6, 2) + "M";
        if (a >= 1_000) return plain(v / 1e3, 2) + "k";
        if (a >= 100) return plain(v, 0);
        return plain(v, a >= 1 ? 2 : 4);
    }

    /** {@code v} rounded to at most {@code decimals} places, trailing zeros dropped. */
    static String plain(double v, int decimals) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
        if (d.signum() == 0) return "0";
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}
