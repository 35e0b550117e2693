package io.transfer4j.spark;

import io.transfer4j.util.UserException;
import java.util.Locale;

/** Who fits the transfer head on Spark's feature vectors. */
public enum HeadTrainer {
    /**
     * transfer4j's own linear probe (the one {@code train} runs: standardised features, L2 chosen on
     * a validation split) on the vectors collected to the driver: the same head as on one machine,
     * for data whose features fit in the driver's memory.
     */
    TRANSFER4J,
    /** MLlib's multinomial logistic regression, distributed over the executors: for any size; its L2 is chosen on a validation split. */
    MLLIB;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HeadTrainer parse(String s) {
        for (HeadTrainer t : values()) {
            if (t.id().equals(s.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new UserException("unknown head trainer '" + s + "'; choose transfer4j (features collected to the driver) or mllib (distributed)");
    }
}
