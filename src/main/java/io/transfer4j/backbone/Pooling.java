package io.transfer4j.backbone;

/** How token vectors become one sentence vector; each encoder was trained with one of these. */
public enum Pooling {
    /** Average of the token vectors under the attention mask (MiniLM, e5). */
    MEAN,
    /** The first ([CLS]) token's vector (bge). */
    CLS
}
