package dev.deepq.env.spaces;

import java.math.BigInteger;

/**
 * NumPy's float-to-decimal conversion ({@code numpy/core/src/multiarray/dragon4.c}, Steele &amp; White / Burger &amp;
 * Dybvig's Dragon4 in "unique" digit mode), reimplemented on {@link BigInteger}: the shortest digit string that
 * uniquely identifies a float32 or float64 among its neighbours, optionally cut off after a maximum number of digits
 * and extended to a minimum number of digits, rounded as NumPy rounds. On top of it, NumPy's
 * {@code FormatPositional} and {@code FormatScientific} with their trim and padding rules.
 *
 * <p>Java's {@code Float.toString}/{@code Double.toString} are not a substitute: they use a different notation and
 * cannot produce NumPy's extra digits ({@code 4.8000002} for float32 4.8 printed next to 7-digit neighbours).
 */
final class Dragon4 {
    private Dragon4() {}

    /** How trailing zeros and the decimal point are treated (NumPy's {@code TrimMode}). */
    enum Trim {
        /** 'k': keep trailing zeros (pad to the minimum digits). */
        NONE,
        /** '.': trim trailing zeros, keep the decimal point. */
        ZEROS,
        /** '0': trim trailing zeros but leave one after the point. */
        LEAVE_ONE_ZERO,
        /** '-': trim trailing zeros and the decimal point. */
        DPT_ZEROS
    }

    private enum Cutoff { TOTAL_LENGTH, FRACTION_LENGTH }

    private static final int BUFFER_SIZE = 16384;
    private static final double LOG10_2 = 0.30102999566398119521373889472449;

    /** Digits (without a decimal point) and the base-10 exponent of the first digit. */
    private record Digits(String digits, int exponent) {}

    /** The binary decomposition NumPy hands to Dragon4: value = mantissa * 2^exponent. */
    private record Decomposed(boolean negative, long mantissa, int exponent, int mantissaBit, boolean unequalMargins) {}

    private static Decomposed decompose(double value, boolean float32) {
        if (float32) {
            int bits = Float.floatToRawIntBits((float) value);
            boolean negative = bits < 0;
            int biased = (bits >>> 23) & 0xFF;
            long fraction = bits & 0x7FFFFF;
            if (biased != 0) {
                return new Decomposed(negative, (1L << 23) | fraction, biased - 127 - 23, 23,
                        biased != 1 && fraction == 0);
            }
            return new Decomposed(negative, fraction, 1 - 127 - 23, log2(fraction), false);
        }
        long bits = Double.doubleToRawLongBits(value);
        boolean negative = bits < 0;
        int biased = (int) ((bits >>> 52) & 0x7FF);
        long fraction = bits & 0xF_FFFF_FFFF_FFFFL;
        if (biased != 0) {
            return new Decomposed(negative, (1L << 52) | fraction, biased - 1023 - 52, 52, biased != 1 && fraction == 0);
        }
        return new Decomposed(negative, fraction, 1 - 1023 - 52, log2(fraction), false);
    }

    private static int log2(long v) {
        return v == 0 ? 0 : 63 - Long.numberOfLeadingZeros(v);
    }

    /**
     * The Dragon4 digit loop in unique mode.
     *
     * @param cutoffMax the most digits to print (total or after the point, per {@code cutoff}); -1 for no limit
     * @param cutoffMin the fewest digits to print; -1 for no minimum
     */
    private static Digits dragon4(Decomposed d, Cutoff cutoff, int cutoffMax, int cutoffMin) {
        if (d.mantissa == 0) {
            return new Digits("0", 0);
        }
        boolean isEven = (d.mantissa & 1) == 0;
        int exponent = d.exponent;
        BigInteger mantissa = BigInteger.valueOf(d.mantissa);
        BigInteger scale;
        BigInteger scaledValue;
        BigInteger marginLow;
        BigInteger marginHigh;
        if (d.unequalMargins) {
            if (exponent > 0) {
                scaledValue = mantissa.shiftLeft(exponent + 2);
                scale = BigInteger.valueOf(4);
                marginLow = BigInteger.ONE.shiftLeft(exponent);
                marginHigh = BigInteger.ONE.shiftLeft(exponent + 1);
            } else {
                scaledValue = mantissa.shiftLeft(2);
                scale = BigInteger.ONE.shiftLeft(-exponent + 2);
                marginLow = BigInteger.ONE;
                marginHigh = BigInteger.TWO;
            }
        } else {
            if (exponent > 0) {
                scaledValue = mantissa.shiftLeft(exponent + 1);
                scale = BigInteger.TWO;
                marginLow = BigInteger.ONE.shiftLeft(exponent);
            } else {
                scaledValue = mantissa.shiftLeft(1);
                scale = BigInteger.ONE.shiftLeft(-exponent + 1);
                marginLow = BigInteger.ONE;
            }
            marginHigh = null; // equal to marginLow
        }

        int digitExponent = (int) Math.ceil((double) (d.mantissaBit + exponent) * LOG10_2 - 0.69);
        if (cutoffMax >= 0 && cutoff == Cutoff.FRACTION_LENGTH && digitExponent <= -cutoffMax) {
            digitExponent = -cutoffMax + 1;
        }
        if (digitExponent > 0) {
            scale = scale.multiply(BigInteger.TEN.pow(digitExponent));
        } else if (digitExponent < 0) {
            BigInteger pow10 = BigInteger.TEN.pow(-digitExponent);
            scaledValue = scaledValue.multiply(pow10);
            marginLow = marginLow.multiply(pow10);
        }
        if (scaledValue.compareTo(scale) >= 0) {
            digitExponent++;
        } else {
            scaledValue = scaledValue.multiply(BigInteger.TEN);
            marginLow = marginLow.multiply(BigInteger.TEN);
        }
        if (marginHigh != null) {
            marginHigh = marginLow.shiftLeft(1);
        }

        int cutoffMaxExponent = digitExponent - BUFFER_SIZE;
        if (cutoffMax >= 0) {
            int desired = cutoff == Cutoff.TOTAL_LENGTH ? digitExponent - cutoffMax : -cutoffMax;
            cutoffMaxExponent = Math.max(cutoffMaxExponent, desired);
        }
        int cutoffMinExponent = digitExponent;
        if (cutoffMin >= 0) {
            int desired = cutoff == Cutoff.TOTAL_LENGTH ? digitExponent - cutoffMin : -cutoffMin;
            cutoffMinExponent = Math.min(cutoffMinExponent, desired);
        }
        int outExponent = digitExponent - 1;

        StringBuilder digits = new StringBuilder();
        boolean low;
        boolean high;
        int outputDigit;
        while (true) {
            digitExponent--;
            BigInteger[] qr = scaledValue.divideAndRemainder(scale);
            outputDigit = qr[0].intValueExact();
            scaledValue = qr[1];
            BigInteger valueHigh = scaledValue.add(marginHigh != null ? marginHigh : marginLow);
            int cmpLow = scaledValue.compareTo(marginLow);
            low = isEven ? cmpLow <= 0 : cmpLow < 0;
            int cmpHigh = valueHigh.compareTo(scale);
            high = isEven ? cmpHigh >= 0 : cmpHigh > 0;
            if (((low || high) && digitExponent <= cutoffMinExponent) || digitExponent == cutoffMaxExponent) {
                break;
            }
            digits.append((char) ('0' + outputDigit));
            scaledValue = scaledValue.multiply(BigInteger.TEN);
            marginLow = marginLow.multiply(BigInteger.TEN);
            if (marginHigh != null) {
                marginHigh = marginLow.shiftLeft(1);
            }
        }

        boolean roundDown = low;
        if (low == high) {
            int compare = scaledValue.shiftLeft(1).compareTo(scale);
            roundDown = compare < 0;
            if (compare == 0) {
                roundDown = (outputDigit & 1) == 0;
            }
        }
        if (roundDown) {
            digits.append((char) ('0' + outputDigit));
        } else if (outputDigit == 9) {
            // carry into the previous digits
            int i = digits.length();
            while (true) {
                if (i == 0) {
                    digits.setLength(0);
                    digits.append('1');
                    outExponent++;
                    break;
                }
                i--;
                if (digits.charAt(i) != '9') {
                    digits.setCharAt(i, (char) (digits.charAt(i) + 1));
                    digits.setLength(i + 1);
                    break;
                }
            }
        } else {
            digits.append((char) ('0' + outputDigit + 1));
        }
        return new Digits(digits.toString(), outExponent);
    }

    /**
     * NumPy's {@code dragon4_positional(x, precision, min_digits, unique=True, fractional=True, trim, sign=False,
     * pad_left, pad_right)} for a finite value.
     */
    static String positional(double value, boolean float32, int precision, int minDigits, Trim trim,
                             int padLeft, int padRight) {
        Decomposed d = decompose(value, float32);
        StringBuilder b = new StringBuilder();
        int hasSign = 0;
        if (d.negative) {
            b.append('-');
            hasSign = 1;
        }
        Digits digits = dragon4(d, Cutoff.FRACTION_LENGTH, precision, minDigits);
        String ds = digits.digits;
        int numDigits = ds.length();
        int printExponent = digits.exponent;
        int numWholeDigits;
        int numFractionDigits = 0;
        if (printExponent >= 0) {
            numWholeDigits = printExponent + 1;
            if (numDigits <= numWholeDigits) {
                b.append(ds);
                b.append("0".repeat(numWholeDigits - numDigits));
            } else {
                numFractionDigits = numDigits - numWholeDigits;
                b.append(ds, 0, numWholeDigits).append('.').append(ds, numWholeDigits, numDigits);
            }
        } else {
            int fractionZeros = -(printExponent + 1);
            b.append("0.").append("0".repeat(fractionZeros)).append(ds);
            numFractionDigits = fractionZeros + numDigits;
            numWholeDigits = 1;
        }
        if (trim != Trim.DPT_ZEROS && numFractionDigits == 0) {
            b.append('.');
        }
        int addDigits = Math.max(minDigits, 0);
        if (trim == Trim.LEAVE_ONE_ZERO) {
            if (numFractionDigits == 0) {
                b.append('0');
                numFractionDigits++;
            }
        } else if (trim == Trim.NONE && addDigits > numFractionDigits) {
            b.append("0".repeat(addDigits - numFractionDigits));
            numFractionDigits = addDigits;
        }
        if (trim != Trim.NONE && numFractionDigits > 0) {
            while (b.charAt(b.length() - 1) == '0') {
                b.setLength(b.length() - 1);
                numFractionDigits--;
            }
            if (b.charAt(b.length() - 1) == '.') {
                if (trim == Trim.LEAVE_ONE_ZERO) {
                    b.append('0');
                    numFractionDigits++;
                } else if (trim == Trim.DPT_ZEROS) {
                    b.setLength(b.length() - 1);
                }
            }
        }
        if (padRight >= numFractionDigits) {
            if (trim == Trim.DPT_ZEROS && numFractionDigits == 0) {
                b.append(' ');
            }
            b.append(" ".repeat(padRight - numFractionDigits));
        }
        if (padLeft > numWholeDigits + hasSign) {
            b.insert(0, " ".repeat(padLeft - (numWholeDigits + hasSign)));
        }
        return b.toString();
    }

    /**
     * NumPy's {@code dragon4_scientific(x, precision, min_digits, unique=True, trim, sign=False, pad_left,
     * exp_digits)} for a finite value.
     */
    static String scientific(double value, boolean float32, int precision, int minDigits, Trim trim,
                             int padLeft, int expDigits) {
        Decomposed d = decompose(value, float32);
        StringBuilder b = new StringBuilder();
        int leftChars = d.negative ? 2 : 1;
        if (padLeft > leftChars) {
            b.append(" ".repeat(padLeft - leftChars));
        }
        if (d.negative) {
            b.append('-');
        }
        Digits digits = dragon4(d, Cutoff.TOTAL_LENGTH, precision < 0 ? -1 : precision + 1,
                minDigits < 0 ? -1 : minDigits + 1);
        String ds = digits.digits;
        b.append(ds.charAt(0));
        int numFractionDigits = ds.length() - 1;
        if (numFractionDigits > 0) {
            b.append('.').append(ds, 1, ds.length());
        }
        if (trim != Trim.DPT_ZEROS && numFractionDigits == 0) {
            b.append('.');
        }
        int addDigits = Math.max(minDigits, 0);
        if (trim == Trim.LEAVE_ONE_ZERO) {
            if (numFractionDigits == 0) {
                b.append('0');
                numFractionDigits++;
            }
        } else if (trim == Trim.NONE && addDigits > numFractionDigits) {
            b.append("0".repeat(addDigits - numFractionDigits));
            numFractionDigits = addDigits;
        }
        if (trim != Trim.NONE && numFractionDigits > 0) {
            while (b.charAt(b.length() - 1) == '0') {
                b.setLength(b.length() - 1);
                numFractionDigits--;
            }
            if (trim == Trim.LEAVE_ONE_ZERO && b.charAt(b.length() - 1) == '.') {
                b.append('0');
            }
        }
        int exp = digits.exponent;
        b.append('e').append(exp >= 0 ? '+' : '-');
        String expString = Integer.toString(Math.abs(exp));
        int width = expDigits < 0 ? 2 : Math.min(expDigits, 5);
        if (expString.length() < width) {
            b.append("0".repeat(width - expString.length()));
        }
        return b.append(expString).toString();
    }
}
