package io.transfer4j.train;

/**
 * A network {@link FineTuning} can train: its parameters with their groups and roles (what a
 * {@link Strategy} chooses from), and the objective it is trained for.
 */
public interface TunableNetwork {
    /** Each parameter with its group and role, for the strategy to choose what trains. */
    ParameterTable table();

    /** What the loop minimises: cross-entropy over class logits unless the network says otherwise. */
    default Objective objective() {
        return Objective.CROSS_ENTROPY;
    }
}
