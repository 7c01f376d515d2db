package org.jvision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jvision.model.ModelFile;
import org.jvision.training.TrainingCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: {@code jvision train} in its own JVM, killed with SIGKILL in the middle of an
 * epoch as soon as it has written a checkpoint, then {@code jvision train --resume} on its folder,
 * ends with exactly the weights and history (timings aside) of the same run never interrupted.
 */
class KillAndResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static List<String> trainArguments(Path out) {
        return List.of("train", "--data", "sample", "--model", "lenet5", "--epochs", "2", "--seed", "5", "--threads", "1",
                "--dropout", "0.2", "--l2", "1e-4", "--lr-schedule", "cosine", "--checkpoint-every", "7b", "--no-progress",
                "--out", out.toString());
    }

    @Test
    void aRunKilledMidEpochAndResumedEndsAsAnUninterruptedOne() throws Exception {
        Path reference = tmp.resolve("reference");
        CliRun whole = CliRun.of(trainArguments(reference).toArray(String[]::new));
        assertThat(whole.exitCode()).as(whole.toString()).isZero();

        Path killed = tmp.resolve("killed");
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "--add-modules=jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(trainArguments(killed));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("killed.log").toFile()).start();
        Path checkpoint = killed.resolve(TrainingRun.CHECKPOINT);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(checkpoint) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(process.isAlive()).as("the run was still going when its first checkpoint appeared; log:%n%s",
                Files.exists(tmp.resolve("killed.log")) ? Files.readString(tmp.resolve("killed.log")) : "").isTrue();
        process.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no chance to tidy up
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(137);
        assertThat(killed.resolve("model.safetensors")).doesNotExist();
        TrainingCheckpoint left = TrainingCheckpoint.read(checkpoint);
        assertThat(left.position().epoch()).isEqualTo(1); // killed in the first of the two epochs
        assertThat(left.position().batch()).isPositive();

        CliRun resumed = CliRun.of("train", "--resume", killed.toString(), "--no-progress");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("Resuming at epoch 1, batch " + left.position().batch());

        var expected = ModelFile.load(reference.resolve("model.safetensors")).model().namedState();
        var got = ModelFile.load(killed.resolve("model.safetensors")).model().namedState();
        assertThat(got.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String name : expected.keySet()) {
            assertThat(got.get(name).value().toArray()).as(name).containsExactly(expected.get(name).value().toArray());
        }
        assertThat(withoutTimings(killed.resolve("history.json"))).isEqualTo(withoutTimings(reference.resolve("history.json")));
        assertThat(csvWithoutTimings(killed.resolve("history.csv"))).isEqualTo(csvWithoutTimings(reference.resolve("history.csv")));
    }

    @Test
    void resumeRefusesOptionsThatWouldChangeTheRunAndNamesWhatIsMissing() throws Exception {
        CliRun missing = CliRun.of("train", "--resume", tmp.resolve("nothing").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no checkpoint.safetensors");
        Path run = tmp.resolve("run");
        CliRun first = CliRun.of("train", "--data", "sample", "--model", "mlp", "--epochs", "1", "--no-progress", "--out", run.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        CliRun changed = CliRun.of("train", "--resume", run.toString(), "--lr", "0.1");
        assertThat(changed.exitCode()).isEqualTo(1);
        assertThat(changed.err()).contains("drop --lr");
        CliRun more = CliRun.of("train", "--resume", run.toString(), "--epochs", "2", "--no-progress");
        assertThat(more.exitCode()).as(more.toString()).isZero();
        assertThat(more.out()).contains("Resuming at epoch 2, batch 0", "Epoch 2/2");
        assertThat(JSON.readTree(run.resolve("history.json").toFile()).get("epochs")).hasSize(2);
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + File.separator + "bin"
                + File.separator + "java");
    }

    private static JsonNode withoutTimings(Path history) throws Exception {
        JsonNode root = JSON.readTree(history.toFile());
        for (JsonNode epoch : root.get("epochs")) {
            ((ObjectNode) epoch).remove("seconds");
        }
        return root;
    }

    private static List<String> csvWithoutTimings(Path csv) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            rows.add(line.substring(0, line.lastIndexOf(',')));
        }
        return rows;
    }
}
