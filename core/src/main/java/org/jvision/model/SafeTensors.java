package org.jvision.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
 * the weight file that PyTorch, Hugging Face and jvision share.
 *
 * <pre>
 * [8 bytes]  N, the header length: unsigned 64-bit little-endian
 * [N bytes]  header: UTF-8 JSON object, padded with spaces so that 8 + N is a multiple of 8
 *            {"__metadata__": {"key": "string value", ...},
 *             "conv1.kernel": {"dtype": "F32", "shape": [3, 3, 1, 8], "data_offsets": [0, 288]}, ...}
 * [rest]     the data: each tensor's values, row-major, little-endian, at data_offsets [begin, end)
 *            counted from the start of the data; the tensors tile the data with no gap or overlap
 * </pre>
 *
 * <p>jvision writes only {@code F32} and reads only {@code F32}. The writer lays the tensors out
 * in the order of the map it is given; given names in sorted order, it produces the same bytes as
 * the Python/Rust writer (compact JSON, {@code __metadata__} first, space padding).
 *
 * <p>Reading trusts nothing in the file. Every length and offset is checked against the file's
 * real size before anything is allocated or read, the header is capped at 100 MB (the reference
 * implementation's limit), and the data is read through a fixed 64 KiB buffer. A bad file gives an
 * {@link IOException} whose message names the file, the tensor and the offending bytes, never an
 * unchecked exception. Nothing in the file is executed or interpreted beyond these rules.
 */
public final class SafeTensors {
    /** The largest header accepted, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The only dtype jvision reads and writes. */
    public static final String F32 = "F32";

    private static final String METADATA_KEY = "__metadata__";
    private static final int LENGTH_BYTES = 8;
    private static final int FLOAT_BYTES = Float.BYTES;
    private static final int CHUNK_BYTES = 1 << 16;
    /** The largest float[] a JVM reliably allocates. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Longest piece of a name or JSON value quoted in an error message. */
    private static final int QUOTE_LIMIT = 80;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // a tensor named twice is an error, not "last wins"
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // only spaces may follow the object
            .build();

    private SafeTensors() {}

    /** One tensor's header entry, checked on its own (the layout is checked across entries). */
    private record Entry(String name, Shape shape, long begin, long end) {
        String describe() {
            return "tensor " + quote(name) + " (data bytes " + begin + ".." + end + ")";
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code tensors} as F32, in the map's iteration order, with {@code metadata} as the
     * {@code __metadata__} map (left out when empty). The file appears atomically: a reader of
     * {@code path} sees the old file or the complete new one.
     *
     * @throws IllegalArgumentException if a name is {@code __metadata__} or a key or value is null
     * @throws IOException if the file cannot be written; {@code path} is then unchanged
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(tensors, "tensors");
        Map<String, String> meta = metadata == null ? Map.of() : metadata;
        List<Tensor> order = new ArrayList<>(tensors.size());
        byte[] header = header(tensors, meta, order);
        AtomicFiles.writeAtomically(path, out -> {
            out.write(ByteBuffer.allocate(LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : order) {
                writeFloats(out, t.data(), t.size(), chunk);
            }
        });
    }

    /** The header bytes, padded; fills {@code order} with the tensors in data order. */
    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata, List<Tensor> order)
            throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach((key, value) -> {
                if (key == null || value == null) {
                    throw new IllegalArgumentException(
                            "safetensors metadata needs non-null keys and values, got " + key + "=" + value);
                }
                meta.put(key, value);
            });
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null || t == null) {
                throw new IllegalArgumentException("safetensors needs non-null names and tensors, got " + name + "=" + t);
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("'" + METADATA_KEY + "' is reserved for metadata, not a tensor name");
            }
            long bytes = (long) t.size() * FLOAT_BYTES;
            ObjectNode info = root.putObject(name);
            info.put("dtype", F32);
            ArrayNode shape = info.putArray("shape");
            for (int d : t.shape().dims()) {
                shape.add(d);
            }
            info.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
            order.add(t);
        }
        byte[] json = JSON.writeValueAsBytes(root);
        int padded = json.length + (LENGTH_BYTES - json.length % LENGTH_BYTES) % LENGTH_BYTES;
        if (padded > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("safetensors header would be " + padded
                    + " bytes, over the " + MAX_HEADER_BYTES + "-byte limit readers enforce");
        }
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private static void writeFloats(OutputStream out, float[] values, int count, ByteBuffer chunk) throws IOException {
        FloatBuffer floats = chunk.clear().asFloatBuffer(); // a little-endian view of the chunk's bytes
        for (int from = 0; from < count; ) {
            int n = Math.min(count - from, floats.capacity());
            floats.clear();
            floats.put(values, from, n);
            out.write(chunk.array(), 0, n * FLOAT_BYTES);
            from += n;
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads a safetensors file of F32 tensors.
     *
     * @return the tensors in the order of their data in the file, and the metadata
     * @throws IOException if the file cannot be read or breaks any rule of the format; the message
     *     names the file and the problem
     */
    public static SafeTensorsFile read(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (fileSize < LENGTH_BYTES) {
                throw error(path, "not a safetensors file: it is %d bytes long, shorter than the 8-byte header length",
                        fileSize);
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(path, channel, lengthBytes, "the header length");
            long headerLength = lengthBytes.getLong(0); // unsigned: "negative" means >= 2^63
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw error(path, "header length %s bytes exceeds the 100 MB limit (%d bytes); not a safetensors file?",
                        Long.toUnsignedString(headerLength), MAX_HEADER_BYTES);
            }
            if (headerLength > fileSize - LENGTH_BYTES) {
                throw error(path, "truncated: the header length is %d bytes, but only %d bytes follow the 8-byte length",
                        headerLength, fileSize - LENGTH_BYTES);
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(path, channel, headerBytes, "the header");
            JsonNode root = parseJson(path, headerBytes.array());
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = parseEntries(path, root, metadata);
            long dataLength = fileSize - LENGTH_BYTES - headerLength;
            checkLayout(path, entries, dataLength);
            return new SafeTensorsFile(readData(path, channel, entries), metadata);
        }
    }

    private static JsonNode parseJson(Path path, byte[] header) throws IOException {
        if (header.length == 0) {
            throw error(path, "the header is empty (length 0); expected a JSON object");
        }
        if (header[0] != '{') {
            throw error(path, "the header does not start with '{' (byte 8 is 0x%02x); not a safetensors file?",
                    header[0] & 0xff);
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(header);
        CharBuffer text = CharBuffer.allocate(header.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = utf8.decode(in, text, true);
        if (!result.isError()) {
            result = utf8.flush(text);
        }
        if (result.isError()) {
            throw error(path, "the header is not valid UTF-8: bad byte 0x%02x at byte %d of the file",
                    header[in.position()] & 0xff, LENGTH_BYTES + in.position());
        }
        try {
            return JSON.readTree(text.flip().toString());
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw error(path, "the header is not valid JSON: %s%s", e.getOriginalMessage(),
                    where == null ? "" : " (at character " + (where.getCharOffset() + 1) + " of the header)");
        }
    }

    /** Checks each entry on its own and collects the metadata; the entries come back in header order. */
    private static List<Entry> parseEntries(Path path, JsonNode root, Map<String, String> metadata)
            throws IOException {
        if (!root.isObject()) {
            throw error(path, "the header is a JSON %s, expected an object", root.getNodeType().toString().toLowerCase());
        }
        List<Entry> entries = new ArrayList<>(root.size());
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                parseMetadata(path, field.getValue(), metadata);
            } else {
                entries.add(parseEntry(path, field.getKey(), field.getValue()));
            }
        }
        return entries;
    }

    private static void parseMetadata(Path path, JsonNode node, Map<String, String> metadata) throws IOException {
        if (node.isNull()) {
            return; // the reference implementation reads null as "no metadata"
        }
        if (!node.isObject()) {
            throw error(path, "\"%s\" must be an object of string values, got %s", METADATA_KEY, show(node));
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw error(path, "metadata %s must be a string, got %s", quote(field.getKey()), show(field.getValue()));
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
    }

    private static Entry parseEntry(Path path, String name, JsonNode node) throws IOException {
        String tensor = "tensor " + quote(name);
        if (!node.isObject()) {
            throw error(path, "%s: expected an object with dtype, shape and data_offsets, got %s", tensor, show(node));
        }
        JsonNode dtype = required(path, tensor, node, "dtype");
        if (!dtype.isTextual()) {
            throw error(path, "%s: \"dtype\" must be a string, got %s", tensor, show(dtype));
        }
        if (!dtype.textValue().equals(F32)) {
            throw error(path, "%s has dtype %s; jvision reads only F32 (float32) tensors", tensor, quote(dtype.textValue()));
        }
        Shape shape = parseShape(path, tensor, required(path, tensor, node, "shape"));
        JsonNode offsets = required(path, tensor, node, "data_offsets");
        long begin = offsets.isArray() && offsets.size() == 2 ? nonNegativeLong(offsets.get(0)) : -1;
        long end = offsets.isArray() && offsets.size() == 2 ? nonNegativeLong(offsets.get(1)) : -1;
        if (begin < 0 || end < 0) {
            throw error(path, "%s: \"data_offsets\" must be [begin, end], two non-negative integers, got %s",
                    tensor, show(offsets));
        }
        if (end < begin) {
            throw error(path, "%s: data_offsets [%d, %d] end before they begin", tensor, begin, end);
        }
        long expected = (long) shape.size() * FLOAT_BYTES;
        if (end - begin != expected) {
            throw error(path, "%s: shape %s of F32 needs %d bytes, but data_offsets [%d, %d] span %d bytes",
                    tensor, shape, expected, begin, end, end - begin);
        }
        return new Entry(name, shape, begin, end);
    }

    private static JsonNode required(Path path, String tensor, JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null) {
            throw error(path, "%s has no \"%s\" (an entry needs dtype, shape and data_offsets)", tensor, field);
        }
        return value;
    }

    private static Shape parseShape(Path path, String tensor, JsonNode node) throws IOException {
        if (!node.isArray()) {
            throw error(path, "%s: \"shape\" must be an array of integers, got %s", tensor, show(node));
        }
        int[] dims = new int[node.size()];
        long elements = 1;
        boolean empty = false;
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber()) {
                throw error(path, "%s: \"shape\" must be an array of integers, got %s", tensor, show(node));
            }
            if (d.bigIntegerValue().signum() < 0) {
                throw error(path, "%s: negative dimension %s in shape %s", tensor, d.bigIntegerValue(), show(node));
            }
            if (!d.canConvertToInt()) {
                throw error(path, "%s: dimension %s in shape %s is too large for a jvision tensor",
                        tensor, d.bigIntegerValue(), show(node));
            }
            dims[i] = d.intValue();
            empty |= dims[i] == 0;
            elements = Math.min(elements * Math.max(dims[i], 1), MAX_ELEMENTS + 1); // both <= 2^31: no overflow
        }
        if (!empty && elements > MAX_ELEMENTS) {
            throw error(path, "%s: shape %s has more than %d elements, more than a jvision tensor holds",
                    tensor, show(node), MAX_ELEMENTS);
        }
        return Shape.of(dims);
    }

    /** The value if it is an integer in [0, 2^63), else -1. */
    private static long nonNegativeLong(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0 ? node.longValue() : -1;
    }

    /**
     * The tensors must tile the data exactly: sorted by offset, each begins where the previous one
     * ended, the first at 0, the last at the end of the file.
     */
    private static void checkLayout(Path path, List<Entry> entries, long dataLength) throws IOException {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end)); // stable
        long covered = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.begin() < covered) {
                throw error(path, "%s overlaps %s", e.describe(), previous.describe());
            }
            if (e.begin() > covered) {
                throw error(path, "data bytes %d..%d belong to no tensor (a hole between %s and %s)",
                        covered, e.begin(), previous == null ? "the start of the data" : previous.describe(),
                        e.describe());
            }
            if (e.end() > dataLength) {
                throw error(path, "truncated: header says tensor %s ends at byte %d of the data, but the data has %d bytes",
                        quote(e.name()), e.end(), dataLength);
            }
            covered = e.end();
            previous = e;
        }
        if (covered < dataLength) {
            throw error(path, "%d unexpected bytes after the last tensor: the tensors cover %d bytes of the data, "
                    + "but the data has %d", dataLength - covered, covered, dataLength);
        }
    }

    /** Reads the checked, contiguous data in order through one fixed-size buffer. */
    private static LinkedHashMap<String, Tensor> readData(Path path, FileChannel channel, List<Entry> entries)
            throws IOException {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : entries) {
            float[] values = new float[e.shape().size()];
            for (int from = 0; from < values.length; ) {
                int n = Math.min(values.length - from, CHUNK_BYTES / FLOAT_BYTES);
                chunk.clear().limit(n * FLOAT_BYTES);
                readFully(path, channel, chunk, "tensor " + quote(e.name()));
                chunk.flip();
                chunk.asFloatBuffer().get(values, from, n);
                from += n;
            }
            tensors.put(e.name(), new Tensor(e.shape(), values));
        }
        return tensors;
    }

    private static void readFully(Path path, FileChannel channel, ByteBuffer buffer, String what) throws IOException {
        while (buffer.hasRemaining()) {
            long at = channel.position();
            if (channel.read(buffer) < 0) {
                throw error(path, "truncated: the file ended at byte %d while reading %s (did it change while being read?)",
                        at, what);
            }
        }
    }

    private static IOException error(Path path, String format, Object... args) {
        return new IOException(path + ": " + format.formatted(args));
    }

    /** A name from the file, quoted and cut short: it may be huge or hold control characters. */
    private static String quote(String s) {
        return "'" + cut(s) + "'";
    }

    private static String show(JsonNode node) {
        return cut(node.toString());
    }

    private static String cut(String s) {
        String shown = s.length() > QUOTE_LIMIT ? s.substring(0, QUOTE_LIMIT) + "..." : s;
        StringBuilder sb = new StringBuilder(shown.length());
        shown.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }
}
