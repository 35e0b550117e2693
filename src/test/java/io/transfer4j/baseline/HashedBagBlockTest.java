package io.transfer4j.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class HashedBagBlockTest {
    @Test
    void logitsAreTheMaskedMeanOfTheIdRowsPlusBias() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            HashedBagBlock b = new HashedBagBlock(4, 2);
            b.initialize(m, DataType.FLOAT32, new Shape(2, 3), new Shape(2, 3));
            float[] w = {1, 10, 2, 20, 3, 30, 4, 40};
            io.transfer4j.train.Weights.assign(b.getParameters().get("weight").getArray(), w);
            io.transfer4j.train.Weights.assign(b.getParameters().get("bias").getArray(), new float[] {0.5f, -0.5f});
            NDArray ids = m.create(new long[] {0, 1, 3, 2, 0, 0}, new Shape(2, 3));
            NDArray mask = m.create(new float[] {1, 1, 1, 1, 0, 0}, new Shape(2, 3));
            float[] out = b.forward(new ParameterStore(m, false), new NDList(ids, mask), false).singletonOrThrow().toFloatArray();
            // row 0: mean of rows 0,1,3 = (7/3, 70/3); row 1: row 2 only (padding ignored)
            assertArrayEquals(new float[] {7f / 3 + 0.5f, 70f / 3 - 0.5f, 3.5f, 29.5f}, out, 1e-5f);
        }
    }
}
