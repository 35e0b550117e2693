package io.transfer4j.util;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Where long work reports how far it has got. The library takes one of these so that the CLI can
 * show bars (rate and ETA on stderr) and a Java caller can stay silent or hook its own display.
 */
public interface Progress {
    /** One unit of long work, e.g. "embedding" over 1,600 texts. */
    interface Task extends AutoCloseable {
        void step(long n);

        /** Free text shown after the bar, e.g. the current validation accuracy. */
        default void message(String text) {}

        @Override
        void close();
    }

    Task start(String name, long total, String unit);

    Progress SILENT = (name, total, unit) -> new Task() {
        @Override
        public void step(long n) {}

        @Override
        public void close() {}
    };

    /**
     * Progress bars on stderr with rate and ETA, drawn by the progressbar library: redrawn in place
     * on a terminal, one line every 10 seconds when stderr goes to a file or pipe.
     */
    static Progress console() {
        boolean terminal = System.console() != null;
        return (name, total, unit) -> {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(name)
                    .setInitialMax(total)
                    .setUnit(" " + unit, 1)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(terminal ? 250 : 10_000)
                    .setConsumer(terminal ? new ConsoleProgressBarConsumer(System.err)
                            : new DelegatingProgressBarConsumer(System.err::println, 100))
                    .continuousUpdate()
                    .build();
            return new Task() {
                @Override
                public void step(long n) {
                    bar.stepBy(n);
                }

                @Override
                public void message(String text) {
                    // the bar prints its message straight after the rate ("12 steps/s"): keep them apart
                    bar.setExtraMessage(text.isEmpty() ? text : " " + text);
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        };
    }
}
