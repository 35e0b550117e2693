package io.transfer4j.spark;

import io.transfer4j.util.Progress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Spark's long stages as transfer4j progress bars (tasks done, rate and ETA on stderr), in place of
 * Spark's own console bar, which has no ETA. A stage gets its bar once it has run for
 * {@link #QUIET_MILLIS}: the dozens of sub-second stages of counts and collects stay silent.
 * Runs on the driver's listener thread.
 */
public final class StageProgress extends SparkListener {
    static final long QUIET_MILLIS = 2_000;
    private final Progress progress;
    private final Map<Integer, Stage> open = new ConcurrentHashMap<>();

    private static final class Stage {
        final String name;
        final int tasks;
        final long started = System.nanoTime();
        int done;
        Progress.Task bar;

        Stage(String name, int tasks) {
            this.name = name;
            this.tasks = tasks;
        }
    }

    public StageProgress(Progress progress) {
        this.progress = progress;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        String name = e.stageInfo().name();
        int at = name.indexOf(" at ");
        open.put(e.stageInfo().stageId(), new Stage("spark stage " + e.stageInfo().stageId() + " ("
                + (at > 0 ? name.substring(0, at) : name) + ")", e.stageInfo().numTasks()));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        Stage s = open.get(e.stageId());
        if (s == null) {
            return;
        }
        s.done++;
        if (s.bar == null && (System.nanoTime() - s.started) / 1_000_000 >= QUIET_MILLIS) {
            s.bar = progress.start(s.name, s.tasks, "tasks");
            s.bar.step(s.done);
        } else if (s.bar != null) {
            s.bar.step(1);
        }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted e) {
        Stage s = open.remove(e.stageInfo().stageId());
        if (s != null && s.bar != null) {
            s.bar.close();
        }
    }
}
