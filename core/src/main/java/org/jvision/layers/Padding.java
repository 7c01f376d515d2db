package org.jvision.layers;

import java.util.Locale;

/**
 * How a convolution or pooling window treats the image border: {@code "valid"} (no padding),
 * {@code "same"} (TensorFlow/Keras rule) or {@code "explicit"} pixels on each side.
 *
 * <p>"same" keeps {@code out = ceil(in / stride)} per axis and pads
 * {@code total = max((out - 1) * stride + k - in, 0)} in all: {@code total / 2} before (top, left)
 * and the rest after, so an odd pixel goes to the bottom/right, as TensorFlow does. (PyTorch's
 * {@code padding=1} for a 3x3 kernel is {@code explicit(1, 1, 1, 1)}.)
 *
 * <p>A record of plain values so it serializes to JSON as
 * {@code {"mode":"same","top":0,"bottom":0,"left":0,"right":0}}; the four counts are used only by
 * {@code "explicit"} and must be 0 otherwise.
 *
 * @param mode   {@code "valid"}, {@code "same"} or {@code "explicit"} (case-insensitive)
 * @param top    rows of zeros above the image (explicit only)
 * @param bottom rows below
 * @param left   columns to the left
 * @param right  columns to the right
 */
public record Padding(String mode, int top, int bottom, int left, int right) {
    public static final String VALID = "valid";
    public static final String SAME = "same";
    public static final String EXPLICIT = "explicit";

    public Padding {
        if (mode == null) {
            throw new IllegalArgumentException("padding mode must be valid, same or explicit, received: null");
        }
        mode = mode.toLowerCase(Locale.ROOT);
        switch (mode) {
            case VALID, SAME -> {
                if (top != 0 || bottom != 0 || left != 0 || right != 0) {
                    throw new IllegalArgumentException("padding '" + mode + "' takes no explicit sizes, received: top="
                            + top + ", bottom=" + bottom + ", left=" + left + ", right=" + right);
                }
            }
            case EXPLICIT -> {
                if (top < 0 || bottom < 0 || left < 0 || right < 0) {
                    throw new IllegalArgumentException("explicit padding must be >= 0 on every side, received: top="
                            + top + ", bottom=" + bottom + ", left=" + left + ", right=" + right);
                }
            }
            default -> throw new IllegalArgumentException(
                    "padding mode must be valid, same or explicit, received: '" + mode + "'");
        }
    }

    /** No padding: windows stay inside the image. */
    public static Padding valid() {
        return new Padding(VALID, 0, 0, 0, 0);
    }

    /** TensorFlow's "same": {@code out = ceil(in / stride)}, the odd pixel at the bottom/right. */
    public static Padding same() {
        return new Padding(SAME, 0, 0, 0, 0);
    }

    /** Explicit zero rows/columns on each side. */
    public static Padding explicit(int top, int bottom, int left, int right) {
        return new Padding(EXPLICIT, top, bottom, left, right);
    }

    /** The same number of zeros on every side (PyTorch's {@code padding=p}). */
    public static Padding explicit(int pad) {
        return explicit(pad, pad, pad, pad);
    }

    /** Parses "valid" or "same" (case-insensitive), as Keras spells them. */
    public static Padding parse(String mode) {
        String m = mode == null ? null : mode.toLowerCase(Locale.ROOT);
        if (VALID.equals(m)) {
            return valid();
        }
        if (SAME.equals(m)) {
            return same();
        }
        throw new IllegalArgumentException("padding must be 'valid' or 'same' (or Padding.explicit(...)), received: '"
                + mode + "'");
    }

    /**
     * The zeros before and after the image along one axis, as {@code {before, after}}.
     *
     * @param in     the image size along the axis
     * @param kernel the window size
     * @param stride the step between windows
     * @param first  true for the rows (top/bottom), false for the columns (left/right)
     */
    public int[] resolve(int in, int kernel, int stride, boolean first) {
        return switch (mode) {
            case SAME -> {
                int out = (in + stride - 1) / stride;
                int total = Math.max((out - 1) * stride + kernel - in, 0);
                yield new int[] {total / 2, total - total / 2};
            }
            case EXPLICIT -> first ? new int[] {top, bottom} : new int[] {left, right};
            default -> new int[] {0, 0};
        };
    }

    @Override
    public String toString() {
        return mode.equals(EXPLICIT)
                ? "explicit(top=" + top + ", bottom=" + bottom + ", left=" + left + ", right=" + right + ")"
                : mode;
    }
}
