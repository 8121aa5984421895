package dev.warthog.trace;

/**
 * One evaluation of a run: after {@code epoch} epochs (or iterations), at {@code seconds}
 * of training time (evaluation excluded), the objective F(w) on the training data, and the
 * primary metric (accuracy or RMSE) on the training and, if given, the test data (NaN if not).
 */
public record TracePoint(int epoch, double seconds, double objective, double trainMetric, double testMetric) {}
