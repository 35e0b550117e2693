package io.transfer4j.report;

import io.transfer4j.run.ModelResult;
import io.transfer4j.train.EpochLog;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The run report's charts, drawn by JFreeChart as PNG images. */
public final class Charts {
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** Loss per epoch (for a logistic probe, per solver iteration): training and validation, for the transferred and the scratch model. */
    /** @param scratch may be null (a pre-training run has none) */
    public static byte[] loss(ModelResult transfer, ModelResult scratch) {
        XYSeriesCollection d = new XYSeriesCollection();
        d.addSeries(series("transfer, train", transfer.training().history(), EpochLog::trainLoss));
        d.addSeries(series("transfer, validation", transfer.training().history(), EpochLog::validationLoss));
        if (scratch != null) {
            d.addSeries(series("scratch, train", scratch.training().history(), EpochLog::trainLoss));
            d.addSeries(series("scratch, validation", scratch.training().history(), EpochLog::validationLoss));
        }
        return png(chart("Loss per epoch", "loss", d, false));
    }

    /** Validation accuracy per epoch, transferred against scratch. */
    public static byte[] accuracy(ModelResult transfer, ModelResult scratch) {
        XYSeriesCollection d = new XYSeriesCollection();
        d.addSeries(series("transfer", transfer.training().history(), e -> 100 * e.validationAccuracy()));
        if (scratch != null) {
            d.addSeries(series("scratch", scratch.training().history(), e -> 100 * e.validationAccuracy()));
        }
        return png(chart("Validation accuracy per epoch", "accuracy (%)", d, true));
    }

    private static XYSeries series(String name, List<EpochLog> history, ToDoubleFunction<EpochLog> f) {
        XYSeries s = new XYSeries(name);
        history.forEach(e -> s.add(e.epoch(), f.applyAsDouble(e)));
        return s;
    }

    private static JFreeChart chart(String title, String yLabel, XYSeriesCollection data, boolean percent) {
        NumberAxis x = new NumberAxis("epoch (a logistic probe: L-BFGS iteration)");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesPaint(i, COLOURS[i % COLOURS.length]);
            r.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                    i % 2 == 1 && !percent ? new float[] {6f, 4f} : null, 0f));
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart c = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        c.setBackgroundPaint(Color.WHITE);
        return c;
    }

    private static byte[] png(JFreeChart c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, c, 720, 400);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
