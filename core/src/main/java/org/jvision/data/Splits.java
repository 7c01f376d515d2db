package org.jvision.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded, stratified splits of a data set: train/validation (10% validation is the CLI default),
 * train/test (80:20, 70:30), train/validation/test (60:20:20, 70:15:15; 98:1:1 for very large
 * sets), and balanced samples.
 *
 * <p>Stratified: each class is divided by the same fractions, so every part has (up to rounding,
 * at most one image per class and part) the class mix of the whole. Within a class, images are
 * assigned by a Fisher–Yates shuffle from {@code new SplittableRandom(seed)}, so the same data and
 * seed always give the same split. The parts do not overlap and together hold every image once.
 * Each part keeps the original order of its images (a trainer shuffles each epoch anyway).
 *
 * <p>The test set is for the final evaluation only; tune on the validation set.
 */
public final class Splits {
    /** The fraction of the training set the CLI holds out for validation. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

    /** A training set and the validation set held out of it. */
    public record TrainValidation(Dataset train, Dataset validation) {
    }

    private Splits() {
    }

    /** Holds out {@code validationFraction} (in (0, 1)) of each class for validation. */
    public static TrainValidation trainValidation(Dataset data, double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
        }
        List<Dataset> parts = split(data, seed, 1 - validationFraction, validationFraction);
        return new TrainValidation(parts.get(0), parts.get(1));
    }

    /**
     * Splits {@code data} into parts of the given fractions, e.g. {@code split(data, seed, 0.6, 0.2, 0.2)}
     * for train/validation/test. The fractions are positive and sum to 1.
     *
     * @throws IllegalArgumentException if the fractions are not so, or a part would be empty
     */
    public static List<Dataset> split(Dataset data, long seed, double... fractions) {
        checkFractions(fractions);
        int[][] parts = stratifiedIndices(data.labels(), data.classCount(), seed, fractions);
        List<Dataset> out = new ArrayList<>(parts.length);
        for (int p = 0; p < parts.length; p++) {
            if (parts[p].length == 0) {
                throw new IllegalArgumentException("part " + p + " (fraction " + fractions[p] + ") of a data set of "
                        + data.size() + " images would be empty; use a larger fraction or more data");
            }
            out.add(data.subset(parts[p]));
        }
        return out;
    }

    /**
     * {@code perClass} images of every class, drawn with {@code seed}, in their original order: a
     * balanced sample (the embedded Fashion-MNIST sample is made this way).
     */
    public static Dataset sample(Dataset data, int perClass, long seed) {
        if (perClass <= 0) {
            throw new IllegalArgumentException("images per class must be positive, got " + perClass);
        }
        int[][] byClass = byClass(data.labels(), data.classCount());
        SplittableRandom random = new SplittableRandom(seed);
        int[] chosen = new int[perClass * byClass.length];
        int n = 0;
        for (int c = 0; c < byClass.length; c++) {
            if (byClass[c].length < perClass) {
                throw new IllegalArgumentException("class " + c + " (" + data.classNames().get(c) + ") has "
                        + byClass[c].length + " images, fewer than the " + perClass + " per class asked for");
            }
            shuffle(byClass[c], random);
            System.arraycopy(byClass[c], 0, chosen, n, perClass);
            n += perClass;
        }
        Arrays.sort(chosen);
        return data.subset(chosen);
    }

    /**
     * Parses a split ratio as the CLI takes it: {@code "60:20:20"}, {@code "80:20"},
     * {@code "0.7:0.15:0.15"} or with commas; the parts are scaled to sum to 1.
     */
    public static double[] parseFractions(String text) {
        String[] pieces = text.trim().split("\\s*[:,]\\s*");
        double[] fractions = new double[pieces.length];
        double sum = 0;
        for (int i = 0; i < pieces.length; i++) {
            try {
                fractions[i] = Double.parseDouble(pieces[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("split ratio '" + text + "': '" + pieces[i] + "' is not a number");
            }
            if (!(fractions[i] > 0) || Double.isInfinite(fractions[i])) {
                throw new IllegalArgumentException("split ratio '" + text + "': every part must be positive, got "
                        + pieces[i]);
            }
            sum += fractions[i];
        }
        if (pieces.length < 2) {
            throw new IllegalArgumentException("split ratio '" + text + "' needs at least two parts, like 80:20");
        }
        for (int i = 0; i < fractions.length; i++) {
            fractions[i] /= sum;
        }
        return fractions;
    }

    /**
     * The indices of each part, ascending. Per class, part p gets {@code floor(count * fraction[p])}
     * images and the leftover images go one each to the parts with the largest remainders (ties to
     * the earlier part).
     */
    static int[][] stratifiedIndices(int[] labels, int classCount, long seed, double[] fractions) {
        int[][] byClass = byClass(labels, classCount);
        SplittableRandom random = new SplittableRandom(seed);
        int[] partSizes = new int[fractions.length];
        int[][] perClassCounts = new int[classCount][];
        for (int c = 0; c < classCount; c++) {
            perClassCounts[c] = apportion(byClass[c].length, fractions);
            for (int p = 0; p < fractions.length; p++) {
                partSizes[p] += perClassCounts[c][p];
            }
        }
        int[][] parts = new int[fractions.length][];
        int[] filled = new int[fractions.length];
        for (int p = 0; p < parts.length; p++) {
            parts[p] = new int[partSizes[p]];
        }
        for (int c = 0; c < classCount; c++) {
            int[] members = byClass[c];
            shuffle(members, random);
            int next = 0;
            for (int p = 0; p < parts.length; p++) {
                int k = perClassCounts[c][p];
                System.arraycopy(members, next, parts[p], filled[p], k);
                filled[p] += k;
                next += k;
            }
        }
        for (int[] part : parts) {
            Arrays.sort(part);
        }
        return parts;
    }

    /** Divides {@code count} items by {@code fractions} (largest remainder method). */
    static int[] apportion(int count, double[] fractions) {
        int[] sizes = new int[fractions.length];
        double[] remainders = new double[fractions.length];
        int assigned = 0;
        for (int p = 0; p < fractions.length; p++) {
            double exact = count * fractions[p];
            sizes[p] = (int) Math.floor(exact + 1e-9);
            remainders[p] = exact - sizes[p];
            assigned += sizes[p];
        }
        for (int left = count - assigned; left > 0; left--) {
            int best = 0;
            for (int p = 1; p < fractions.length; p++) {
                if (remainders[p] > remainders[best] + 1e-12) {
                    best = p;
                }
            }
            sizes[best]++;
            remainders[best] = -1;
        }
        return sizes;
    }

    private static int[][] byClass(int[] labels, int classCount) {
        int[] counts = new int[classCount];
        for (int label : labels) {
            counts[label]++;
        }
        int[][] byClass = new int[classCount][];
        for (int c = 0; c < classCount; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] filled = new int[classCount];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][filled[labels[i]]++] = i;
        }
        return byClass;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void checkFractions(double[] fractions) {
        if (fractions.length < 2) {
            throw new IllegalArgumentException("a split needs at least two fractions, got " + Arrays.toString(fractions));
        }
        double sum = 0;
        for (double f : fractions) {
            if (!(f > 0 && f < 1)) {
                throw new IllegalArgumentException("split fractions must be in (0, 1), got " + Arrays.toString(fractions));
            }
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("split fractions must sum to 1, got " + Arrays.toString(fractions)
                    + " (sum " + sum + ")");
        }
    }
}
