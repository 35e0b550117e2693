package io.transfer4j.cli;

import io.transfer4j.util.Progress;
import picocli.CommandLine.Option;

/** Options every command takes. */
public final class CommonOptions {
    @Option(names = {"-q", "--quiet"}, description = "No progress bars on stderr.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Log details (INFO level) to stderr.")
    boolean verbose;

    Progress progress() {
        return quiet ? Progress.SILENT : Progress.console();
    }
}
