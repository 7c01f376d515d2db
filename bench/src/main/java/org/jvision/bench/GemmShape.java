package org.jvision.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One call of {@link org.jvision.kernel.Kernels#gemm}, as a benchmark parameter:
 * {@code C (+)= op(A)[m×k] · op(B)[k×n]} on densely stored row-major matrices.
 *
 * <p>Its text form, used in {@code @Param} lists, on the JMH command line and by
 * {@code tools/pytorch/gemm.py}, is {@code [name:]MxNxK:XY[:acc]}: X and Y are {@code N} or
 * {@code T} for A and B (T: stored transposed, {@code k×m} for A, {@code n×k} for B), and
 * {@code acc} means C is added to rather than overwritten. For example {@code 1024x1024x1024:NN}
 * or {@code lenet5/conv2d_2.dW:150x16x6400:TN:acc}.
 *
 * @param name a label such as {@code "lenet5/conv2d_2.dW"}, or empty
 */
public record GemmShape(String name, boolean transA, boolean transB, int m, int n, int k, boolean accumulate) {
    private static final Pattern TEXT = Pattern.compile("(?:([^:]+):)?(\\d+)x(\\d+)x(\\d+):([NT])([NT])(:acc)?");

    public GemmShape {
        name = name == null ? "" : name;
        if (m < 1 || n < 1 || k < 1) {
            throw new IllegalArgumentException("gemm sizes must be positive, received: m=" + m + ", n=" + n + ", k=" + k);
        }
        if (name.contains(":")) {
            throw new IllegalArgumentException("a gemm shape's name cannot contain ':', received: '" + name + "'");
        }
    }

    /** Parses the text form (see the class comment). */
    public static GemmShape parse(String text) {
        Matcher match = TEXT.matcher(text);
        if (!match.matches()) {
            throw new IllegalArgumentException("expected a gemm shape like '[name:]1024x1024x1024:NN[:acc]', received: '"
                    + text + "'");
        }
        return new GemmShape(match.group(1), match.group(5).equals("T"), match.group(6).equals("T"),
                Integer.parseInt(match.group(2)), Integer.parseInt(match.group(3)), Integer.parseInt(match.group(4)),
                match.group(7) != null);
    }

    /** The same call under another name. */
    public GemmShape named(String newName) {
        return new GemmShape(newName, transA, transB, m, n, k, accumulate);
    }

    /** The text form without the name: two calls with the same key cost the same. */
    public String key() {
        return m + "x" + n + "x" + k + ":" + (transA ? "T" : "N") + (transB ? "T" : "N") + (accumulate ? ":acc" : "");
    }

    /** The text form, {@link #parse}'s inverse. */
    @Override
    public String toString() {
        return name.isEmpty() ? key() : name + ":" + key();
    }

    /** Multiply-adds count twice: {@code 2·m·n·k}. */
    public double flops() {
        return 2.0 * m * n * k;
    }

    /** The row stride of A as stored: {@code k}, or {@code m} when transposed. */
    public int lda() {
        return transA ? m : k;
    }

    /** The row stride of B as stored: {@code n}, or {@code k} when transposed. */
    public int ldb() {
        return transB ? k : n;
    }
}
