package org.jvision.model;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader sees either the old content or the new one, never a half-written
 * file: model files, checkpoints and {@code history.json} survive a crash or a full disk mid-write.
 *
 * <p>How: the content goes to a temporary file in the target's own directory (so the rename
 * below stays on one file system), is flushed to disk, and is then renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}. Where the file system cannot rename atomically, a plain
 * replacing move is used instead (the old file is still intact until that move). If the writer
 * or any step fails, the temporary file is deleted and the target is left as it was.
 *
 * <p>The temporary file is named {@code .<target name>.<random>.tmp}. It is created with the
 * process's default permissions (as a plain {@code new FileOutputStream} would), not the
 * owner-only permissions of {@link Files#createTempFile}; the permissions of a file being
 * replaced are not carried over. A symbolic link at the target is replaced by a regular file.
 */
public final class AtomicFiles {
    /** How many random temporary names to try before giving up (a clash is already unlikely). */
    private static final int TEMP_NAME_ATTEMPTS = 16;
    private static final int BUFFER_BYTES = 1 << 16;

    /** A consumer that may throw {@link IOException}: the body that writes the file's content. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T value) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Creates or replaces {@code target} with what {@code writer} writes to the stream it is given.
     * The stream is buffered; the writer need not close it (closing it early is harmless).
     * Exceptions thrown by the writer propagate unchanged, after the temporary file is removed.
     *
     * @throws IOException if the directory does not exist or is not writable, or writing,
     *     flushing or renaming fails; {@code target} is then unchanged
     */
    public static void writeAtomically(Path target, IOConsumer<? super OutputStream> writer) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(writer, "writer");
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        if (directory == null || absolute.getFileName() == null) {
            throw new IOException(target + ": not a file path (it has no parent directory)");
        }
        String name = absolute.getFileName().toString();
        FileChannel channel = null;
        Path temp = null;
        try {
            for (int attempt = 1; channel == null; attempt++) {
                Path candidate = directory.resolve("." + name + "."
                        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
                try {
                    channel = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    temp = candidate; // ours from here on, so ours to delete
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= TEMP_NAME_ATTEMPTS) {
                        throw e;
                    }
                }
            }
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
            writer.accept(new KeepOpen(out));
            out.flush();
            channel.force(true); // the data is on disk before the name points at it
            channel.close();
            channel = null;
            move(temp, absolute);
            temp = null;
            syncDirectory(directory);
        } catch (IOException | RuntimeException | Error e) {
            cleanUp(channel, temp, e);
            throw e;
        }
    }

    /** Creates or replaces {@code target} with {@code text} in UTF-8, atomically. */
    public static void writeString(Path target, String text) throws IOException {
        Objects.requireNonNull(text, "text");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writeAtomically(target, out -> out.write(bytes));
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Makes the rename itself durable (POSIX needs an fsync of the directory). Best effort: some
     * platforms (Windows) cannot open a directory this way, and the file is already in place.
     */
    private static void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | RuntimeException ignored) {
            // not supported here; the rename has happened, only its durability is not forced
        }
    }

    private static void cleanUp(FileChannel channel, Path temp, Throwable failure) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** Hands the writer a stream whose close() only flushes: closing and syncing is our job. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len); // FilterOutputStream would write byte by byte
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
