package org.jvision.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvision.tensor.Tensor;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, Zalando Research, 2017): 28x28 grayscale pictures of
 * clothing in 10 classes, 60000 for training and 10000 for testing, in IDX files.
 *
 * <p>Where the files are found ({@link #locate}): the folder given with {@code --data}, else the
 * folder named by the environment variable {@code JVISION_DATA}, else
 * {@code /usr/share/datasets/fashion-mnist} (the Debian package {@code dataset-fashion-mnist}).
 * Each file may be gzipped ({@code .gz}) or raw.
 *
 * <p>A stratified sample of the real data set (5000 training and 1000 test images, equal counts per
 * class; MIT licensed, copyright Zalando SE) is embedded in jvision, so examples and tests run
 * without a download: {@link #embeddedSample()}.
 */
public final class FashionMnist {
    /** The class names, in label order. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The environment variable naming a folder that holds the data set. */
    public static final String DATA_ENV = "JVISION_DATA";

    /** Where the Debian package {@code dataset-fashion-mnist} installs the data set. */
    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** The four files, by their names without {@code .gz}. */
    public static final List<String> FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    static final String SAMPLE_FOLDER = "fashion-mnist-sample/";
    static final int SAMPLE_TRAIN_PER_CLASS = 500;
    static final int SAMPLE_TEST_PER_CLASS = 100;
    static final long SAMPLE_SEED = 2017;

    private FashionMnist() {
    }

    /**
     * The folder holding the four Fashion-MNIST files: {@code dataOption} when given (and then only
     * it: an explicit choice is never silently replaced by another copy), else {@code $JVISION_DATA},
     * else {@link #SYSTEM_DIR}.
     *
     * @throws IOException saying where it looked, what was missing there, and which files it needs
     */
    public static Path locate(Path dataOption) throws IOException {
        return locate(dataOption, System.getenv(DATA_ENV), SYSTEM_DIR);
    }

    static Path locate(Path dataOption, String envValue, Path systemDir) throws IOException {
        List<String> looked = new ArrayList<>();
        if (dataOption != null) {
            String problem = problem(dataOption);
            if (problem == null) {
                return dataOption;
            }
            looked.add(dataOption + " (--data): " + problem);
            throw notFound(looked);
        }
        if (envValue == null || envValue.isBlank()) {
            looked.add("$" + DATA_ENV + ": not set");
        } else {
            try {
                Path dir = Path.of(envValue);
                String problem = problem(dir);
                if (problem == null) {
                    return dir;
                }
                looked.add(dir + " ($" + DATA_ENV + "): " + problem);
            } catch (InvalidPathException e) {
                looked.add("$" + DATA_ENV + " = '" + envValue + "': not a valid path (" + e.getReason() + ")");
            }
        }
        String problem = problem(systemDir);
        if (problem == null) {
            return systemDir;
        }
        looked.add(systemDir + ": " + problem);
        throw notFound(looked);
    }

    /** Reads the training and test sets from {@code dir} (see {@link #locate}). */
    public static TrainTest load(Path dir) throws IOException {
        String problem = problem(dir);
        if (problem != null) {
            throw notFound(List.of(dir + ": " + problem));
        }
        Dataset train = IdxReader.readDataset(find(dir, FILES.get(0)), find(dir, FILES.get(1)), CLASS_NAMES);
        Dataset test = IdxReader.readDataset(find(dir, FILES.get(2)), find(dir, FILES.get(3)), CLASS_NAMES);
        return new TrainTest(train, test,
                "Fashion-MNIST from " + dir + " (" + train.size() + " train / " + test.size() + " test)");
    }

    /**
     * The sample of Fashion-MNIST embedded in jvision: 5000 training and 1000 test images, 500 and
     * 100 per class, drawn with a fixed seed from the real training and test sets.
     */
    public static TrainTest embeddedSample() {
        try {
            Dataset train = readSample("train");
            Dataset test = readSample("t10k");
            return new TrainTest(train, test, "Fashion-MNIST sample embedded in jvision (" + train.size()
                    + " train / " + test.size() + " test)");
        } catch (IOException e) {
            throw new UncheckedIOException("jvision's embedded Fashion-MNIST sample is unreadable: " + e.getMessage(), e);
        }
    }

    private static Dataset readSample(String prefix) throws IOException {
        String imagesName = SAMPLE_FOLDER + prefix + "-images-idx3-ubyte.gz";
        String labelsName = SAMPLE_FOLDER + prefix + "-labels-idx1-ubyte.gz";
        Tensor images;
        int[] labels;
        try (InputStream in = resource(imagesName)) {
            images = IdxReader.readImages(in, imagesName);
        }
        try (InputStream in = resource(labelsName)) {
            labels = IdxReader.readLabels(in, labelsName);
        }
        return IdxReader.checkedDataset(images, imagesName, labels, labelsName, CLASS_NAMES);
    }

    private static InputStream resource(String name) {
        InputStream in = FashionMnist.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("jvision's embedded Fashion-MNIST sample is missing "
                    + "org/jvision/data/" + name + " (a broken build?)");
        }
        return in;
    }

    /** Why {@code dir} does not hold the data set, or null when it does. */
    private static String problem(Path dir) {
        if (!Files.exists(dir)) {
            return "does not exist";
        }
        if (!Files.isDirectory(dir)) {
            return "is not a folder";
        }
        List<String> missing = new ArrayList<>();
        for (String name : FILES) {
            if (candidate(dir, name) == null) {
                missing.add(name + "[.gz]");
            }
        }
        return missing.isEmpty() ? null : "missing " + String.join(", ", missing);
    }

    private static Path find(Path dir, String name) throws IOException {
        Path file = candidate(dir, name);
        if (file == null) {
            throw notFound(List.of(dir + ": missing " + name + "[.gz]"));
        }
        return file;
    }

    /**
     * The file for {@code name} in {@code dir}: gzipped or raw, also under the dotted names some
     * copies use ({@code train-images.idx3-ubyte}); null when none exists.
     */
    private static Path candidate(Path dir, String name) {
        String dotted = name.replace("-idx", ".idx");
        for (String option : List.of(name + ".gz", name, dotted + ".gz", dotted)) {
            Path file = dir.resolve(option);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    private static IOException notFound(List<String> looked) {
        return new IOException("Fashion-MNIST not found. Looked in:\n  " + String.join("\n  ", looked)
                + "\nIt needs " + String.join(", ", FILES) + " (each raw or gzipped as .gz) in one folder."
                + "\nGet them from https://github.com/zalandoresearch/fashion-mnist (or on Debian/Ubuntu:"
                + " apt-get install dataset-fashion-mnist), then pass --data FOLDER or set " + DATA_ENV + ".");
    }
}
