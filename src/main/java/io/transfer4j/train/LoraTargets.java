package io.transfer4j.train;

import io.transfer4j.onnx.OnnxBlock;
import java.util.regex.Pattern;

/** Which weights a LoRA strategy adapts: the user's regex when given, else the modality's default. */
public final class LoraTargets {
    private LoraTargets() {}

    /** @param otherwise the modality's choice when {@code --lora-targets} is empty */
    public static OnnxBlock.LoraTarget of(Strategy s, OnnxBlock.LoraTarget otherwise) {
        if (s.loraTargets().isEmpty()) {
            return otherwise;
        }
        Pattern p = Pattern.compile(s.loraTargets());
        return (weight, node, group) -> p.matcher(weight).find() || p.matcher(node).find();
    }
}
