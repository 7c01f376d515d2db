package org.jvision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jvision.tensor.Shape;
import org.jvision.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafeTensorsTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------ round trip

    @Test
    void roundTripKeepsNamesOrderShapesBitsAndMetadata() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("zeta.scalar", Tensor.of(new float[] {3.5f})); // 0-d: shape [], one value
        tensors.put("conv1.kernel", Tensor.uniform(random, -1, 1, 3, 3, 2, 4));
        tensors.put("conv1.bias", Tensor.of(new float[] {
                Float.NaN, -0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE}, 6));
        tensors.put("empty", Tensor.zeros(0, 5));
        tensors.put("also.empty", Tensor.zeros(0));
        tensors.put("bn1.moving_mean/µ \"σ\"", Tensor.of(new float[] {0.5f, 1.5f}, 2)); // non-ASCII and a quote
        tensors.put("dense.kernel", Tensor.uniform(random, -1, 1, 40_000)); // more than one 64 KiB chunk
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "jvision");
        metadata.put("config", "{\"layers\": [\"conv\", \"dense\"],\n\t\"µ\": \"σ²\"}");
        metadata.put("", "empty key");

        Path path = dir.resolve("model.safetensors");
        SafeTensors.write(path, tensors, metadata);
        SafeTensorsFile file = SafeTensors.read(path);

        assertThat(file.tensors().keySet()).containsExactlyElementsOf(tensors.keySet());
        tensors.forEach((name, expected) -> {
            Tensor actual = file.tensor(name);
            assertThat(actual.shape()).as(name).isEqualTo(expected.shape());
            assertThat(bits(actual)).as(name).isEqualTo(bits(expected));
        });
        assertThat(file.tensor("zeta.scalar").shape()).isEqualTo(Shape.of());
        assertThat(file.metadata()).containsExactlyEntriesOf(metadata);
        assertThat(list(dir)).containsExactly(path);
    }

    @Test
    void writesOnlyTheTensorsOwnValuesOfALargerBuffer() throws IOException {
        Tensor view = new Tensor(Shape.of(2), new float[] {1, 2, 99, 99}); // a batch view over a bigger buffer
        Path path = dir.resolve("view.safetensors");
        SafeTensors.write(path, Map.of("x", view), null);
        assertThat(SafeTensors.read(path).tensor("x").toArray()).containsExactly(1, 2);
    }

    @Test
    void anEmptyFileHasNoTensorsAndNoMetadata() throws IOException {
        Path path = dir.resolve("empty.safetensors");
        SafeTensors.write(path, Map.of(), Map.of());
        // as the reference writer: "{}" and six spaces
        assertThat(Files.readAllBytes(path)).isEqualTo(concat(le64(8), ascii("{}      ")));
        SafeTensorsFile file = SafeTensors.read(path);
        assertThat(file.tensors()).isEmpty();
        assertThat(file.metadata()).isEmpty();
    }

    @Test
    void headerIsPaddedWithSpacesSoTheDataStartsAtAMultipleOf8() throws IOException {
        for (int nameLength = 1; nameLength <= 17; nameLength++) {
            Path path = dir.resolve("pad" + nameLength + ".safetensors");
            SafeTensors.write(path, Map.of("w".repeat(nameLength), Tensor.of(new float[] {1.0f}, 1)), Map.of());
            byte[] bytes = Files.readAllBytes(path);
            long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertThat((8 + n) % 8).as("name length %d", nameLength).isZero();
            String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
            String json = header.stripTrailing();
            assertThat(json).endsWith("}");
            assertThat(header.length() - json.length()).isBetween(0, 7);
            assertThat(bytes).hasSize((int) (8 + n + 4));
            assertThat(Arrays.copyOfRange(bytes, (int) (8 + n), bytes.length)).containsExactly(0, 0, 0x80, 0x3f);
        }
    }

    // ------------------------------------------------------------------ byte-exact with the reference

    /**
     * Bytes of the reference implementation's own tests (huggingface/safetensors, tensor.rs
     * test_serialization): "attn.0", F32 [1, 2, 3] = 0..5. The header is exactly 64 bytes.
     */
    private static byte[] referenceAttn() {
        return concat(
                le64(64),
                ascii("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}"),
                bytes(0, 0, 0, 0, /* 1.0 */ 0, 0, 0x80, 0x3f, /* 2.0 */ 0, 0, 0, 0x40,
                        /* 3.0 */ 0, 0, 0x40, 0x40, /* 4.0 */ 0, 0, 0x80, 0x40, /* 5.0 */ 0, 0, 0xa0, 0x40));
    }

    /** The same, but "attn0" [1, 1, 2, 3]: a 65-byte header padded with 7 spaces to 72. */
    private static byte[] referenceAttnPadded() {
        return concat(
                le64(72),
                ascii("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       "),
                bytes(0, 0, 0, 0, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40, 0, 0, 0x80, 0x40, 0, 0, 0xa0, 0x40));
    }

    /**
     * A file as Python's {@code save_file(..., metadata={"format": "pt"})} lays it out: compact JSON,
     * {@code __metadata__} first, tensors sorted by name, 155 bytes of JSON padded with 5 spaces.
     */
    private static byte[] pythonStyle() {
        return concat(
                le64(160),
                ascii("{\"__metadata__\":{\"format\":\"pt\"},"
                        + "\"a.kernel\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                        + "\"b.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}     "),
                bytes(/* 0.5 */ 0, 0, 0, 0x3f, /* -2 */ 0, 0, 0, 0xc0, /* 1.5 */ 0, 0, 0xc0, 0x3f, /* 3 */ 0, 0, 0x40, 0x40,
                        /* 0.25 */ 0, 0, 0x80, 0x3e, /* -1 */ 0, 0, 0x80, 0xbf));
    }

    @Test
    void writesExactlyTheBytesOfTheReferenceWriter() throws IOException {
        Path a = dir.resolve("a.safetensors");
        SafeTensors.write(a, Map.of("attn.0", Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3)), Map.of());
        assertThat(Files.readAllBytes(a)).isEqualTo(referenceAttn());

        Path b = dir.resolve("b.safetensors");
        SafeTensors.write(b, Map.of("attn0", Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 1, 2, 3)), Map.of());
        assertThat(Files.readAllBytes(b)).isEqualTo(referenceAttnPadded());

        Map<String, Tensor> sorted = new LinkedHashMap<>();
        sorted.put("a.kernel", Tensor.of(new float[] {0.5f, -2, 1.5f, 3}, 2, 2));
        sorted.put("b.bias", Tensor.of(new float[] {0.25f, -1}, 2));
        Path c = dir.resolve("c.safetensors");
        SafeTensors.write(c, sorted, Map.of("format", "pt"));
        assertThat(Files.readAllBytes(c)).isEqualTo(pythonStyle());
    }

    @Test
    void readsFilesAsThePythonWriterMakesThem() throws IOException {
        SafeTensorsFile attn = SafeTensors.read(write("attn.safetensors", referenceAttn()));
        assertThat(attn.tensor("attn.0").shape()).isEqualTo(Shape.of(1, 2, 3));
        assertThat(attn.tensor("attn.0").toArray()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(attn.metadata()).isEmpty();

        SafeTensorsFile padded = SafeTensors.read(write("attn0.safetensors", referenceAttnPadded()));
        assertThat(padded.tensor("attn0").shape()).isEqualTo(Shape.of(1, 1, 2, 3));

        SafeTensorsFile python = SafeTensors.read(write("python.safetensors", pythonStyle()));
        assertThat(python.tensors().keySet()).containsExactly("a.kernel", "b.bias");
        assertThat(python.tensor("a.kernel").toArray()).containsExactly(0.5f, -2, 1.5f, 3);
        assertThat(python.tensor("b.bias").toArray()).containsExactly(0.25f, -1);
        assertThat(python.metadata()).containsExactlyEntriesOf(Map.of("format", "pt"));
    }

    @Test
    void tensorsComeBackInFileOffsetOrderWhateverTheHeaderOrder() throws IOException {
        // Hand-written JSON: spaces, newlines, metadata last, entries out of offset order, an unknown field.
        String header = "{ \"second\": {\"data_offsets\": [8, 12], \"shape\": [], \"dtype\": \"F32\"},\n"
                + "  \"first\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8], \"note\": \"ignored\"},\n"
                + "  \"__metadata__\": {\"k\": \"v\"} }\n";
        Path path = write("order.safetensors", file(header, floats(1, 2, 3)));
        SafeTensorsFile file = SafeTensors.read(path);
        assertThat(file.tensors().keySet()).containsExactly("first", "second");
        assertThat(file.tensor("first").toArray()).containsExactly(1, 2);
        assertThat(file.tensor("second").toArray()).containsExactly(3);
        assertThat(file.tensor("second").shape()).isEqualTo(Shape.of());
        assertThat(file.metadata()).containsExactlyEntriesOf(Map.of("k", "v"));
    }

    // ------------------------------------------------------------------ bad input when writing

    @Test
    void writeRejectsTheReservedNameAndLeavesTheOldFile() throws IOException {
        Path path = write("model.safetensors", referenceAttn());
        assertThatThrownBy(() -> SafeTensors.write(path, Map.of("__metadata__", Tensor.zeros(1)), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("__metadata__");
        assertThat(Files.readAllBytes(path)).isEqualTo(referenceAttn());
        assertThat(list(dir)).containsExactly(path);
    }

    @Test
    void writeIntoAMissingDirectoryFailsWithoutLeavingFiles() {
        Path path = dir.resolve("missing/model.safetensors");
        assertThatThrownBy(() -> SafeTensors.write(path, Map.of("w", Tensor.zeros(2)), Map.of()))
                .isInstanceOf(IOException.class);
        assertThat(list(dir)).isEmpty();
    }

    // ------------------------------------------------------------------ bad files

    private static final String W = "\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}";
    private static final String B = "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}";

    static Stream<Arguments> corruptHeaders() {
        return Stream.of(
                bad("{\"w\":{\"shape\":[2,2],\"data_offsets\":[0,16]}}", 16, "tensor 'w' has no \"dtype\""),
                bad("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,16]}}", 16, "tensor 'w' has no \"shape\""),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2]}}", 16, "tensor 'w' has no \"data_offsets\""),
                bad("{\"w\":5}", 0, "tensor 'w': expected an object with dtype, shape and data_offsets, got 5"),
                bad("{\"w\":{\"dtype\":7,\"shape\":[2,2],\"data_offsets\":[0,16]}}", 16,
                        "tensor 'w': \"dtype\" must be a string, got 7"),
                bad("{\"w\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]}}", 8,
                        "tensor 'w' has dtype 'F16'; jvision reads only F32"),
                bad("{\"w\":{\"dtype\":\"f32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", 16, "tensor 'w' has dtype 'f32'"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":\"2x2\",\"data_offsets\":[0,16]}}", 16,
                        "tensor 'w': \"shape\" must be an array of integers, got \"2x2\""),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0,2],\"data_offsets\":[0,16]}}", 16,
                        "tensor 'w': \"shape\" must be an array of integers"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\",2],\"data_offsets\":[0,16]}}", 16,
                        "tensor 'w': \"shape\" must be an array of integers"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2,-2],\"data_offsets\":[0,16]}}", 16,
                        "tensor 'w': negative dimension -2 in shape [-2,-2]"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[3000000000],\"data_offsets\":[0,12000000000]}}", 0,
                        "tensor 'w': dimension 3000000000 in shape [3000000000] is too large"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[100000,100000,100000],\"data_offsets\":[0,16]}}", 16,
                        "tensor 'w': shape [100000,100000,100000] has more than"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":16}}", 16,
                        "tensor 'w': \"data_offsets\" must be [begin, end], two non-negative integers, got 16"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0]}}", 16, "\"data_offsets\" must be [begin, end]"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16,16]}}", 16, "\"data_offsets\" must be [begin, end]"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[-16,0]}}", 16, "\"data_offsets\" must be [begin, end]"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16.0]}}", 16, "\"data_offsets\" must be [begin, end]"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,18446744073709551616]}}", 16,
                        "\"data_offsets\" must be [begin, end]"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[16,0]}}", 16,
                        "tensor 'w': data_offsets [16, 0] end before they begin"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 12,
                        "tensor 'w': shape [2, 2] of F32 needs 16 bytes, but data_offsets [0, 12] span 12 bytes"),
                bad("{" + W + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16,
                        "tensor 'b' (data bytes 8..16) overlaps tensor 'w' (data bytes 0..16)"),
                bad("{" + W + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[20,28]}}", 28,
                        "data bytes 16..20 belong to no tensor (a hole between tensor 'w' (data bytes 0..16) and tensor 'b'"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[4,20]}}", 20,
                        "data bytes 0..4 belong to no tensor (a hole between the start of the data and tensor 'w'"),
                bad("{" + W + "," + B + "}", 20,
                        "truncated: header says tensor 'b' ends at byte 24 of the data, but the data has 20 bytes"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483639],\"data_offsets\":[0,8589934556]}}", 0,
                        "truncated: header says tensor 'w' ends at byte 8589934556 of the data, but the data has 0 bytes"),
                bad("{" + W + "," + B + "}", 30,
                        "6 unexpected bytes after the last tensor: the tensors cover 24 bytes of the data, but the data has 30"),
                bad("{}", 4, "4 unexpected bytes after the last tensor"),
                bad("{\"__metadata__\":{\"epochs\":10}}", 0, "metadata 'epochs' must be a string, got 10"),
                bad("{\"__metadata__\":{\"a\":\"b\",\"c\":null}}", 0, "metadata 'c' must be a string, got null"),
                bad("{\"__metadata__\":\"pt\"}", 0, "\"__metadata__\" must be an object of string values, got \"pt\""),
                bad("{\"w\":", 0, "the header is not valid JSON"),
                bad("{} x", 0, "the header is not valid JSON"),
                bad("{}}", 0, "the header is not valid JSON"),
                bad("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8,
                        "the header is not valid JSON: Duplicate field 'w'"),
                bad("[1,2]", 0, "the header does not start with '{' (byte 8 is 0x5b)"),
                bad(" {}", 0, "the header does not start with '{'"),
                bad("", 0, "the header is empty"));
    }

    private static Arguments bad(String header, int dataBytes, String message) {
        return Arguments.of(header, dataBytes, message);
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("corruptHeaders")
    void everyCorruptHeaderIsAnIOExceptionNamingFileAndProblem(String header, int dataBytes, String message)
            throws IOException {
        Path path = write("bad.safetensors", file(header, new byte[dataBytes]));
        assertThatThrownBy(() -> SafeTensors.read(path))
                .isExactlyInstanceOf(IOException.class)
                .hasMessageStartingWith(path + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void theGoodFileTheCorruptionsStartFromIsGood() throws IOException {
        // so that the corruptions above fail for their own reason, not for a broken base
        Path path = write("good.safetensors", file("{" + W + "," + B + "}", new byte[24]));
        assertThat(SafeTensors.read(path).tensors().keySet()).containsExactly("w", "b");
    }

    @Test
    void headerThatIsNotUtf8() throws IOException {
        byte[] header = concat(ascii("{\"w"), bytes(0xc3, 0x28), ascii("\":{}}"));
        Path path = write("latin.safetensors", concat(le64(header.length), header));
        assertThatThrownBy(() -> SafeTensors.read(path))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage(path + ": the header is not valid UTF-8: bad byte 0xc3 at byte 11 of the file");
    }

    @Test
    void headerLengthBeyondTheFileOrTheLimit() throws IOException {
        Path longer = write("longer.safetensors", concat(le64(100), ascii("{}  ")));
        assertThatThrownBy(() -> SafeTensors.read(longer)).isExactlyInstanceOf(IOException.class).hasMessage(longer
                + ": truncated: the header length is 100 bytes, but only 4 bytes follow the 8-byte length");

        Path huge = write("huge.safetensors", concat(le64(100_000_008), ascii("{}      ")));
        assertThatThrownBy(() -> SafeTensors.read(huge)).isExactlyInstanceOf(IOException.class)
                .hasMessageContaining(huge + ": header length 100000008 bytes exceeds the 100 MB limit");

        Path unsigned = write("unsigned.safetensors", concat(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), ascii("{}")));
        assertThatThrownBy(() -> SafeTensors.read(unsigned)).isExactlyInstanceOf(IOException.class)
                .hasMessageContaining("header length 18446744073709551615 bytes exceeds the 100 MB limit");
    }

    @Test
    void filesShorterThanTheLengthField() throws IOException {
        for (int size = 0; size < 8; size++) {
            Path path = write("short" + size + ".safetensors", new byte[size]);
            assertThatThrownBy(() -> SafeTensors.read(path)).isExactlyInstanceOf(IOException.class).hasMessage(path
                    + ": not a safetensors file: it is " + path.toFile().length()
                    + " bytes long, shorter than the 8-byte header length");
        }
    }

    @Test
    void aMissingFileIsAnIOException() {
        assertThatThrownBy(() -> SafeTensors.read(dir.resolve("nope.safetensors")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("nope.safetensors");
    }

    /** A good file of several tensors and metadata, as jvision writes it. */
    private byte[] goodFile() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("conv1.kernel", Tensor.uniform(new SplittableRandom(1), -1, 1, 2, 2, 1, 3));
        tensors.put("conv1.bias", Tensor.of(new float[] {0.1f, 0.2f, 0.3f}, 3));
        tensors.put("empty", Tensor.zeros(0, 3));
        tensors.put("step", Tensor.of(new float[] {42}));
        Path path = dir.resolve("source.safetensors");
        SafeTensors.write(path, tensors, Map.of("format", "jvision"));
        byte[] bytes = Files.readAllBytes(path);
        Files.delete(path);
        return bytes;
    }

    @Test
    void everyTruncationFailsCleanlyWithAnIOException() throws IOException {
        byte[] good = goodFile();
        Path path = dir.resolve("cut.safetensors");
        for (int length = 0; length < good.length; length++) {
            Files.write(path, Arrays.copyOf(good, length));
            Throwable thrown = catchThrowable(() -> SafeTensors.read(path));
            assertThat(thrown).as("file cut to %d of %d bytes", length, good.length)
                    .isExactlyInstanceOf(IOException.class)
                    .hasMessageStartingWith(path + ": ");
            if (length >= 8) {
                assertThat(thrown.getMessage()).as("cut to %d", length).contains("truncated");
            }
        }
        Files.write(path, good);
        assertThat(SafeTensors.read(path).tensors()).hasSize(4);
    }

    @Test
    void anyHeaderByteCorruptedEitherReadsOrFailsWithAnIOException() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("k", Tensor.of(new float[] {1, 2}, 2, 1));
        tensors.put("b", Tensor.of(new float[] {3}));
        Path path = dir.resolve("fuzz.safetensors");
        SafeTensors.write(path, tensors, Map.of("m", "v"));
        byte[] good = Files.readAllBytes(path);
        int headerEnd = good.length - 12; // the data (12 bytes) reads as floats whatever it holds
        List<String> failures = new ArrayList<>();
        int rejected = 0;
        for (int at = 0; at < headerEnd; at++) {
            for (byte replacement : bytes(0x00, '"', '9', '-', 0xff, good[at] ^ 0x01)) {
                byte[] corrupt = good.clone();
                corrupt[at] = replacement;
                Files.write(path, corrupt);
                Throwable thrown = catchThrowable(() -> SafeTensors.read(path));
                if (thrown != null && !(thrown instanceof IOException)) {
                    failures.add("byte " + at + " = " + replacement + ": " + thrown);
                }
                rejected += thrown == null ? 0 : 1;
            }
        }
        assertThat(failures).isEmpty();
        assertThat(rejected).isGreaterThan(headerEnd * 3);
    }

    // ------------------------------------------------------------------ helpers

    private Path write(String name, byte[] bytes) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, bytes);
        return path;
    }

    /** A file with the given header text (not padded) and data bytes. */
    private static byte[] file(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return concat(le64(json.length), json, data);
    }

    private static byte[] le64(long value) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        return b;
    }

    private static byte[] floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static int[] bits(Tensor t) {
        float[] values = t.toArray();
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
