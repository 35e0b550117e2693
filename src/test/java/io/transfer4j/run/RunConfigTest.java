package io.transfer4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.transfer4j.train.LearningRates;
import io.transfer4j.train.Strategy;
import org.junit.jupiter.api.Test;

/** Configurations change through builders, and an unset learning rate is resolved once, when the run starts. */
class RunConfigTest {
    @Test
    void aLearningRateSetBeforeTheStrategyStays() {
        RunConfig c = RunConfig.builder().tuning(RunConfig.defaults().tuning().toBuilder().learningRate(3e-4f).build()).build()
                .withStrategy(Strategy.parse("lora"));
        assertEquals(3e-4f, c.tuning().learningRate(), "withStrategy used to reset it to the strategy's default");
        assertEquals(3e-4f, LearningRates.resolve(c.tuning(), LearningRates.text(c.strategy())).learningRate());
    }

    @Test
    void anUnsetLearningRateIsTheStrategysForEachModality() {
        RunConfig text = RunConfig.defaults();
        assertEquals(0f, text.tuning().learningRate(), "unset until the run starts");
        assertEquals(1e-3f, LearningRates.resolve(text.tuning(), LearningRates.text(Strategy.parse("lora"))).learningRate());
        assertEquals(5e-5f, LearningRates.resolve(text.tuning(), LearningRates.text(Strategy.parse("full"))).learningRate());
        ImageRunConfig images = ImageRunConfig.defaults();
        assertEquals(1e-3f, images.training(Strategy.parse("partial"), 100, false).learningRate());
        assertEquals(5e-4f, images.training(Strategy.parse("full"), 100, false).learningRate());
        assertEquals(1e-3f, images.training(Strategy.parse("full"), 100, true).learningRate(), "from scratch");
        assertEquals(2e-4f, images.toBuilder().learningRate(2e-4f).build().training(Strategy.parse("full"), 100, false).learningRate());
    }

    @Test
    void theSeedReachesEveryTrainingSetting() {
        RunConfig c = RunConfig.builder().seed(9).build();
        assertEquals(9, c.headTraining().seed());
        assertEquals(9, c.tuning().seed());
        assertEquals(10, c.withSeed(10).tuning().seed());
        RunConfig b = c.toBuilder().maxLength(64).maxWindows(1).build();
        assertEquals(64, b.maxLength());
        assertEquals(c.backbone(), b.backbone(), "a builder copies every other field");
        assertEquals(9, ImageRunConfig.builder().seed(9).build().training(Strategy.parse("full"), 10, false).seed());
    }
}
