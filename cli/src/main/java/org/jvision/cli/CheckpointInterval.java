package org.jvision.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --checkpoint-every}: {@code N} or {@code Ne} for every N epochs, {@code Nb} for every N
 * batches (steps), {@code 0} for no checkpoints.
 */
record CheckpointInterval(int epochs, int batches) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*(e|epochs?|b|batch(es)?)?");

    static CheckpointInterval parse(String spec) {
        Matcher m = FORM.matcher(spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--checkpoint-every '" + spec + "': expected a count of epochs (e.g. 1 or 2e), of batches"
                    + " (e.g. 500b), or 0 for none");
        }
        int n = Integer.parseInt(m.group(1));
        boolean batches = m.group(2) != null && m.group(2).startsWith("b");
        return batches ? new CheckpointInterval(0, n) : new CheckpointInterval(n, 0);
    }

    boolean enabled() {
        return epochs > 0 || batches > 0;
    }
}
