package org.jvision.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST, gzip-compressed or raw (told apart by the gzip
 * magic bytes {@code 1f 8b}, not by the name).
 *
 * <p>The format (big-endian): a magic number {@code 0x0000TTDD} where {@code TT} is the element
 * type ({@code 08}: unsigned byte, the only one these data sets use) and {@code DD} the number of
 * dimensions; then each dimension as a 32-bit integer; then the elements in row-major order.
 * Labels files are {@code 0x00000801} {@code [count]}, images files {@code 0x00000803}
 * {@code [count, rows, cols]}.
 *
 * <p>The reader checks the magic number, the dimensions, and that the file holds exactly the data
 * the header promises, no less and no more. Every problem is an {@link IOException} whose message
 * starts with the file name and says what was expected, what was found, and at which byte (of the
 * uncompressed data, for gzip files):
 * <pre>
 * train-images-idx3-ubyte.gz: truncated: header promises 60000 images of 28x28 (47040016 bytes), uncompressed data ends at byte 1000
 * </pre>
 * Images come back as a float32 tensor {@code [count, rows, cols, 1]} with pixels scaled from
 * 0..255 to [0, 1].
 */
public final class IdxReader {
    /** Magic number of a labels file: unsigned bytes, one dimension. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Magic number of an images file: unsigned bytes, three dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;

    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {
    }

    /** Reads an images file into a tensor {@code [count, rows, cols, 1]} with values in [0, 1]. */
    public static Tensor readImages(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readImages(in, file.toString());
        }
    }

    /**
     * Reads images from a stream (closed by the caller); {@code name} is the file name used in
     * error messages.
     */
    public static Tensor readImages(InputStream in, String name) throws IOException {
        Idx idx = read(in, name, Kind.IMAGES);
        int count = idx.dims[0];
        int rows = idx.dims[1];
        int cols = idx.dims[2];
        byte[] bytes = idx.data;
        float[] pixels = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            pixels[i] = (bytes[i] & 0xff) / 255f;
        }
        return new Tensor(Shape.of(count, rows, cols, 1), pixels);
    }

    /** Reads a labels file: one value 0..255 per example. */
    public static int[] readLabels(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readLabels(in, file.toString());
        }
    }

    /** Reads labels from a stream (closed by the caller); {@code name} is used in error messages. */
    public static int[] readLabels(InputStream in, String name) throws IOException {
        byte[] bytes = read(in, name, Kind.LABELS).data;
        int[] labels = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            labels[i] = bytes[i] & 0xff;
        }
        return labels;
    }

    /**
     * Reads an images file and its labels file into a {@link Dataset}, checking that they hold the
     * same number of examples and that every label names one of {@code classNames}.
     */
    public static Dataset readDataset(Path imagesFile, Path labelsFile, List<String> classNames) throws IOException {
        int[] labels = readLabels(labelsFile);
        String badLabel = Dataset.labelProblem(labels, classNames.size());
        if (badLabel != null) {
            throw new IOException("labels file " + labelsFile + ": " + badLabel);
        }
        Tensor images = readImages(imagesFile);
        return checkedDataset(images, imagesFile.toString(), labels, labelsFile.toString(), classNames);
    }

    /** Pairs images and labels read from two named sources into a dataset, with file-naming errors. */
    static Dataset checkedDataset(Tensor images, String imagesName, int[] labels, String labelsName,
            List<String> classNames) throws IOException {
        if (images.dim(0) != labels.length) {
            throw new IOException(imagesName + " holds " + images.dim(0) + " images but " + labelsName
                    + " holds " + labels.length + " labels; they must match one to one");
        }
        String badLabel = Dataset.labelProblem(labels, classNames.size());
        if (badLabel != null) {
            throw new IOException("labels file " + labelsName + ": " + badLabel);
        }
        return Dataset.wrap(images, labels, List.copyOf(classNames));
    }

    private static InputStream open(Path file) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
    }

    private enum Kind {
        LABELS(LABELS_MAGIC, "labels", new String[] {"label count"}),
        IMAGES(IMAGES_MAGIC, "images", new String[] {"image count", "rows", "cols"});

        final int magic;
        final String noun;
        final String[] dimNames;

        Kind(int magic, String noun, String[] dimNames) {
            this.magic = magic;
            this.noun = noun;
            this.dimNames = dimNames;
        }

        int headerBytes() {
            return 4 + 4 * dimNames.length;
        }

        Kind other() {
            return this == LABELS ? IMAGES : LABELS;
        }
    }

    private record Idx(int[] dims, byte[] data) {
    }

    private static Idx read(InputStream raw, String name, Kind kind) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        Counting in = new Counting(gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered);
        String end = gzip ? "uncompressed data ends at byte " : "file ends at byte ";
        try {
            byte[] header = in.readNBytes(kind.headerBytes());
            if (header.length >= 4) {
                checkMagic(name, kind, readInt(header, 0));
            }
            if (header.length < kind.headerBytes()) {
                throw new IOException(name + ": truncated header: " + end + header.length + ", the "
                        + kind.noun + " header needs " + kind.headerBytes() + " bytes");
            }
            int[] dims = new int[kind.dimNames.length];
            long dataBytes = 1;
            for (int d = 0; d < dims.length; d++) {
                int offset = 4 + 4 * d;
                dims[d] = readInt(header, offset);
                if (dims[d] <= 0) {
                    throw new IOException(name + ": " + kind.dimNames[d] + " is " + dims[d] + " (at byte "
                            + offset + "), must be positive");
                }
                dataBytes *= dims[d];
            }
            String promise = "header promises " + promised(kind, dims) + " (" + (kind.headerBytes() + dataBytes)
                    + " bytes)";
            if (dataBytes > Integer.MAX_VALUE - 8) {
                throw new IOException(name + ": " + promise + ", more than jvision can hold in one array");
            }
            byte[] data = in.readNBytes((int) dataBytes);
            if (data.length < dataBytes) {
                throw new IOException(name + ": truncated: " + promise + ", " + end + in.count);
            }
            long trailing = in.transferTo(OutputStream.nullOutputStream());
            if (trailing > 0) {
                throw new IOException(name + ": trailing data: " + promise + ", but " + trailing
                        + " more bytes follow (" + end.replace(" ends at", " goes on to") + in.count + ")");
            }
            return new Idx(dims, data);
        } catch (EOFException | ZipException e) {
            throw new IOException(name + ": corrupt or truncated gzip data after " + in.count
                    + " uncompressed bytes (" + e.getMessage() + ")", e);
        }
    }

    private static String promised(Kind kind, int[] dims) {
        return kind == Kind.IMAGES
                ? dims[0] + " images of " + dims[1] + "x" + dims[2]
                : dims[0] + " labels";
    }

    private static void checkMagic(String name, Kind kind, int magic) throws IOException {
        if (magic == kind.magic) {
            return;
        }
        String expected = String.format("expected 0x%08x (%s)", kind.magic, kind.noun);
        if (magic == kind.other().magic) {
            throw new IOException(name + String.format(": magic number 0x%08x at byte 0 marks %s file, ",
                    magic, kind.other() == Kind.IMAGES ? "an images" : "a labels") + expected);
        }
        if ((magic >>> 16) != 0) {
            throw new IOException(name + String.format(": not an IDX file: magic number 0x%08x at byte 0, ", magic)
                    + expected);
        }
        int type = (magic >>> 8) & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new IOException(name + String.format(
                    ": IDX element type 0x%02x (%s) at byte 2 is not supported, expected 0x08 (unsigned byte)",
                    type, typeName(type)));
        }
        throw new IOException(name + String.format(": IDX file with %d dimensions (magic number 0x%08x at byte 0), ",
                magic & 0xff, magic) + expected + " with " + kind.dimNames.length + " "
                + (kind.dimNames.length == 1 ? "dimension" : "dimensions"));
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0b -> "short";
            case 0x0c -> "int";
            case 0x0d -> "float";
            case 0x0e -> "double";
            default -> "unknown";
        };
    }

    private static int readInt(byte[] b, int offset) {
        return (b[offset] & 0xff) << 24 | (b[offset + 1] & 0xff) << 16 | (b[offset + 2] & 0xff) << 8
                | (b[offset + 3] & 0xff);
    }

    /** Counts the bytes delivered, so errors can say where the data ended. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
