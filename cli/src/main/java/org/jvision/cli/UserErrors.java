package org.jvision.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.jvision.training.TrainingDivergedException;
import picocli.CommandLine;

/**
 * Turns the user's mistakes (a bad file, a shape mismatch, diverged training) into one line on
 * stderr and exit code 1. Only a bug in jvision itself shows a stack trace.
 */
final class UserErrors implements CommandLine.IExecutionExceptionHandler {
    static final int BAD_INPUT = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) throws Exception {
        String message = describe(e);
        if (message == null) {
            throw e;
        }
        // One line: multi-line explanations are joined so logs and scripts see a single record.
        cli.getErr().println("jvision " + cli.getCommandName() + ": " + message.replaceAll("\\s*\\n\\s*", "; "));
        return BAD_INPUT;
    }

    /** The message for a user-facing failure, or null for a bug. */
    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException nsf) {
            return "no such file: " + nsf.getFile();
        }
        if (e instanceof UncheckedIOException u) {
            return describe(u.getCause());
        }
        if (e instanceof IOException || e instanceof IllegalArgumentException || e instanceof TrainingDivergedException) {
            return e.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory: try a smaller --batch-size, or give the JVM more with JVISION_JAVA_OPTS=-Xmx8g";
        }
        return null;
    }
}
