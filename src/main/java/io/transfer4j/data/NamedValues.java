package io.transfer4j.data;

import io.transfer4j.util.UserException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A comma-separated list of names, each with an optional number ({@code crop,rotate=15}), as the
 * augmentation options of every modality are written; {@code none} and empty items are skipped.
 */
record NamedValues(String name, Float value) {

    /** The items of {@code spec} in order (none when it is null or blank); {@code example} shows a valid item in the error. */
    static List<NamedValues> parse(String spec, String example) {
        List<NamedValues> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.toLowerCase(Locale.ROOT).split(",")) {
            String p = part.trim();
            if (p.isEmpty() || p.equals("none")) {
                continue;
            }
            int eq = p.indexOf('=');
            Float v = null;
            if (eq >= 0) {
                try {
                    v = Float.parseFloat(p.substring(eq + 1).trim());
                } catch (NumberFormatException e) {
                    throw new UserException("cannot read augmentation '" + p + "'; write name=value, e.g. " + example);
                }
            }
            out.add(new NamedValues(eq >= 0 ? p.substring(0, eq).trim() : p, v));
        }
        return out;
    }

    /** The value, or {@code dflt} when the name came alone. */
    float or(float dflt) {
        return value != null ? value : dflt;
    }
}
