package io.transfer4j.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Limited-memory BFGS (Nocedal and Wright, Algorithm 7.4/7.5) with a backtracking Armijo line
 * search, for smooth convex objectives of a few thousand parameters, as scikit-learn's default
 * logistic solver is. Only the small parameter and gradient vectors live here; the objective
 * computes on native memory.
 */
final class Lbfgs {
    /** Curvature pairs kept: scipy's default. */
    static final int HISTORY = 10;
    private static final double ARMIJO = 1e-4;
    private static final int MAX_BACKTRACKS = 40;

    private Lbfgs() {}

    /** f(x), its gradient written into {@code gradient}. */
    interface Objective {
        double value(double[] x, double[] gradient);
    }

    /** Called after each accepted step. */
    interface Listener {
        void iteration(int iteration, double value, double[] x);
    }

    /**
     * @param converged whether the largest gradient component fell to the tolerance (or the
     *     objective stopped decreasing in double precision) before {@code maxIterations}
     */
    record Result(double[] x, double value, int iterations, int evaluations, boolean converged) {}

    static Result minimize(Objective f, double[] start, int maxIterations, double gradientTolerance, Listener listener) {
        int p = start.length;
        double[] x = start.clone();
        double[] g = new double[p];
        double fx = f.value(x, g);
        int evaluations = 1;
        if (!Double.isFinite(fx)) {
            throw new ArithmeticException("the objective is not finite at the starting point");
        }
        Deque<double[]> s = new ArrayDeque<>();
        Deque<double[]> y = new ArrayDeque<>();
        Deque<Double> rho = new ArrayDeque<>();
        double[] xn = new double[p];
        double[] gn = new double[p];
        for (int it = 1; it <= maxIterations; it++) {
            if (maxAbs(g) <= gradientTolerance) {
                return new Result(x, fx, it - 1, evaluations, true);
            }
            double[] dir = direction(g, s, y, rho);
            double slope = dot(g, dir);
            if (!(slope < 0)) { // not a descent direction (rounding): restart from steepest descent
                s.clear();
                y.clear();
                rho.clear();
                for (int j = 0; j < p; j++) {
                    dir[j] = -g[j];
                }
                slope = -dot(g, g);
            }
            // the first step has no curvature to scale it: a unit-length move along -g
            double step = s.isEmpty() ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
            double fn;
            int backtracks = 0;
            while (true) {
                for (int j = 0; j < p; j++) {
                    xn[j] = x[j] + step * dir[j];
                }
                fn = f.value(xn, gn);
                evaluations++;
                if (Double.isFinite(fn) && fn <= fx + ARMIJO * step * slope) {
                    break;
                }
                if (++backtracks > MAX_BACKTRACKS) { // no decrease representable along dir: x is the optimum in double
                    return new Result(x, fx, it - 1, evaluations, true);
                }
                // the minimiser of the quadratic through f(x), f'(x) and f(x + step dir), kept within [0.1, 0.5] step
                double q = Double.isFinite(fn) ? -slope * step * step / (2 * (fn - fx - slope * step)) : 0.1 * step;
                step = Math.max(0.1 * step, Math.min(0.5 * step, q));
            }
            double[] si = new double[p];
            double[] yi = new double[p];
            for (int j = 0; j < p; j++) {
                si[j] = xn[j] - x[j];
                yi[j] = gn[j] - g[j];
            }
            double sy = dot(si, yi);
            if (sy > 1e-12 * dot(yi, yi)) { // keep the inverse-Hessian estimate positive definite
                s.addLast(si);
                y.addLast(yi);
                rho.addLast(1 / sy);
                if (s.size() > HISTORY) {
                    s.removeFirst();
                    y.removeFirst();
                    rho.removeFirst();
                }
            }
            double decrease = fx - fn;
            System.arraycopy(xn, 0, x, 0, p);
            System.arraycopy(gn, 0, g, 0, p);
            fx = fn;
            if (listener != null) {
                listener.iteration(it, fx, x);
            }
            if (decrease <= 1e-13 * Math.max(1, Math.abs(fx))) {
                return new Result(x, fx, it, evaluations, true);
            }
        }
        return new Result(x, fx, maxIterations, evaluations, maxAbs(g) <= gradientTolerance);
    }

    /** The two-loop recursion: {@code -H g} for the inverse-Hessian estimate of the stored pairs. */
    private static double[] direction(double[] g, Deque<double[]> s, Deque<double[]> y, Deque<Double> rho) {
        int m = s.size();
        double[] q = g.clone();
        double[] alpha = new double[m];
        Iterator<double[]> si = s.descendingIterator();
        Iterator<double[]> yi = y.descendingIterator();
        Iterator<Double> ri = rho.descendingIterator();
        for (int i = m - 1; i >= 0; i--) {
            double[] sv = si.next();
            double[] yv = yi.next();
            double r = ri.next();
            alpha[i] = r * dot(sv, q);
            axpy(-alpha[i], yv, q);
        }
        if (m > 0) {
            double[] sl = s.peekLast();
            double[] yl = y.peekLast();
            double gamma = dot(sl, yl) / dot(yl, yl);
            for (int j = 0; j < q.length; j++) {
                q[j] *= gamma;
            }
        }
        si = s.iterator();
        yi = y.iterator();
        ri = rho.iterator();
        for (int i = 0; i < m; i++) {
            double[] sv = si.next();
            double[] yv = yi.next();
            double r = ri.next();
            double beta = r * dot(yv, q);
            axpy(alpha[i] - beta, sv, q);
        }
        for (int j = 0; j < q.length; j++) {
            q[j] = -q[j];
        }
        return q;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
