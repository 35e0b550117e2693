package io.transfer4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A multinomial logistic model's mean cross-entropy on rows kept in native memory, in double
 * precision, plus {@code lambda/2 |W|^2} (the bias is not penalised), with its gradient. The
 * parameters are {@code theta = [W row-major (classes x width), b (classes)]}. The rows carry a
 * trailing 1, so that W and b are one {@code classes x (width + 1)} matrix: an evaluation is two
 * matrix products and a softmax on PyTorch's BLAS, and only theta, the loss and the gradient cross JNI.
 */
final class LogisticObjective implements AutoCloseable {
    private final NDManager manager;
    private final NDArray x;
    private final NDArray oneHot;
    private final int[] labels;
    private final int rows;
    private final int width;
    private final int classes;

    LogisticObjective(float[][] features, int[] labels, int classes) {
        this.rows = features.length;
        this.width = features[0].length;
        this.classes = classes;
        this.labels = labels.clone();
        manager = NDManager.newBaseManager("PyTorch");
        try {
            try (NDManager tmp = manager.newSubManager()) {
                NDArray f = tmp.create(features).toType(DataType.FLOAT64, false);
                x = f.concat(tmp.ones(new Shape(rows, 1), DataType.FLOAT64), 1);
                x.attach(manager);
            }
            double[] y = new double[rows * classes];
            for (int i = 0; i < rows; i++) {
                y[i * classes + labels[i]] = 1;
            }
            oneHot = manager.create(y, new Shape(rows, classes));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    int parameters() {
        return classes * width + classes;
    }

    int rows() {
        return rows;
    }

    /** The regularised objective at {@code theta}; its gradient goes into {@code gradient}. */
    double value(double[] theta, double lambda, double[] gradient) {
        int kd = classes * width;
        try (NDManager step = manager.newSubManager()) {
            // results of ops land on their first operand's manager: the step's, freed when it closes
            x.tempAttach(step);
            oneHot.tempAttach(step);
            NDArray logP = logProbabilities(step, theta);
            double loss = -oneHot.mul(logP).sum().getDouble() / rows;
            // [dW | db] in one product: the trailing column of x is the bias's
            double[] g = logP.exp().sub(oneHot).transpose().matMul(x).toDoubleArray();
            double penalty = 0;
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j < width; j++) {
                    double w = theta[c * width + j];
                    penalty += w * w;
                    gradient[c * width + j] = g[c * (width + 1) + j] / rows + lambda * w;
                }
                gradient[kd + c] = g[c * (width + 1) + width] / rows;
            }
            return loss + 0.5 * lambda * penalty;
        }
    }

    /** {@code log softmax(x [W | b]^T)}, on {@code step}. */
    private NDArray logProbabilities(NDManager step, double[] theta) {
        int kd = classes * width;
        double[] wb = new double[classes * (width + 1)];
        for (int c = 0; c < classes; c++) {
            System.arraycopy(theta, c * width, wb, c * (width + 1), width);
            wb[c * (width + 1) + width] = theta[kd + c];
        }
        return x.matMul(step.create(wb, new Shape(classes, width + 1)).transpose()).logSoftmax(1);
    }

    /** Unregularised mean cross-entropy and accuracy of {@code theta} on these rows. */
    double[] lossAndAccuracy(double[] theta) {
        try (NDManager step = manager.newSubManager()) {
            x.tempAttach(step);
            oneHot.tempAttach(step);
            NDArray logP = logProbabilities(step, theta);
            double loss = -oneHot.mul(logP).sum().getDouble() / rows;
            long[] predicted = logP.argMax(1).toLongArray();
            int right = 0;
            for (int i = 0; i < rows; i++) {
                right += predicted[i] == labels[i] ? 1 : 0;
            }
            return new double[] {loss, (double) right / rows};
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
