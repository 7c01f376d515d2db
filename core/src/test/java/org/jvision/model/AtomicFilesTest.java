package org.jvision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void createsANewFile() throws IOException {
        Path target = dir.resolve("history.json");
        AtomicFiles.writeAtomically(target, out -> out.write("{\"loss\":[1.5]}".getBytes(StandardCharsets.UTF_8)));
        assertThat(target).hasContent("{\"loss\":[1.5]}");
        assertThat(list(dir)).containsExactly(target);
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.writeString(target, "old content that is longer than the new one");
        AtomicFiles.writeString(target, "new");
        assertThat(target).hasContent("new");
        assertThat(list(dir)).containsExactly(target);
    }

    @Test
    void writeStringIsUtf8() throws IOException {
        Path target = dir.resolve("notes.txt");
        AtomicFiles.writeString(target, "µ=0.5, σ²=2 — ok ✓");
        assertThat(Files.readAllBytes(target)).isEqualTo("µ=0.5, σ²=2 — ok ✓".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesToATempFileInTheSameDirectoryAndNeverShowsAHalfWrittenTarget() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.writeString(target, "old");
        AtomicFiles.writeAtomically(target, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            out.flush();
            // midway: the target still holds the old file, the new bytes sit in one temp file beside it
            assertThat(target).hasContent("old");
            List<Path> files = list(dir);
            assertThat(files).hasSize(2).contains(target);
            Path temp = files.stream().filter(p -> !p.equals(target)).findFirst().orElseThrow();
            assertThat(temp.getParent()).isEqualTo(dir);
            assertThat(temp.getFileName().toString()).startsWith(".model.safetensors.").endsWith(".tmp");
            assertThat(temp).hasContent("half");
            out.write(" and whole".getBytes(StandardCharsets.UTF_8));
        });
        assertThat(target).hasContent("half and whole");
        assertThat(list(dir)).containsExactly(target);
    }

    @Test
    void anIOExceptionMidwayLeavesThePreviousFileAndNoTempFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Files.writeString(target, "previous weights");
        IOException failure = new IOException("disk full");
        assertThatThrownBy(() -> AtomicFiles.writeAtomically(target, out -> {
            out.write(new byte[200_000]); // past the buffer: some of it reaches the temp file
            throw failure;
        })).isSameAs(failure);
        assertThat(target).hasContent("previous weights");
        assertThat(list(dir)).containsExactly(target);
    }

    @Test
    void anUncheckedExceptionMidwayLeavesThePreviousFileAndNoTempFile() throws IOException {
        Path target = dir.resolve("history.json");
        Files.writeString(target, "[]");
        assertThatThrownBy(() -> AtomicFiles.writeAtomically(target, out -> {
            out.write("[1, 2".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("bug in the writer");
        })).isInstanceOf(IllegalStateException.class).hasMessage("bug in the writer");
        assertThat(target).hasContent("[]");
        assertThat(list(dir)).containsExactly(target);
    }

    @Test
    void aFailureWhenNoFileExistedLeavesNoFileAtAll() {
        Path target = dir.resolve("new.json");
        assertThatThrownBy(() -> AtomicFiles.writeAtomically(target, out -> {
            out.write(1);
            throw new IOException("boom");
        })).hasMessage("boom");
        assertThat(list(dir)).isEmpty();
    }

    @Test
    void closingTheStreamEarlyIsHarmless() throws IOException {
        Path target = dir.resolve("a.txt");
        AtomicFiles.writeAtomically(target, out -> {
            out.write('x');
            out.close();
            out.write('y'); // still open underneath: we close it after the writer returns
        });
        assertThat(target).hasContent("xy");
    }

    @Test
    void aMissingDirectoryIsAnIOExceptionAndCreatesNothing() {
        Path target = dir.resolve("no/such/dir/model.safetensors");
        assertThatThrownBy(() -> AtomicFiles.writeString(target, "x")).isInstanceOf(NoSuchFileException.class);
        assertThat(list(dir)).isEmpty();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
