package io.transfer4j.run;

import java.util.List;

/**
 * What a run's backbone was and what reading features through it cost; each modality records its
 * own kind (texts: tokens, windows and the embedding cache; images: the input shape) and says in
 * its own words what the report prints about it.
 */
public interface Features {
    /** The backbone's id as the run named it. */
    String backbone();

    String backboneSha256();

    /** Wall time of feature extraction (frozen) or of encoding the test rows (fine-tuned). */
    long extractMillis();

    /** What one row of the run was, plural, for the report ("texts", "images"). */
    String rows();

    /** Lines the report prints above the results table. */
    List<String> describe(TransferRun<?, ?> run);
}
