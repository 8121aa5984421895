package dev.warthog.data;

/** Label conventions of the losses. */
public final class Labels {
    private Labels() {}

    /**
     * Maps a two-valued label vector to -1/+1: the larger value becomes +1, the smaller -1.
     * Fails with a message naming the data set when there are not exactly two values.
     */
    public static Dataset toBinary(Dataset data) {
        double[] distinct = data.distinctLabels();
        if (distinct.length != 2) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(distinct.length, 5); i++) sb.append(i == 0 ? "" : ", ").append(fmt(distinct[i]));
            if (distinct.length > 5) sb.append(", ...");
            throw new DataFormatException(data.source() + ": binary classification needs exactly two distinct label values, found "
                    + distinct.length + (distinct.length > 0 ? " (" + sb + ")" : ""));
        }
        if (distinct[0] == -1 && distinct[1] == 1) return data;
        double hi = distinct[1];
        double[] y = data.labels();
        double[] mapped = new double[y.length];
        for (int i = 0; i < y.length; i++) mapped[i] = y[i] == hi ? 1.0 : -1.0;
        return data.withLabels(mapped);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
